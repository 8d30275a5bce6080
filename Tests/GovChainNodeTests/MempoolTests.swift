import GovChainCore
import GovChainStorage
import Testing

@testable import GovChainNode

/// The mempool as a pure struct: admission stages, limits, duplicates and what a block removes.
@Suite("Mempool")
struct MempoolTests {
    let chain = try! TestChain()

    func mempool(count: Int = 100, bytes: Int = 1 << 20) -> Mempool {
        Mempool(
            limits: .init(txCountMax: count, bytesMax: bytes), rules: LedgerRules(genesis: chain.genesis),
            committed: LedgerRules(genesis: chain.genesis).genesisState())
    }

    func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? GovChainError)?.code.rawValue ?? "\(error)"
        }
    }

    @Test("stage one refuses undecodable bytes and bad signatures, and verifies each signature once")
    func precheck() throws {
        let verified = VerifiedSignatures(capacity: 10)
        #expect(
            code { _ = try Mempool.precheck([1, 2, 3], chainId: chain.genesis.chainId, verified: verified) }
                == "malformed_transaction")
        var forged = TestChain.anchor("a").encoded
        forged[forged.count - 1] ^= 1
        #expect(
            code { _ = try Mempool.precheck(forged, chainId: chain.genesis.chainId, verified: verified) }
                == "invalid_signature")
        let good = TestChain.anchor("a")
        _ = try Mempool.precheck(good.encoded, chainId: chain.genesis.chainId, verified: verified)
        #expect(verified.contains(good.id))
    }

    @Test("stage two: rules, duplicates, the transaction window, and both limits")
    func admission() {
        var pool = mempool(count: 2)
        let now = TestChain.now
        #expect(code { try pool.admit(checked: TestChain.anchor("a"), nextHeight: 1, now: now) } == nil)
        #expect(
            code { try pool.admit(checked: TestChain.anchor("a"), nextHeight: 1, now: now) } == "transaction_pending")
        #expect(
            code { try pool.admit(checked: TestChain.anchor("a", nonce: 1), nextHeight: 1, now: now) }
                == "document_already_anchored")
        let stale = TestChain.anchor("old", time: Timestamp(rawValue: now.rawValue - 2 * 86_400_000))
        #expect(code { try pool.admit(checked: stale, nextHeight: 1, now: now) } == "transaction_time_outside_window")
        #expect(code { try pool.admit(checked: TestChain.anchor("b"), nextHeight: 1, now: now) } == nil)
        #expect(code { try pool.admit(checked: TestChain.anchor("c"), nextHeight: 1, now: now) } == "mempool_full")
        var small = mempool(bytes: TestChain.anchor("a").encoded.count + 10)
        #expect(code { try small.admit(checked: TestChain.anchor("a"), nextHeight: 1, now: now) } == nil)
        #expect(code { try small.admit(checked: TestChain.anchor("b"), nextHeight: 1, now: now) } == "mempool_full")
        #expect(
            pool.count == 2 && pool.bytes == TestChain.anchor("a").encoded.count + TestChain.anchor("b").encoded.count)
    }

    @Test("a committed block removes what it holds; a foreign block drops only conflicting waiters")
    func update() throws {
        var pool = mempool()
        let now = TestChain.now
        for text in ["a", "b", "c"] { try pool.admit(checked: TestChain.anchor(text), nextHeight: 1, now: now) }
        let committed = LedgerRules(genesis: chain.genesis).genesisState()
        var dropped = pool.update(committed: committed, block: [TestChain.anchor("a")], nextHeight: 2, now: now)
        #expect(dropped.isEmpty && pool.count == 2 && !pool.ids.contains(TestChain.anchor("a").id))
        // Another node's block anchored "b" with another transaction: our "b" now conflicts.
        dropped = pool.update(committed: committed, block: [TestChain.anchor("b", nonce: 9)], nextHeight: 3, now: now)
        #expect(dropped.map(\.0.id) == [TestChain.anchor("b").id])
        #expect(dropped.first?.1.code == "transaction_conflict")
        #expect(pool.waiting.map(\.id) == [TestChain.anchor("c").id])
    }
}
