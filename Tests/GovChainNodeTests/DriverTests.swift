import Foundation
import GovChainAPI
import GovChainConsensus
import GovChainCore
import Logging
import Synchronization
import Testing

@testable import GovChainNode

/// The consensus shell on a manual clock with a scripted peer network: timers fire only when the
/// test moves time, and the sync-versus-propose race that used to trap `buildBlock` is harmless.
@Suite("Consensus driver")
struct DriverTests {
    struct Running {
        let chain: TestChain
        let node: Node
        let transport = ScriptedTransport()
        let clock = ManualClock()
        let driver: ConsensusDriver<ManualClock>
        let task: Task<Void, any Error>

        init(validator: Int) throws {
            chain = try TestChain(validators: 4)
            node = try chain.node(index: validator)
            driver = try ConsensusDriver(
                node: node, network: transport, key: chain.keys[validator], clock: clock,
                logger: Logger(label: "driver") { _ in SwiftLogNoOpLogHandler() })
            task = Task { [driver, node] in try await ConsensusService(driver: driver, node: node).run() }
        }

        var status: StatusResponse.ConsensusStatus { driver.snapshot.withLock { $0 } }

        func stop() async {
            driver.inbox.finish()
            task.cancel()
            _ = await task.result
            chain.remove()
        }

        func votes(_ type: VoteType) -> [Vote] {
            transport.sent.compactMap {
                if case .consensus(.vote(let vote)) = $0.message, vote.type == type { return vote } else { return nil }
            }
        }
    }

    @Test("cancelled as a ServiceGroup cancels it when a sibling fails (the API port is taken): the service ends")
    func cancellationEndsTheService() async throws {
        let running = try Running(validator: 1)
        defer { running.chain.remove() }
        try await eventually("the loop started height 1") { running.status.height == 1 }
        running.task.cancel()  // no graceful shutdown, no inbox.finish(): cancellation alone
        let ended = Mutex(false)
        let task = running.task
        Task {
            _ = await task.result
            ended.withLock { $0 = true }
        }
        try await eventually("the cancelled service returned", seconds: 5) { ended.withLock { $0 } }
    }

    @Test("timeouts wait for the injected clock: no prevote until the propose timeout's time has passed")
    func timersRunOnTheInjectedClock() async throws {
        let running = try Running(validator: 1)  // round 0 of height 1 belongs to validator 0
        _ = try await running.node.mempool.submit(TestChain.anchor("timer").encoded, gossip: false)
        try await eventually("the loop started height 1") { running.status.height == 1 && running.status.timers >= 1 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(running.votes(.prevote).isEmpty, "prevoted before the clock moved")
        running.clock.advance(by: .milliseconds(1_000))
        try await eventually("a nil prevote after timeoutPropose") {
            running.votes(.prevote).contains { $0.block == nil }
        }
        #expect(
            running.transport.sent.contains { if case .status = $0.message { return true } else { return false } },
            "the tick runs on the clock too")
        await running.stop()
    }

    @Test("a synced block lands while this node builds its own proposal for that height: no trap, one block stored")
    func syncVersusProposeRace() async throws {
        for attempt in 0..<5 {
            let running = try Running(validator: 0)  // the proposer of height 1, round 0
            let chain = running.chain
            // The others committed a different block 1 (proposed by validator 1, signed by 1, 2, 3).
            let theirs = Block.make(
                chainId: chain.genesis.chainId, height: 1, time: TestChain.now, previousHash: .zero, lastCommit: nil,
                transactions: [], validators: chain.genesis.validators, proposer: 1,
                stateRoot: LedgerStateTree.genesis(chain.genesis).root)
            let commit = Commit(
                precommits: (1...3).map { i in
                    Vote.sign(
                        type: .precommit, height: 1, round: 0, block: theirs.hash, validator: ValidatorIndex(UInt16(i)),
                        chainId: chain.genesis.chainId, key: chain.keys[i])
                })
            running.transport.deliver(.status(1), from: 1)
            try await eventually("a block request to validator 1") {
                running.transport.sent.contains {
                    if case .blockRequest = $0.message { return $0.to == 1 } else { return false }
                }
            }
            // A transaction makes the node open height 1 and build its proposal, while the block arrives.
            _ = try await running.node.mempool.submit(TestChain.anchor("race \(attempt)").encoded, gossip: false)
            running.transport.deliver(.block(theirs, commit), from: 1)
            try await eventually("the synced block is stored") { running.node.store.height == 1 }
            #expect(try running.node.store.block(at: 1)?.hash == theirs.hash)
            try await eventually("the loop moved to height 2") { running.status.height == 2 }
            #expect(!running.task.isCancelled)
            await running.stop()
        }
    }

    @Test("a proposal for a height the ledger already passed is an error, not a trap")
    func staleProposalThrows() async throws {
        let chain = try TestChain(validators: 4)
        defer { chain.remove() }
        let node = try chain.node()
        await #expect(throws: GovChainError.self) {
            _ = try await node.chain.proposal(height: 5, proposer: 0, evidence: [], candidates: [])
        }
        do {
            _ = try await node.chain.proposal(height: 5, proposer: 0, evidence: [], candidates: [])
        } catch {
            #expect(error.code == "proposal_stale")
        }
    }

    @Test("a proposal whose state root is not what its transactions produce is invalid (the validator prevotes nil)")
    func aWrongStateRootIsInvalid() async throws {
        let chain = try TestChain(validators: 4)
        defer { chain.remove() }
        let node = try chain.node()
        let anchor = TestChain.anchor("state root")
        _ = try await node.mempool.submit(anchor.encoded, gossip: false)
        let good = try await node.chain.proposal(height: 1, proposer: 0, evidence: [], candidates: [anchor])
        #expect(good.header.stateRoot != LedgerStateTree.genesis(chain.genesis).root)
        let other = try chain.node(index: 1)
        let accepted = await other.chain.isValid(good)
        #expect((try? accepted.get()) != nil, "the honest block is valid")
        var lying = good
        lying.header.stateRoot = LedgerStateTree.genesis(chain.genesis).root  // "nothing changed"
        let verdict = await other.chain.isValid(lying)
        guard case .failure(let error) = verdict else {
            Issue.record("a block with a wrong state root was valid")
            return
        }
        #expect(error.code == "block_state_root")
    }

    @Test("a commit is checked through the verified-message cache, and a forged precommit still fails")
    func commitsUseTheCacheButStillVerify() async throws {
        let chain = try TestChain(validators: 4)
        defer { chain.remove() }
        let node = try chain.node()
        let block = Block.make(
            chainId: chain.genesis.chainId, height: 1, time: TestChain.now, previousHash: .zero, lastCommit: nil,
            transactions: [], validators: chain.genesis.validators, proposer: 1,
            stateRoot: LedgerStateTree.genesis(chain.genesis).root)
        let votes = (1...3).map { i in
            Vote.sign(
                type: .precommit, height: 1, round: 0, block: block.hash, validator: ValidatorIndex(UInt16(i)),
                chainId: chain.genesis.chainId, key: chain.keys[i])
        }
        // Validator 3's precommit with validator 2's signature: cached for neither.
        var forged = votes
        forged[2] = Vote(
            type: .precommit, height: 1, round: 0, block: block.hash, validator: 3, signature: votes[1].signature)
        for vote in votes.prefix(2) {
            let bytes = vote.signBytes(chainId: chain.genesis.chainId)
            let key = chain.genesis.validators[vote.validator]!.publicKey
            node.verifiedMessages.insert(CollectionOfOne(VerifiedSignatures.messageKey(key, vote.signature, bytes)))
        }
        await #expect(throws: GovChainError.self) {
            try await node.chain.commit(block, commit: Commit(precommits: forged))
        }
        #expect(node.store.height == 0)
        try await node.chain.commit(block, commit: Commit(precommits: votes))
        #expect(node.store.height == 1)
    }

    @Test("a forged vote from a peer disconnects it before anything reaches the loop")
    func forgedVoteDisconnects() async throws {
        let running = try Running(validator: 0)
        let real = Vote.sign(
            type: .prevote, height: 1, round: 0, block: nil, validator: 2, chainId: running.chain.genesis.chainId,
            key: running.chain.keys[2])
        let forged = Vote(
            type: .prevote, height: 1, round: 0, block: Hash32.sha256([1]), validator: 2, signature: real.signature)
        // Let the loop settle first (its start-up events), so the count below is only the vote's.
        var before = running.status.events_handled
        for _ in 0..<50 {
            try await Task.sleep(for: .milliseconds(50))
            let now = running.status.events_handled
            if now == before && now > 0 { break }
            before = now
        }
        running.transport.deliver(.consensus(.vote(forged)), from: 2)
        try await eventually("the peer is disconnected") {
            running.transport.refused.contains { $0.0 == 2 && $0.1 == "invalid_signature" && $0.2 }
        }
        #expect(running.status.events_handled == before)
        await running.stop()
    }
}
