import Foundation
import GovChainCore
import GovChainStorage
import Synchronization

/// API requests waiting for their transaction to be committed (`?wait=true`). Fed by the
/// store's commit feed; a waiter that registers while its block is being stored still sees it,
/// because registration re-reads the store after it is in place.
package final class CommitWaiters: Sendable {
    private typealias Waiter = (token: UInt64, continuation: CheckedContinuation<TransactionLocation, any Error>)
    private struct State {
        var waiting: [Hash32: [Waiter]] = [:]
        var nextToken: UInt64 = 0
        /// Set once the node shuts down: every waiter was told, and new ones are told at once.
        var stopped = false
    }

    private let state = Mutex(State())
    /// Transactions someone waits for (tests wait for registration instead of sleeping).
    var waitingCount: Int { state.withLock { $0.waiting.count } }
    private let store: BlockStore

    init(store: BlockStore) { self.store = store }

    /// Waits until the transaction `id` is committed, at most `timeoutMs`.
    package func wait(for id: Hash32, timeoutMs: UInt64) async throws -> TransactionLocation {
        if let location = try store.transactionLocation(id) { return location }
        let store = self.store
        return try await withCheckedThrowingContinuation { continuation in
            let token: UInt64? = state.withLock { state in
                guard !state.stopped else { return nil }
                defer { state.nextToken += 1 }
                state.waiting[id, default: []].append((state.nextToken, continuation))
                return state.nextToken
            }
            guard let token else {
                continuation.resume(throwing: Self.stoppingError)
                return
            }
            // The block may have been stored between the first look and the registration.
            if let location = try? store.transactionLocation(id) {
                take(id, token)?.resume(returning: location)
                return
            }
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(timeoutMs))
                self?.take(id, token)?.resume(
                    throwing: GovChainError(
                        code: .commitTimeout,
                        message: "The transaction is accepted but was not committed in time; query its status later."))
            }
        }
    }

    /// The commit feed's entry: resumes everyone waiting for a transaction of `block`.
    func resume(_ block: Block) {
        let ready: [(CheckedContinuation<TransactionLocation, any Error>, TransactionLocation)] = state.withLock {
            state in
            guard !state.waiting.isEmpty else { return [] }
            var ready: [(CheckedContinuation<TransactionLocation, any Error>, TransactionLocation)] = []
            for (index, transaction) in block.transactions.enumerated() {
                guard let list = state.waiting.removeValue(forKey: transaction.id) else { continue }
                let location = TransactionLocation(height: block.header.height, index: UInt32(index))
                ready += list.map { ($0.continuation, location) }
            }
            return ready
        }
        for (continuation, location) in ready { continuation.resume(returning: location) }
    }

    /// The commit feed's other half: transactions the mempool dropped after a block (a committed
    /// transaction changed what they depend on) will never commit, so their waiters are told at
    /// once, with the reason, instead of after the full wait.
    func fail(_ dropped: [(Transaction, GovChainError)]) {
        let told: [(CheckedContinuation<TransactionLocation, any Error>, GovChainError)] = state.withLock { state in
            guard !state.waiting.isEmpty else { return [] }
            return dropped.flatMap { transaction, error in
                (state.waiting.removeValue(forKey: transaction.id) ?? []).map { ($0.continuation, error) }
            }
        }
        for (continuation, error) in told { continuation.resume(throwing: error) }
    }

    private static let stoppingError = GovChainError(
        code: .nodeStopping,
        message:
            "The node is shutting down; the transaction was accepted and may still be committed by the other validators: query its status later."
    )

    /// The node shuts down: everyone waiting is answered now (503 `node_stopping`) rather than
    /// holding the HTTP server's shutdown for up to `commit_wait_ms_max`.
    func stop() {
        let all = state.withLock { state in
            state.stopped = true
            defer { state.waiting = [:] }
            return state.waiting.values.flatMap { $0.map(\.continuation) }
        }
        for continuation in all { continuation.resume(throwing: Self.stoppingError) }
    }

    private func take(_ id: Hash32, _ token: UInt64) -> CheckedContinuation<TransactionLocation, any Error>? {
        state.withLock { state in
            guard var list = state.waiting[id], let position = list.firstIndex(where: { $0.token == token }) else {
                return nil
            }
            let waiter = list.remove(at: position)
            state.waiting[id] = list.isEmpty ? nil : list
            return waiter.continuation
        }
    }
}
