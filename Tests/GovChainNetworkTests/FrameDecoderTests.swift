import NIOCore
import NIOEmbedded
import Testing

@testable import GovChainNetwork

@Suite("Framing")
struct FrameDecoderTests {
    private func channel(max: Int = 16) throws -> EmbeddedChannel {
        EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(frameBytesMax: max)))
    }

    private func bytes(_ values: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: values) }

    @Test func framesSplitAcrossReadsAreReassembled() throws {
        let channel = try channel()
        // Two frames, [0x02 0xAA] and [0x02], delivered one byte at a time.
        let stream: [UInt8] = [0, 0, 0, 2, 0x02, 0xAA, 0, 0, 0, 1, 0x02]
        for byte in stream { try channel.writeInbound(bytes([byte])) }
        #expect(try channel.readInbound(as: ByteBuffer.self) == bytes([0x02, 0xAA]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == bytes([0x02]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test func severalFramesInOneRead() throws {
        let channel = try channel()
        try channel.writeInbound(bytes([0, 0, 0, 1, 7, 0, 0, 0, 3, 1, 2, 3, 0, 0]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == bytes([7]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == bytes([1, 2, 3]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func frameOfExactlyTheMaximumIsAccepted() throws {
        let channel = try channel(max: 16)
        try channel.writeInbound(bytes([0, 0, 0, 16] + [UInt8](repeating: 9, count: 16)))
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 16)
    }

    @Test func oversizedFrameIsAnErrorBeforeItsBodyArrives() throws {
        let channel = try channel(max: 16)
        #expect(throws: FrameError.oversized(length: 17, frameBytesMax: 16)) {
            try channel.writeInbound(bytes([0, 0, 0, 17]))
        }
        // A hostile 4 GiB length is refused just the same, without allocating.
        var buffer = bytes([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: FrameError.oversized(length: Int(UInt32.max), frameBytesMax: 16)) {
            _ = try FrameDecoder.nextFrame(from: &buffer, frameBytesMax: 16)
        }
    }

    @Test func zeroLengthFrameIsAnError() throws {
        let channel = try channel()
        #expect(throws: FrameError.emptyFrame) { try channel.writeInbound(bytes([0, 0, 0, 0])) }
    }

    @Test func payloadFrameEncodingIsLengthThenKindThenBytes() {
        let buffer = PeerFrame.encodedPayload([0xDE, 0xAD], allocator: ByteBufferAllocator())
        #expect(Array(buffer.readableBytesView) == [0, 0, 0, 3, 0x02, 0xDE, 0xAD])
    }

    @Test func unknownFrameKindIsRejected() {
        #expect(throws: (any Error).self) { try PeerFrame.decode([0x7F, 1, 2]) }
        #expect(throws: (any Error).self) { try PeerFrame.decode([]) }
    }
}
