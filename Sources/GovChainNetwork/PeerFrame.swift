import GovChainCore
import NIOCore

/// One frame body after the length prefix: `kind u8 ‖ content`.
///
/// Kinds have fixed numbers that are never reused (style.md #8):
/// - `0x01` hello: `version u16 ‖ chainId (u8 length ‖ UTF-8) ‖ genesisHash 32 ‖ sender u16`
/// - `0x02` payload: the opaque bytes handed to `PeerNetwork.send`, to the end of the frame
package enum PeerFrame: Sendable, Equatable {
    case hello(Hello)
    case payload([UInt8])

    /// Wire numbers of the frame kinds.
    package enum Kind: UInt8, Sendable {
        case hello = 0x01
        case payload = 0x02
    }

    /// The body bytes (without the length prefix).
    package var body: [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .hello(let hello):
            writer.u8(Kind.hello.rawValue)
            hello.write(to: &writer)
        case .payload(let bytes):
            writer.u8(Kind.payload.rawValue)
            writer.raw(bytes)
        }
        return writer.bytes
    }

    /// Parses a body produced by `FrameDecoder`. Rejects unknown kinds and non-canonical hellos.
    package static func decode(_ body: [UInt8]) throws(CodecError) -> PeerFrame {
        guard let first = body.first else { throw .truncated(field: "frame.kind") }
        switch Kind(rawValue: first) {
        case .hello:
            var reader = ByteReader(Array(body.dropFirst()))
            let hello = try Hello(from: &reader)
            try reader.finish()
            return .hello(hello)
        case .payload:
            return .payload(Array(body.dropFirst()))
        case nil:
            throw .unknownTag(field: "frame.kind", tag: first)
        }
    }

    /// Writes `length u32 ‖ kind u8 ‖ payload` into one buffer, ready for the channel.
    static func encodedPayload(_ payload: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: FrameDecoder.headerBytes + 1 + payload.count)
        buffer.writeInteger(UInt32(1 + payload.count), endianness: .big)
        buffer.writeInteger(Kind.payload.rawValue)
        buffer.writeBytes(payload)
        return buffer
    }

    /// This frame with its length prefix.
    func encoded(allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = self.body
        var buffer = allocator.buffer(capacity: FrameDecoder.headerBytes + body.count)
        buffer.writeInteger(UInt32(body.count), endianness: .big)
        buffer.writeBytes(body)
        return buffer
    }
}
