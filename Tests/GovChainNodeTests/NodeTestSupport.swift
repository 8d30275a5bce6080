import Foundation
import GovChainConsensus
import GovChainCore
import GovChainNetwork
import GovChainStorage
import Logging
import Synchronization

@testable import GovChainNode

/// A chain for node tests: `validators` validators of power 1 (fixed seeds), one authority
/// (Aachen) with one clerk, a real LevelDB store in a temporary directory.
struct TestChain {
    static let clerk = try! SigningKey(seed: [UInt8](repeating: 40, count: 32))
    static let authority = try! SigningKey(seed: [UInt8](repeating: 41, count: 32))
    let keys: [SigningKey]
    let genesis: Genesis
    let directory: String

    init(validators: Int = 1) throws {
        keys = (0..<validators).map { try! SigningKey(seed: [UInt8](repeating: UInt8(50 + $0), count: 32)) }
        let file = GenesisFile(
            chain_id: "node-test", genesis_time: "2026-01-01T00:00:00Z", consensus: .init(),
            validators: keys.enumerated().map {
                .init(
                    name: "v\($0.offset)", public_key: $0.element.publicKey.hex,
                    peer_address: "127.0.0.1:\(1 + $0.offset)", power: 1)
            },
            authorities: [
                .init(
                    id: "aachen", name: "Stadt Aachen", public_key: Self.authority.publicKey.hex,
                    document_types: ["birth-certificate"])
            ],
            initial_clerks: [
                .init(authority: "aachen", public_key: Self.clerk.publicKey.hex, document_types: ["birth-certificate"])
            ])
        genesis = try Genesis(validating: file)
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("govchain-node-\(UUID().uuidString)").path
    }

    func node(index: Int = 0) throws -> Node {
        let store = try BlockStore(directory: directory + "/v\(index)", genesis: genesis)
        return try Node(
            name: "v\(index)", genesis: genesis, store: store, key: keys[index], limits: (1_000, 1 << 20),
            solo: keys.count == 1, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// One instant for the whole test run, so a transaction made twice is the same transaction.
    static let now: Timestamp = Node.systemClock()

    static func anchor(_ text: String, time: Timestamp = now, nonce: UInt64 = 0) -> Transaction {
        Transaction(
            body: .anchorDocument(
                .init(
                    document: Hash32.sha256(Array(text.utf8)), documentType: Code("birth-certificate")!,
                    authority: Code("aachen")!)),
            time: time, nonce: nonce, chainId: ChainID("node-test")!, key: clerk)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A clock that moves only when the test says so (style.md #2). Sleepers wake in deadline order.
final class ManualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state = Mutex<(now: Instant, sleepers: [UInt64: Sleeper], next: UInt64)>(
        (Instant(offset: .zero), [:], 0))

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .milliseconds(1) }
    var sleepers: Int { state.withLock { $0.sleepers.count } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            state.next += 1
            return state.next
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let due = state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if due { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes every sleeper whose deadline passed.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for key in due.keys { state.sleepers[key] = nil }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

/// A peer network whose other side is the test: it records what the node sends and delivers what
/// the test writes, as authenticated payloads from a chosen validator.
final class ScriptedTransport: PeerTransport {
    let inbound = PeerInbox(bytesPerPeerMax: 16 << 20)
    private let log = Mutex<[(to: ValidatorIndex?, message: NodeMessage)]>([])
    private let refusals = Mutex<[(ValidatorIndex, String, Bool)]>([])

    func send(_ payload: [UInt8], to peer: ValidatorIndex) {
        if let message = try? NodeMessage(decoding: payload) { log.withLock { $0.append((peer, message)) } }
    }

    func broadcast(_ payload: [UInt8]) {
        if let message = try? NodeMessage(decoding: payload) { log.withLock { $0.append((nil, message)) } }
    }

    func queuedBytes(for peer: ValidatorIndex) -> Int { 0 }
    func countRefused(_ peer: ValidatorIndex, reason: String) { refusals.withLock { $0.append((peer, reason, false)) } }
    func disconnect(_ peer: ValidatorIndex, reason: String) { refusals.withLock { $0.append((peer, reason, true)) } }

    /// The test, as validator `from`, sends `message` to the node.
    func deliver(_ message: NodeMessage, from: ValidatorIndex) { inbound.push(message.encoded, from: from) }

    var sent: [(to: ValidatorIndex?, message: NodeMessage)] { log.withLock { $0 } }
    var refused: [(ValidatorIndex, String, Bool)] { refusals.withLock { $0 } }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass.
func eventually(_ what: String, seconds: Double = 10, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
