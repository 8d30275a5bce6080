import NIOCore

/// Splits a TCP (or TLS) byte stream into frames: `length u32 big-endian ‖ body (length bytes)`.
///
/// Invariants: every body it emits has `1 ... frameBytesMax` bytes. A zero length or a length
/// above `frameBytesMax` is refused with a `FrameError` *before* any body byte is buffered, so
/// a hostile peer cannot make us allocate more than `frameBytesMax` plus one read's worth of
/// bytes per link. After an error `ByteToMessageHandler` stops decoding; the connection handler
/// closes the link (style.md #7).
package struct FrameDecoder: ByteToMessageDecoder {
    package typealias InboundOut = ByteBuffer

    /// Bytes in the length prefix.
    package static let headerBytes = 4

    /// The largest body length accepted, in bytes.
    package let frameBytesMax: Int

    package init(frameBytesMax: Int) {
        precondition(
            frameBytesMax >= 1 && frameBytesMax <= Int(UInt32.max), "frameBytesMax \(frameBytesMax) out of range")
        self.frameBytesMax = frameBytesMax
    }

    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let body = try Self.nextFrame(from: &buffer, frameBytesMax: frameBytesMax) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(body))
        return .continue
    }

    package mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A partial frame at EOF is simply discarded: the link is gone either way.
        try decode(context: context, buffer: &buffer)
    }

    /// The next complete body in `buffer`, consuming it, or nil when more bytes are needed.
    /// Separate from `decode` so the rule is testable without a channel.
    package static func nextFrame(from buffer: inout ByteBuffer, frameBytesMax: Int) throws(FrameError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard length > 0 else { throw .emptyFrame }
        guard UInt64(length) <= UInt64(frameBytesMax) else {
            throw .oversized(length: Int(length), frameBytesMax: frameBytesMax)
        }
        guard buffer.readableBytes >= headerBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: headerBytes)
        return buffer.readSlice(length: Int(length))
    }
}

/// Why the byte stream of a link is not a valid sequence of frames.
package enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The length prefix was 0; every frame carries at least a kind byte.
    case emptyFrame
    /// The length prefix exceeds the configured hard maximum.
    case oversized(length: Int, frameBytesMax: Int)

    package var description: String {
        switch self {
        case .emptyFrame: "frame length is 0"
        case .oversized(let length, let max): "frame length \(length) exceeds frameBytesMax \(max)"
        }
    }
}
