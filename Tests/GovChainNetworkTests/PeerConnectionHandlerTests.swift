import GovChainCore
import NIOCore
import NIOEmbedded
import Testing

@testable import GovChainNetwork

/// The connection handler in an `EmbeddedChannel`, with TLS replaced by a fixed authenticated key.
@Suite("Connection handler")
struct PeerConnectionHandlerTests {
    let genesis = TestGenesis(count: 3)

    private func makeLink(peerKey: PublicKey?) throws -> (PeerNetwork, EmbeddedChannel) {
        var configuration = genesis.configuration(1, port: 0)
        configuration.frameBytesMax = 64
        let network = try PeerNetwork(configuration: configuration, logger: testLogger("handler-test"))
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(FrameDecoder(frameBytesMax: configuration.frameBytesMax)),
            PeerConnectionHandler(
                network: network, authentication: PeerAuthentication(publicKey: peerKey),
                dialled: nil, logger: testLogger("handler-test")),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return (network, channel)
    }

    private func helloFrame(from sender: ValidatorIndex) -> ByteBuffer {
        PeerFrame.hello(Hello(chainId: TestGenesis.chainId, genesisHash: TestGenesis.genesisHash, sender: sender))
            .encoded(allocator: ByteBufferAllocator())
    }

    @Test func helloThenPayloadsBothWays() async throws {
        let (network, channel) = try makeLink(peerKey: genesis.keys[0].publicKey)
        // Our hello goes out as soon as the channel is active.
        let ourHello = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(ourHello.readableBytesView) == Array(helloFrame(from: 1).readableBytesView))

        try channel.writeInbound(helloFrame(from: 0))
        #expect(network.connectedPeers() == [0])

        network.send([0xAB, 0xCD], to: 0)
        channel.embeddedEventLoop.run()
        let sent = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(sent.readableBytesView) == [0, 0, 0, 3, 0x02, 0xAB, 0xCD])

        try channel.writeInbound(PeerFrame.encodedPayload([1, 2, 3], allocator: channel.allocator))
        var iterator = network.inbound.makeAsyncIterator()
        #expect(await iterator.next() == PeerMessage(from: 0, payload: [1, 2, 3]))
        #expect(network.stats.framesIn == 1 && network.stats.framesOut == 1)
        _ = try? channel.finish()
    }

    @Test func garbageFrameAfterHelloClosesOnlyThatLinkAndIsCounted() throws {
        let (network, channel) = try makeLink(peerKey: genesis.keys[0].publicKey)
        try channel.writeInbound(helloFrame(from: 0))
        #expect(network.connectedPeers() == [0])
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 2, 0x7F, 0x00]))  // unknown kind
        #expect(!channel.isActive)
        #expect(network.stats.malformedFrames == 1)
        #expect(network.connectedPeers().isEmpty)
    }

    @Test func oversizedFrameAfterHelloClosesTheLink() throws {
        let (network, channel) = try makeLink(peerKey: genesis.keys[0].publicKey)
        try channel.writeInbound(helloFrame(from: 0))
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 1, 0]))  // 256 > frameBytesMax 64
        #expect(!channel.isActive)
        #expect(network.stats.malformedFrames == 1)
    }

    @Test func helloClaimingAnotherValidatorsIndexIsRefused() throws {
        // TLS authenticated key 0, but the hello claims to be validator 2.
        let (network, channel) = try makeLink(peerKey: genesis.keys[0].publicKey)
        try channel.writeInbound(helloFrame(from: 2))
        #expect(!channel.isActive)
        #expect(network.stats.handshakesRejected == 1)
        #expect(network.connectedPeers().isEmpty)
    }
}
