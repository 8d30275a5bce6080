import Foundation
import GovChainCore
import GovChainStorage
import Testing

@testable import GovChainNode

/// `?wait=commit` waiters: a transaction the mempool dropped after a block is reported at once,
/// with its reason (issue 13: the waiter used to wait the full 30 s and then say "not committed").
@Suite("Commit waiters")
struct CommitWaitersTests {
    @Test("a dropped transaction's waiter is told why at once; others keep waiting")
    func droppedIsToldAtOnce() async throws {
        let chain = try TestChain()
        defer { chain.remove() }
        let store = try BlockStore(directory: chain.directory + "/waiters", genesis: chain.genesis)
        let waiters = CommitWaiters(store: store)
        let dropped = TestChain.anchor("dropped")
        let other = TestChain.anchor("other")
        let began = ContinuousClock.now
        let waiting = Task { try await waiters.wait(for: dropped.id, timeoutMs: 20_000) }
        let otherWaiting = Task { try await waiters.wait(for: other.id, timeoutMs: 300) }
        try await Task.sleep(for: .milliseconds(100))  // both registered
        let reason = GovChainError(code: .transactionConflict, message: "A committed transaction changed a record.")
        waiters.fail([(dropped, reason)])
        await #expect(throws: reason) { try await waiting.value }
        #expect(ContinuousClock.now - began < .seconds(5), "the waiter was not told at once")
        // The other transaction was not dropped: it times out on its own, with the timeout's code.
        await #expect(
            performing: { try await otherWaiting.value }, throws: { ($0 as? GovChainError)?.code == .commitTimeout })
    }
}
