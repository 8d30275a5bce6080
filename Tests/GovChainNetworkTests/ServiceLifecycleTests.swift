import GovChainCore
import ServiceLifecycle
import Testing

@testable import GovChainNetwork

@Suite("Service lifecycle", .timeLimit(.minutes(1)))
struct ServiceLifecycleTests {
    @Test func gracefulShutdownOfTheServiceGroupClosesEverything() async throws {
        let ports = try await freePorts(2)
        let genesis = TestGenesis(count: 2, ports: ports)
        let networks = try (0..<2).map {
            try PeerNetwork(configuration: genesis.configuration($0, port: ports[$0]), logger: testLogger("v\($0)"))
        }
        let group = ServiceGroup(services: networks, logger: testLogger("group"))
        let running = Task { try await group.run() }
        try await eventually("link 0-1") { networks[0].connectedPeers() == [1] && networks[1].connectedPeers() == [0] }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(networks.allSatisfy { $0.connectedPeers().isEmpty && $0.localPort == nil })
        // The inbound stream ends with the service.
        var iterator = networks[1].inbound.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }
}
