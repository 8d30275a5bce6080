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
        let otherWaiting = Task { try await waiters.wait(for: other.id, timeoutMs: 1_000) }
        // Both registered (not a fixed sleep: under load a task may start late, and a waiter that
        // registers after `fail` would wait its full timeout).
        while waiters.waitingCount < 2 && ContinuousClock.now - began < .seconds(10) {
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(waiters.waitingCount == 2, "the waiters did not register")
        let reason = GovChainError(code: .transactionConflict, message: "A committed transaction changed a record.")
        waiters.fail([(dropped, reason)])
        await #expect(throws: reason) { try await waiting.value }
        #expect(ContinuousClock.now - began < .seconds(5), "the waiter was not told at once")
        // The other transaction was not dropped: it times out on its own, with the timeout's code.
        await #expect(
            performing: { try await otherWaiting.value }, throws: { ($0 as? GovChainError)?.code == .commitTimeout })
    }

    @Test("on shutdown every waiter is answered node_stopping at once, and so is one that comes later")
    func stopAnswersEveryone() async throws {
        let chain = try TestChain()
        defer { chain.remove() }
        let store = try BlockStore(directory: chain.directory + "/waiters", genesis: chain.genesis)
        let waiters = CommitWaiters(store: store)
        let began = ContinuousClock.now
        let first = Task { try await waiters.wait(for: TestChain.anchor("a").id, timeoutMs: 20_000) }
        let second = Task { try await waiters.wait(for: TestChain.anchor("b").id, timeoutMs: 20_000) }
        try await Task.sleep(for: .milliseconds(100))
        waiters.stop()
        for task in [first, second] {
            await #expect(
                performing: { try await task.value }, throws: { ($0 as? GovChainError)?.code == .nodeStopping })
        }
        await #expect(
            performing: { try await waiters.wait(for: TestChain.anchor("c").id, timeoutMs: 20_000) },
            throws: { ($0 as? GovChainError)?.code == .nodeStopping })
        #expect(ContinuousClock.now - began < .seconds(5), "waiters held the shutdown")
    }
}
