import GovChainCore
import NIOCore
import NIOPosix
import Testing

@testable import GovChainNetwork

/// Real PeerNetworks over TLS on 127.0.0.1. Each test bounds its waits (see `eventually`).
@Suite("Peer network on loopback", .serialized, .timeLimit(.minutes(1)))
struct PeerNetworkTests {
    @Test func fourValidatorsConnectAndExchangeBroadcasts() async throws {
        let ports = try await freePorts(4)
        let genesis = TestGenesis(count: 4, ports: ports)
        let nodes = try (0..<4).map { try RunningNode(genesis.configuration($0, port: ports[$0]), label: "v\($0)") }
        do {
            try await eventually("a full mesh") { nodes.allSatisfy { $0.network.connectedPeers().count == 3 } }
            for (index, node) in nodes.enumerated() { node.network.broadcast(Array("from \(index)".utf8)) }
            try await eventually("every broadcast") { nodes.allSatisfy { $0.messages.count == 3 } }
            for (index, node) in nodes.enumerated() {
                let got = Set(node.messages.map { "\($0.from):\(String(decoding: $0.payload, as: UTF8.self))" })
                let want = Set((0..<4).filter { $0 != index }.map { "\($0):from \($0)" })
                #expect(got == want, "validator \(index)")
            }
            // Order per peer is kept.
            for sequence in 0..<200 { nodes[3].network.send([UInt8(sequence >> 8), UInt8(sequence & 0xFF)], to: 0) }
            try await eventually("200 ordered payloads") { nodes[0].messages.count == 3 + 200 }
            let ordered = nodes[0].messages.dropFirst(3).map { Int($0.payload[0]) << 8 | Int($0.payload[1]) }
            #expect(ordered == Array(0..<200))
            #expect(
                nodes.allSatisfy { $0.network.stats.handshakesRejected == 0 && $0.network.stats.malformedFrames == 0 })
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
        for node in nodes { await node.stop() }
    }

    @Test func unknownAndMismatchingKeysAreRefused() async throws {
        let ports = try await freePorts(5)
        let genesis = TestGenesis(count: 4, ports: Array(ports[0..<4]))
        // Validator 0 has a wrong address for 3: it points at validator 2, whose key is not the expected one.
        var misdirected = genesis.configuration(0, port: ports[0])
        misdirected.peerAddresses[3] = "127.0.0.1:\(ports[2])"
        // A rogue node with a key outside the genesis pretends to be validator 0 and dials 1, 2 and 3.
        let rogueKey = try SigningKey(seed: [UInt8](repeating: 0xEE, count: 32))
        var rogueValidators = genesis.validators.validators
        rogueValidators[0].publicKey = rogueKey.publicKey
        var rogueConfiguration = genesis.configuration(0, port: ports[4], key: rogueKey)
        rogueConfiguration.validators = ValidatorSet(rogueValidators)

        let nodes =
            try [RunningNode(misdirected, label: "v0")]
            + (1..<4).map { try RunningNode(genesis.configuration($0, port: ports[$0]), label: "v\($0)") }
        let rogue = try RunningNode(rogueConfiguration, label: "rogue")
        let everything = nodes + [rogue]
        do {
            try await eventually("refusals") {
                nodes[1...].allSatisfy { $0.network.stats.handshakesRejected >= 1 }
                    && nodes[0].network.stats.handshakesRejected >= 1
                    && rogue.network.stats.handshakesRejected >= 3
            }
            try await eventually("the honest links") {
                nodes[0].network.connectedPeers() == [1, 2]
                    && nodes[1].network.connectedPeers() == [0, 2, 3]
                    && nodes[2].network.connectedPeers() == [0, 1, 3]
                    && nodes[3].network.connectedPeers() == [1, 2]
            }
            #expect(rogue.network.connectedPeers().isEmpty)
            nodes[1].network.broadcast([42])
            try await eventually("broadcast despite the rogue") {
                [0, 2, 3].allSatisfy { nodes[$0].messages.count == 1 }
            }
            #expect(nodes.allSatisfy { node in node.messages.allSatisfy { $0 == PeerMessage(from: 1, payload: [42]) } })
        } catch {
            for node in everything { print("STATS", node.network.stats, node.network.connectedPeers()) }
            for node in everything { await node.stop() }
            throw error
        }
        for node in everything { await node.stop() }
    }

    @Test func rawTCPGarbageAndIdleConnectionsAreRefusedWithoutHarm() async throws {
        let ports = try await freePorts(2)
        let genesis = TestGenesis(count: 2, ports: ports)
        let nodes = try (0..<2).map { try RunningNode(genesis.configuration($0, port: ports[$0]), label: "v\($0)") }
        do {
            try await eventually("link 0-1") { nodes[1].network.connectedPeers() == [0] }
            let garbage = try await rawConnection(port: ports[1])
            try await garbage.writeAndFlush(ByteBuffer(bytes: (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
            let idle = try await rawConnection(port: ports[1])
            try await eventually("garbage client closed") { !garbage.isActive }
            // The idle client is dropped by the handshake timeout (2 s in tests).
            try await eventually("idle client closed", seconds: 8) { !idle.isActive }
            #expect(nodes[1].network.stats.handshakesRejected == 2)

            #expect(nodes[1].network.connectedPeers() == [0])
            nodes[0].network.send([7, 7], to: 1)
            try await eventually("payload after the garbage") {
                nodes[1].messages == [PeerMessage(from: 0, payload: [7, 7])]
            }
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
        for node in nodes { await node.stop() }
    }

    @Test func stoppedPeerIsRedialledAndGetsQueuedAndNewMessages() async throws {
        let ports = try await freePorts(2)
        let genesis = TestGenesis(count: 2, ports: ports)
        let dialler = try RunningNode(genesis.configuration(0, port: ports[0]), label: "v0")
        var listener = try RunningNode(genesis.configuration(1, port: ports[1]), label: "v1")
        do {
            try await eventually("first link") { dialler.network.connectedPeers() == [1] }
            await listener.stop()
            try await eventually("link loss noticed") { dialler.network.connectedPeers().isEmpty }
            dialler.network.send(Array("while down".utf8), to: 1)
            #expect(dialler.network.queuedFrames(for: 1) == 1)

            listener = try RunningNode(genesis.configuration(1, port: ports[1]), label: "v1-again")
            try await eventually("reconnected") { dialler.network.connectedPeers() == [1] }
            dialler.network.send(Array("after".utf8), to: 1)
            try await eventually("both messages") { listener.messages.count == 2 }
            #expect(listener.messages.map { String(decoding: $0.payload, as: UTF8.self) } == ["while down", "after"])
            #expect(dialler.network.stats.linksEstablished == 2)
        } catch {
            await dialler.stop()
            await listener.stop()
            throw error
        }
        await dialler.stop()
        await listener.stop()
    }

    /// Validator 0 has a wrong address for 1 (nothing listens there); 1 has the right one for 0.
    /// Either side may dial, so the pair still links — from 1, after its head start delay.
    @Test func oneSidedAddressesStillLink() async throws {
        let ports = try await freePorts(3)
        let genesis = TestGenesis(count: 2, ports: Array(ports[0..<2]))
        var lower = genesis.configuration(0, port: ports[0])
        lower.peerAddresses[ValidatorIndex(1)] = "127.0.0.1:\(ports[2])"
        var higher = genesis.configuration(1, port: ports[1])
        higher.higherIndexDialDelayMs = 200
        let nodes = [try RunningNode(lower, label: "v0"), try RunningNode(higher, label: "v1")]
        do {
            try await eventually("a link dialled by the higher index") {
                nodes[0].network.connectedPeers() == [1] && nodes[1].network.connectedPeers() == [0]
            }
            nodes[0].network.send(Array("down".utf8), to: 1)
            nodes[1].network.send(Array("up".utf8), to: 0)
            try await eventually("both directions carry payloads") {
                nodes[0].messages.count == 1 && nodes[1].messages.count == 1
            }
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
        for node in nodes { await node.stop() }
    }

    /// Everyone dials everyone at once (no head start): pairs build two links, and both sides keep
    /// the same one (the lower index's), so the mesh settles and stays: no flapping.
    @Test func simultaneousDialsSettleOnOneLinkPerPair() async throws {
        let ports = try await freePorts(4)
        let genesis = TestGenesis(count: 4, ports: ports)
        let nodes = try (0..<4).map { index in
            var configuration = genesis.configuration(index, port: ports[index])
            configuration.higherIndexDialDelayMs = 0
            return try RunningNode(configuration, label: "v\(index)")
        }
        do {
            try await eventually("a full mesh") { nodes.allSatisfy { $0.network.connectedPeers().count == 3 } }
            try await Task.sleep(for: .milliseconds(1_500))
            let settled = nodes.map { $0.network.stats.linksEstablished }
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(nodes.map { $0.network.stats.linksEstablished } == settled, "links still change: flapping")
            #expect(nodes.allSatisfy { $0.network.connectedPeers().count == 3 })
            for (index, node) in nodes.enumerated() { node.network.broadcast(Array("from \(index)".utf8)) }
            try await eventually("every broadcast once") { nodes.allSatisfy { $0.messages.count == 3 } }
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
        for node in nodes { await node.stop() }
    }

    @Test func queueForAnUnreachablePeerIsBounded() async throws {
        let ports = try await freePorts(2)  // nobody listens on ports[1]
        let genesis = TestGenesis(count: 2, ports: ports)
        var configuration = genesis.configuration(0, port: ports[0])
        configuration.peerQueueFramesMax = 10
        let node = try RunningNode(configuration, label: "v0")
        for value in 0..<100 { node.network.send([UInt8(value)], to: 1) }
        node.network.send([UInt8](repeating: 0, count: configuration.frameBytesMax), to: 1)  // too large
        #expect(node.network.queuedFrames(for: 1) == 10)
        #expect(node.network.stats.framesDropped == 91)
        #expect(node.network.connectedPeers().isEmpty)
        await node.stop()
    }

    @Test func configurationWithAForeignKeyIsRejected() throws {
        let genesis = TestGenesis(count: 2)
        #expect(throws: GovChainError.self) {
            _ = try PeerNetwork(
                configuration: genesis.configuration(0, port: 0, key: genesis.keys[1]), logger: testLogger("x"))
        }
    }

    private func rawConnection(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port)
            .get()
    }
}
