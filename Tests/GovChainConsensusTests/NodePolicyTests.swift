import GovChainConsensus
import GovChainCore
import Testing

/// The shell policy the node and the simulator share. Validator 3 is "us"; 0-2 are peers.
@Suite("Shell policy: pacing, sync, serving")
struct NodePolicyTests {
    static let me: ValidatorIndex = 3

    func policy(stored: Height = 0, emptyBlockIntervalMs: UInt64 = 0) -> NodePolicy {
        NodePolicy(
            configuration: .init(
                validators: Fixture.validators, selfIndex: Self.me, emptyBlockIntervalMs: emptyBlockIntervalMs),
            storedHeight: stored, nowMs: 0)
    }

    /// A committed block at `height` on top of nothing in particular (the policy does not verify).
    func synced(_ height: Height) -> (Block, Commit) {
        let block = Block.make(
            chainId: Fixture.chainId, height: height, time: Timestamp(rawValue: 1_000 + height.rawValue),
            previousHash: .zero,
            lastCommit: nil, transactions: [], validators: Fixture.validators, proposer: 0)
        let commit = Commit(precommits: [
            Vote.sign(
                type: .precommit, height: height, round: 0, block: block.hash, validator: 0,
                chainId: Fixture.chainId, key: Fixture.keys[0])
        ])
        return (block, commit)
    }

    func requests(_ actions: [NodePolicy.Action]) -> [(Height, UInt16, ValidatorIndex)] {
        actions.compactMap {
            if case .requestBlocks(let from, let count, let peer) = $0 {
                return (from, count, peer)
            } else {
                return nil
            }
        }
    }

    // MARK: - Sync eclipse (issue item 2)

    @Test("a peer claiming height 2^64−1 and never answering cannot keep a lagging node from catching up")
    func lyingStatusDoesNotEclipse() {
        var policy = policy()
        let liar: ValidatorIndex = 0, honest: ValidatorIndex = 1
        var now: UInt64 = 0
        var asked: [ValidatorIndex] = []
        asked += requests(policy.onStatus(Height(.max), from: liar, nowMs: now)).map(\.2)
        asked += requests(policy.onStatus(5, from: honest, nowMs: now)).map(\.2)
        #expect(asked == [liar], "the first claimant is asked first")
        // The liar never answers: after the timeout it is paused and the honest peer is asked.
        now += 2_100
        _ = policy.onStatus(5, from: honest, nowMs: now)
        let tick = policy.onTick(nowMs: now)
        #expect(tick.contains(.refuse(liar, .syncTimeout, disconnect: false)))
        #expect(requests(tick).map(\.2) == [honest])
        // The honest peer delivers 1…5, in any order; they are applied one at a time, in order.
        var applied: [Height] = []
        for height in [Height(2), 1, 3, 5, 4] {
            let (block, commit) = synced(height)
            for action in policy.onSyncedBlock(block, commit, bytes: 300, from: honest, nowMs: now) {
                if case .applySynced(let b, _, _) = action { applied.append(b.header.height) }
            }
        }
        #expect(applied == [1])
        while let last = applied.last, last < 5 {
            let actions = policy.onSyncedApplied(height: last, ok: true, nowMs: now)
            let next = actions.compactMap {
                if case .applySynced(let b, _, _) = $0 { return b.header.height } else { return nil }
            }
            #expect(next.count == 1)
            applied += next
        }
        _ = policy.onSyncedApplied(height: 5, ok: true, nowMs: now)
        #expect(applied == [1, 2, 3, 4, 5])
        #expect(policy.storedHeight == 5)
    }

    @Test("a liar's pause doubles with every failed request, and claims expire")
    func penaltiesGrowAndClaimsExpire() {
        var policy = policy()
        let liar: ValidatorIndex = 0
        var now: UInt64 = 0
        var askedAt: [UInt64] = []
        for _ in 0..<60 {
            now += 500
            let actions = policy.onStatus(Height(.max), from: liar, nowMs: now) + policy.onTick(nowMs: now)
            if !requests(actions).isEmpty { askedAt.append(now) }
        }
        let gaps = zip(askedAt.dropFirst(), askedAt).map { $0 - $1 }
        #expect(gaps.count >= 3 && gaps == gaps.sorted(), "gaps between requests grow: \(gaps)")
        // An honest peer that went away: its claim expires after statusTtlMs and nobody is asked.
        var quiet = self.policy()
        _ = quiet.onStatus(9, from: 1, nowMs: 0)
        let late = quiet.onTick(nowMs: 2_500) + quiet.onTick(nowMs: 6_000)
        #expect(requests(late).isEmpty)
    }

    @Test("blocks nobody asked for are refused, not buffered; the buffer is bounded in bytes")
    func unsolicitedAndBudget() {
        var policy = policy()
        let (block, commit) = synced(1)
        #expect(
            policy.onSyncedBlock(block, commit, bytes: 300, from: 2, nowMs: 0) == [
                .refuse(2, .unsolicitedBlock, disconnect: false)
            ])
        _ = policy.onStatus(100, from: 1, nowMs: 0)
        // Height 1 is missing; 2…64 arrive and wait within the 32 MiB budget (the policy checks
        // its byte accounting after every event and would trap if it overran).
        for height in 2...64 {
            let (block, commit) = synced(Height(UInt64(height)))
            #expect(policy.onSyncedBlock(block, commit, bytes: 1 << 20, from: 1, nowMs: 0).isEmpty)
        }
        // The missing height still gets in, pushing out the highest, and is applied.
        let (first, firstCommit) = synced(1)
        let actions = policy.onSyncedBlock(first, firstCommit, bytes: 1 << 20, from: 1, nowMs: 0)
        #expect(actions == [.applySynced(first, firstCommit, from: 1)])
        var next = policy.onSyncedApplied(height: 1, ok: true, nowMs: 0)
        let (second, secondCommit) = synced(2)
        #expect(next.contains(.applySynced(second, secondCommit, from: 1)))
        next = policy.onSyncedApplied(height: 2, ok: true, nowMs: 0)
        #expect(policy.storedHeight == 2)
    }

    @Test("an invalid synced block disconnects its sender and sync moves to another peer")
    func invalidSyncedBlock() {
        var policy = policy()
        _ = policy.onStatus(3, from: 0, nowMs: 0)
        _ = policy.onStatus(3, from: 1, nowMs: 0)
        let (block, commit) = synced(1)
        _ = policy.onSyncedBlock(block, commit, bytes: 300, from: 0, nowMs: 0)
        let actions = policy.onSyncedApplied(height: 1, ok: false, nowMs: 0)
        #expect(actions.contains(.refuse(0, .invalidSyncedBlock, disconnect: true)))
        #expect(requests(actions).map(\.2) == [1])
    }

    @Test("sync and consensus deciding the same height: no trap, the stored height moves once")
    func syncVersusDecide() {
        var policy = policy()
        _ = policy.onStart(resuming: false, transactionsWaiting: true, nowMs: 0)
        _ = policy.onStatus(2, from: 0, nowMs: 0)
        let (block, commit) = synced(1)
        _ = policy.onSyncedBlock(block, commit, bytes: 300, from: 0, nowMs: 0)
        // Consensus decides height 1 while the synced copy is still being applied.
        let decided = policy.onDecided(block, commit, nowMs: 1)
        #expect(decided == [.feedCommitted(block, commit)])
        let applied = policy.onSyncedApplied(height: 1, ok: true, nowMs: 2)
        #expect(policy.storedHeight == 1)
        #expect(applied.contains(.feedCommitted(block, commit)))
    }

    @Test("a synced block buffered above a height consensus then stores is applied at once, not left forever")
    func bufferedBlockAfterDecide() {
        var policy = policy()
        _ = policy.onStart(resuming: false, transactionsWaiting: true, nowMs: 0)
        #expect(requests(policy.onStatus(3, from: 0, nowMs: 0)).map(\.0) == [1])
        let (first, firstCommit) = synced(1)
        let (second, secondCommit) = synced(2)
        // Block 2 arrives first and waits for block 1; consensus decides block 1 meanwhile.
        #expect(policy.onSyncedBlock(second, secondCommit, bytes: 300, from: 0, nowMs: 1).isEmpty)
        let decided = policy.onDecided(first, firstCommit, nowMs: 2)
        #expect(decided.contains(.applySynced(second, secondCommit, from: 0)), "\(decided)")
        let applied = policy.onSyncedApplied(height: 2, ok: true, nowMs: 3)
        #expect(policy.storedHeight == 2)
        #expect(applied.contains(.feedCommitted(second, secondCommit)))
    }

    // MARK: - Pacing (issue item 10)

    @Test("one validator's messages do not wake an idle node; more than a third of the power does")
    func idleWake() {
        var policy = policy()
        #expect(policy.onStart(resuming: false, transactionsWaiting: false, nowMs: 0).isEmpty)
        #expect(
            policy.onVerifiedConsensus(signer: 0, height: 1, round: 0, proposalWithTransactions: false, nowMs: 1)
                .isEmpty)
        #expect(
            policy.onVerifiedConsensus(signer: 0, height: 1, round: 0, proposalWithTransactions: false, nowMs: 2)
                .isEmpty)
        #expect(
            policy.onVerifiedConsensus(signer: 1, height: 1, round: 0, proposalWithTransactions: false, nowMs: 3) == [
                .startConsensus
            ])
        var other = self.policy()
        _ = other.onStart(resuming: false, transactionsWaiting: false, nowMs: 0)
        // A proposal with transactions wakes it, but only from the proposer of that round.
        #expect(
            other.onVerifiedConsensus(signer: 2, height: 1, round: 0, proposalWithTransactions: true, nowMs: 1).isEmpty)
        #expect(
            other.onVerifiedConsensus(signer: 2, height: 1, round: 2, proposalWithTransactions: true, nowMs: 1) == [
                .startConsensus
            ])
    }

    @Test("a decided block is held until transactions wait or the empty-block interval passes")
    func holding() {
        var policy = policy(emptyBlockIntervalMs: 1_000)
        #expect(policy.onStart(resuming: false, transactionsWaiting: false, nowMs: 0) == [.startConsensus])
        let (block, commit) = synced(1)
        #expect(policy.onDecided(block, commit, nowMs: 10).isEmpty)
        #expect(!policy.onTick(nowMs: 500).contains(.feedCommitted(block, commit)))
        #expect(policy.onTick(nowMs: 1_010).contains(.feedCommitted(block, commit)))
        var busy = self.policy()
        _ = busy.onStart(resuming: false, transactionsWaiting: false, nowMs: 0)
        #expect(busy.onTransactionsWaiting(true, nowMs: 1) == [.startConsensus])
    }

    @Test("re-gossip only while a running height is stuck, at most once per interval")
    func regossip() {
        var policy = policy()
        _ = policy.onStart(resuming: true, transactionsWaiting: false, nowMs: 0)
        #expect(!policy.onTick(nowMs: 1_000).contains(.regossip))
        #expect(policy.onTick(nowMs: 2_000).contains(.regossip))
        #expect(!policy.onTick(nowMs: 3_000).contains(.regossip))
        #expect(policy.onTick(nowMs: 4_000).contains(.regossip))
    }

    // MARK: - Serving (issue item 11)

    @Test("a peer is served one request at a time, and only what this node has")
    func serving() {
        var policy = policy(stored: 10)
        #expect(policy.onBlockRequest(from: 5, count: 64, peer: 0) == [.serveBlocks(from: 5, count: 6, peer: 0)])
        #expect(
            policy.onBlockRequest(from: 1, count: 64, peer: 0) == [.refuse(0, .requestWhileServing, disconnect: false)])
        #expect(policy.onBlockRequest(from: 1, count: 2, peer: 1) == [.serveBlocks(from: 1, count: 2, peer: 1)])
        policy.onServed(peer: 0)
        #expect(
            policy.onBlockRequest(from: 11, count: 1, peer: 0) == [.refuse(0, .requestBeyondHead, disconnect: false)])
        #expect(
            policy.onBlockRequest(from: Height(.max), count: 64, peer: 0) == [
                .refuse(0, .requestBeyondHead, disconnect: false)
            ])
        #expect(
            policy.onBlockRequest(from: 0, count: 64, peer: 0) == [.refuse(0, .requestBeyondHead, disconnect: false)])
        #expect(policy.onBlockRequest(from: 1, count: 1, peer: Self.me).isEmpty)
    }
}
