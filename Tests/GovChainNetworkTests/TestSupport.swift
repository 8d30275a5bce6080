import Foundation
import GovChainCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

@testable import GovChainNetwork

/// A small genesis for tests: `count` validators with fixed seeds, addresses filled in later.
struct TestGenesis {
    static let chainId = ChainID("govchain-test")!
    static let genesisHash = Hash32.sha256(Array("test genesis".utf8))

    let keys: [SigningKey]
    let validators: ValidatorSet

    init(count: Int, ports: [Int]? = nil, seedBase: UInt8 = 1) {
        keys = (0..<count).map { try! SigningKey(seed: [UInt8](repeating: seedBase &+ UInt8($0), count: 32)) }
        validators = ValidatorSet(
            keys.enumerated().map { index, key in
                Validator(
                    name: "v\(index)", publicKey: key.publicKey,
                    peerAddress: "127.0.0.1:\(ports?[index] ?? 1)", power: 1)
            })
    }

    func configuration(_ index: Int, port: Int, key: SigningKey? = nil) -> PeerNetworkConfiguration {
        var configuration = PeerNetworkConfiguration(
            chainId: Self.chainId, genesisHash: Self.genesisHash, validators: validators,
            selfIndex: ValidatorIndex(UInt16(index)), key: key ?? keys[index],
            listenHost: "127.0.0.1", listenPort: port,
            reconnectBaseDelayMs: 20, reconnectDelayMsMax: 200)
        configuration.reconnectJitterSeed = 42
        configuration.handshakeTimeoutMs = 2_000
        return configuration
    }
}

/// Ports the kernel just handed out for port 0, released again so a node can bind them.
func freePorts(_ count: Int) async throws -> [Int] {
    var channels: [any Channel] = []
    for _ in 0..<count {
        channels.append(
            try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: "127.0.0.1", port: 0).get())
    }
    let ports = channels.map { $0.localAddress!.port! }
    for channel in channels { try await channel.close() }
    return ports
}

/// A logger that discards everything unless GOVCHAIN_TEST_LOG is set (tests do not bootstrap logging).
func testLogger(_ label: String) -> Logger {
    if ProcessInfo.processInfo.environment["GOVCHAIN_TEST_LOG"] != nil {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .debug
        return logger
    }
    return Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass.
func eventually(_ what: String, seconds: Double = 10, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(description: "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A running PeerNetwork plus a task that collects its inbound messages.
final class RunningNode: Sendable {
    let network: PeerNetwork
    private let runTask: Task<Void, any Error>
    private let collector: Task<Void, Never>
    private let received = LockedMessages()

    init(_ configuration: PeerNetworkConfiguration, label: String) throws {
        let network = try PeerNetwork(configuration: configuration, logger: testLogger(label))
        self.network = network
        runTask = Task { try await network.run() }
        let received = self.received
        collector = Task {
            for await message in network.inbound { received.append(message) }
        }
    }

    var messages: [PeerMessage] { received.all }

    func stop() async {
        runTask.cancel()
        _ = await runTask.result
        await collector.value
    }
}

final class LockedMessages: Sendable {
    private let lock = Mutex<[PeerMessage]>([])
    func append(_ message: PeerMessage) { lock.withLock { $0.append(message) } }
    var all: [PeerMessage] { lock.withLock { $0 } }
}
