import GovChainConsensus
import GovChainNetwork
import ServiceLifecycle
import Synchronization

/// Passes transactions that clients submitted to this node on to every other validator, in
/// batches (one message per 10 ms instead of one per transaction). Bounded: beyond
/// `pendingTransactionsMax` waiting, new ones are not gossiped (they still reach the other
/// validators inside the block this node proposes, or the client retries elsewhere).
final class TransactionGossip: Service, Sendable {
    static let flushIntervalMs: UInt64 = 10
    static let pendingTransactionsMax = 50_000

    private let network: PeerNetwork
    private let pending = Mutex<[[UInt8]]>([])

    init(network: PeerNetwork) { self.network = network }

    func add(_ transaction: [UInt8]) {
        pending.withLock { if $0.count < Self.pendingTransactionsMax { $0.append(transaction) } }
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .milliseconds(Self.flushIntervalMs))
            let batch = pending.withLock { list -> [[UInt8]] in
                defer { list.removeAll(keepingCapacity: true) }
                return list
            }
            var start = 0
            while start < batch.count {
                let end = min(start + NodeMessage.transactionsPerMessageMax, batch.count)
                network.broadcast(NodeMessage.transactions(Array(batch[start..<end])).encoded)
                start = end
            }
        }
    }
}
