import Foundation
import GovChainCore
import GovChainStorage
import Synchronization

/// The first stage of the one-way path API → mempool → consensus → executor → store: admits
/// transactions (from the API and from gossip) and holds them until a block builder takes them.
///
/// Nothing downstream calls into it except the store's commit feed (`removeCommitted`), which
/// evicts what a block included. Block builders read `candidates` and hand them on; the mempool
/// never learns which of them made it except through that feed.
package final class MempoolService: Sendable {
    private let pool: Mutex<Mempool>
    /// Refuses client transactions past capacity (`AdmissionControl`), fed by the commit feed.
    private let admission: Mutex<AdmissionControl>
    private let store: BlockStore
    private let chainId: ChainID
    private let clock: @Sendable () -> Timestamp
    private let wake: AsyncStream<Void>.Continuation
    private let onAdmitted = Mutex<(@Sendable ([UInt8]) -> Void)?>(nil)
    /// Signals that transactions wait; the block producer (solo or consensus) consumes it.
    package let wakeups: AsyncStream<Void>
    /// Transactions whose signature this node already checked; shared with the executor, so a
    /// block of admitted transactions costs no second Ed25519 check.
    let verified: VerifiedSignatures
    let metrics: NodeMetrics?

    init(
        store: BlockStore, limits: Mempool.Limits, verified: VerifiedSignatures,
        admissionWaitMsMax: UInt64 = MempoolService.admissionWaitMsMaxDefault, metrics: NodeMetrics? = nil,
        clock: @escaping @Sendable () -> Timestamp
    ) {
        self.metrics = metrics
        admission = Mutex(AdmissionControl(waitMsMax: admissionWaitMsMax))
        self.store = store
        chainId = store.genesis.chainId
        self.clock = clock
        self.verified = verified
        pool = Mutex(Mempool(limits: limits, rules: LedgerRules(genesis: store.genesis), committed: store))
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// node.json `admission_wait_ms_max`: the expected wait past which clients are refused.
    package static let admissionWaitMsMaxDefault: UInt64 = 1_000

    package var count: Int { pool.withLock { $0.count } }
    /// Encoded bytes of the waiting transactions.
    package var bytes: Int { pool.withLock { $0.bytes } }
    package var isEmpty: Bool { pool.withLock { $0.isEmpty } }

    /// Called with every transaction admitted through `submit` with `gossip` (the network passes it on).
    package func setOnAdmitted(_ callback: @escaping @Sendable ([UInt8]) -> Void) {
        onAdmitted.withLock { $0 = callback }
    }

    /// Admits an encoded transaction, or throws why not. With `gossip` (a client's transaction,
    /// from the API), it is subject to admission control and passed on to the other validators
    /// (one hop: every validator is a peer); without (a peer's gossip), only to the limits.
    package func submit(_ encoded: [UInt8], gossip: Bool = true) async throws(GovChainError) -> Transaction {
        try await submitBatch([encoded], gossip: gossip)[0].get()
    }

    /// Admits many transactions. Decoding and signature checks run first, in parallel (they are
    /// stateless and the costly part); limits, duplicates and rules then run under the lock.
    /// Results are in input order.
    package func submitBatch(_ list: [[UInt8]], gossip: Bool) async -> [Result<Transaction, GovChainError>] {
        // A busy node refuses a client's batch before spending a signature check on it.
        let source = gossip ? "client" : "gossip"
        if gossip, let refusal = refusal(nowMs: clock().rawValue) {
            let refused = list.map { _ in Result<Transaction, GovChainError>.failure(refusal) }
            metrics?.admission(refused, source: source)
            return refused
        }
        let prechecked = await Self.precheckInParallel(list, chainId: chainId, verified: verified)
        let results = admit(prechecked, gossip: gossip)
        metrics?.admission(results, source: source)
        return results
    }

    /// Up to `countMax` waiting transactions, oldest first: what a block builder may try.
    package func candidates(countMax: Int) -> [Transaction] {
        pool.withLock { Array($0.waiting.prefix(countMax)) }
    }

    /// The commit feed's entry: `block` is stored, so its transactions stop waiting and waiting
    /// ones it conflicts with are dropped (returned, with reasons, for the log).
    func removeCommitted(_ block: Block) -> [(Transaction, GovChainError)] {
        let store = self.store
        let (dropped, waiting) = pool.withLock {
            (
                $0.update(
                    committed: store, block: block.transactions, nextHeight: block.header.height.next,
                    now: block.header.time), $0.count
            )
        }
        let now = clock().rawValue
        admission.withLock { $0.noteCommitted(block.transactions.count, waitingAfter: waiting, nowMs: now) }
        return dropped
    }

    /// The commit rate admission control measured (transactions per second), for status and logs.
    package var measuredCommitRate: Double? { admission.withLock { $0.rate } }

    private func admit(
        _ prechecked: [Result<Transaction, GovChainError>], gossip: Bool
    ) -> [Result<Transaction, GovChainError>] {
        let now = clock()
        let store = self.store
        let admission = gossip ? self.admission.withLock { $0 } : nil
        let (results, admitted): ([Result<Transaction, GovChainError>], [[UInt8]]) = pool.withLock { pool in
            var admitted: [[UInt8]] = []
            let results = prechecked.map { result -> Result<Transaction, GovChainError> in
                guard case .success(let transaction) = result else { return result }
                do throws(GovChainError) {
                    if let refusal = admission?.refusal(
                        waiting: pool.count, oldestAdmittedMs: pool.oldestAdmittedMs, nowMs: now.rawValue)
                    {
                        throw refusal
                    }
                    if let location = try store.transactionLocation(transaction.id) {
                        throw GovChainError(
                            code: .transactionAlreadyApplied,
                            message: "This exact transaction was already committed in block \(location.height).")
                    }
                    try pool.admit(checked: transaction, nextHeight: store.height.next, now: now)
                    admitted.append(transaction.encoded)
                    return .success(transaction)
                } catch {
                    return .failure(error)
                }
            }
            return (results, admitted)
        }
        if !admitted.isEmpty {
            if gossip, let callback = onAdmitted.withLock({ $0 }) { admitted.forEach(callback) }
            wake.yield()
        }
        return results
    }

    /// Why admission control refuses a client's transaction now, if it does.
    private func refusal(nowMs: UInt64) -> GovChainError? {
        let admission = self.admission.withLock { $0 }
        let (waiting, oldest) = pool.withLock { ($0.count, $0.oldestAdmittedMs) }
        return admission.refusal(waiting: waiting, oldestAdmittedMs: oldest, nowMs: nowMs)
    }

    private static func precheckInParallel(
        _ list: [[UInt8]], chainId: ChainID, verified: VerifiedSignatures
    ) async -> [Result<Transaction, GovChainError>] {
        let workers = list.count < 64 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        if workers == 1 {
            return list.map { bytes in
                Result { () throws(GovChainError) in try Mempool.precheck(bytes, chainId: chainId, verified: verified) }
            }
        }
        return await withTaskGroup(of: (Int, [Result<Transaction, GovChainError>]).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    (
                        worker,
                        stride(from: worker, to: list.count, by: workers).map { i in
                            Result { () throws(GovChainError) in
                                try Mempool.precheck(list[i], chainId: chainId, verified: verified)
                            }
                        }
                    )
                }
            }
            var parts = [[Result<Transaction, GovChainError>]](repeating: [], count: workers)
            for await (worker, part) in group { parts[worker] = part }
            return (0..<list.count).map { parts[$0 % workers][$0 / workers] }
        }
    }
}
