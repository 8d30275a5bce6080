import GovChainConsensus
import GovChainCore
import Testing

@Suite("Signing guard, persistence, evidence, proposer rotation")
struct SafetyTests {
    let a = Fixture.block(1)
    let b = Fixture.block(2)

    @Test("a persist carrying the new signature precedes every broadcast")
    func persistBeforeBroadcast() {
        var (instance, _) = Fixture.started()
        let out = instance.receive(
            Fixture.proposal(a, round: 0),
            Fixture.vote(.prevote, round: 0, a, from: 0), Fixture.vote(.prevote, round: 0, a, from: 1))
        var lastPersisted: SigningState?
        for effect in out {
            if case .persist(let state) = effect { lastPersisted = state }
            if case .broadcast(let message) = effect { #expect(lastPersisted?.recentlySigned.last == message) }
        }
        #expect(lastPersisted?.locked?.blockHash == a.hash)
        #expect(lastPersisted?.recentlySigned.map(\.step) == [.prevote, .precommit])
    }

    @Test("after a restart the persisted state refuses a conflicting signature and keeps the lock")
    func restartRefusesConflict() throws {
        var (instance, _) = Fixture.started()
        _ = instance.receive(
            Fixture.proposal(a, round: 0),
            Fixture.vote(.prevote, round: 0, a, from: 0), Fixture.vote(.prevote, round: 0, a, from: 1))
        let persisted = try #require(instance.signingState)
        let stored = try SigningState(decoding: persisted.encoded, chainId: Fixture.chainId)
        #expect(stored == persisted)

        var (restarted, resent) = Fixture.started(resumingFrom: stored)
        // It re-sends what it signed in that round, without signing anything new.
        #expect(resent.signedVotes.map(\.type) == [.prevote, .precommit])
        #expect(!resent.contains { if case .persist = $0 { true } else { false } })
        #expect(restarted.locked?.blockHash == a.hash)
        // A conflicting proposal in the same round (an equivocating proposer) must not be prevoted.
        // Line 22 fires (prevote nil, being locked on a), but the guard refuses: it already
        // precommitted in round 0. The step moves on as if the vote had been lost.
        let out = restarted.receive(Fixture.proposal(b, round: 0))
        #expect(out.signedVotes.isEmpty)
        #expect(!out.contains { if case .persist = $0 { true } else { false } })
        #expect(restarted.stats.refusedSignatures == 1)
        #expect(restarted.step == .prevote)
        #expect(restarted.step(.timeout(Timeout(height: 1, round: 0, step: .propose))).isEmpty)
    }

    @Test("the persisted state keeps what was signed in the last two rounds with signatures")
    func keepsTwoRounds() {
        func vote(_ type: VoteType, _ round: Round) -> ConsensusMessage {
            Fixture.vote(type, round: round, nil, from: 3)
        }
        var state = SigningState(recentlySigned: [vote(.prevote, 0)], chainId: Fixture.chainId, locked: nil, valid: nil)
        for next in [vote(.precommit, 0), vote(.prevote, 1), vote(.precommit, 1), vote(.prevote, 4)] {
            state = state.adding(next, chainId: Fixture.chainId, locked: nil, valid: nil)
        }
        #expect(state.recentlySigned.map { "\($0.round)/\($0.step)" } == ["1/prevote", "1/precommit", "4/prevote"])
        let nextHeight = Fixture.vote(.prevote, round: 0, nil, from: 3, height: 2)
        #expect(
            state.adding(nextHeight, chainId: Fixture.chainId, locked: nil, valid: nil).recentlySigned == [nextHeight])
        // Re-signing the identical last message does not duplicate it.
        #expect(state.adding(vote(.prevote, 4), chainId: Fixture.chainId, locked: nil, valid: nil) == state)
    }

    @Test("the guard permits only later steps, or the very same bytes again")
    func guardOrder() {
        let vote = Fixture.vote(.prevote, round: 2, a, from: 3)
        let state = SigningState(recentlySigned: [vote], chainId: Fixture.chainId, locked: nil, valid: nil)
        let digest = Hash32.sha256(vote.signBytes(chainId: Fixture.chainId))
        #expect(state.permits(height: 1, round: 2, step: .prevote, digest: digest))
        #expect(!state.permits(height: 1, round: 2, step: .prevote, digest: Hash32.sha256([1])))
        #expect(!state.permits(height: 1, round: 2, step: .propose, digest: digest))
        #expect(!state.permits(height: 1, round: 1, step: .precommit, digest: digest))
        #expect(state.permits(height: 1, round: 2, step: .precommit, digest: Hash32.sha256([1])))
        #expect(state.permits(height: 2, round: 0, step: .propose, digest: Hash32.sha256([1])))
    }

    @Test("two conflicting votes from one validator become DuplicateVoteEvidence, proposed later")
    func evidenceFromEquivocation() throws {
        var (instance, _) = Fixture.started(1)
        let out = instance.receive(
            Fixture.vote(.prevote, round: 0, a, from: 2), Fixture.vote(.prevote, round: 0, b, from: 2))
        let evidence = try #require(out.evidence.first)
        #expect(out.evidence.count == 1 && evidence.validator == 2)
        try evidence.verify(validators: Fixture.validators, chainId: Fixture.chainId)
        // Validator 1 proposes in round 1 and is handed the evidence for its block.
        _ = instance.receive(
            Fixture.vote(.precommit, round: 0, nil, from: 0), Fixture.vote(.precommit, round: 0, nil, from: 2),
            Fixture.vote(.precommit, round: 0, nil, from: 3))
        let next = instance.step(.timeout(Timeout(height: 1, round: 0, step: .precommit)))
        #expect(next.contains(.requestProposal(height: 1, round: 1, evidence: [evidence])))
        // Once a committed block carries it, it is no longer pending.
        let block = Block.make(
            chainId: Fixture.chainId, height: 1, time: 5_000, previousHash: .zero, lastCommit: nil, transactions: [],
            validators: Fixture.validators, proposer: 1, evidence: [evidence])
        _ = instance.step(.committed(block, Commit(height: 1, round: 1, blockHash: block.hash, signatures: [])))
        #expect(instance.pendingEvidence.isEmpty)
    }

    @Test("proposer rotation: round-robin for equal powers, weighted and smooth otherwise")
    func proposerRotation() {
        let equal = Fixture.configuration.schedule
        #expect(
            (0..<8).map { equal.proposer(height: 1, round: Round(UInt32($0))).rawValue } == [0, 1, 2, 3, 0, 1, 2, 3])
        #expect((1...4).map { equal.proposer(height: Height(UInt64($0)), round: 0).rawValue } == [0, 1, 2, 3])

        let weighted = ValidatorSet(
            Fixture.keys.enumerated().map { index, key in
                Validator(name: "w\(index)", publicKey: key.publicKey, peerAddress: "", power: [30, 10, 10, 10][index])
            })
        let schedule = ProposerSchedule(validators: weighted)
        // Smooth weighted round-robin by hand: priorities grow by the weights, the highest (lowest
        // index on a tie) proposes and pays back the total 6.
        #expect(schedule.cycle.map(\.rawValue) == [0, 1, 0, 2, 3, 0])
        let counts = (0..<600).reduce(into: [UInt16: Int]()) { counts, slot in
            counts[schedule.proposer(height: Height(UInt64(slot) + 1), round: 0).rawValue, default: 0] += 1
        }
        #expect(counts == [0: 300, 1: 100, 2: 100, 3: 100])
    }

    @Test("huge powers are scaled into a bounded cycle, keeping proportions")
    func scaledPowers() {
        let weighted = ValidatorSet(
            Fixture.keys.enumerated().map { index, key in
                Validator(
                    name: "w\(index)", publicKey: key.publicKey, peerAddress: "",
                    power: [1 << 40, 1 << 40, 3, 1 << 41][index])
            })
        let schedule = ProposerSchedule(validators: weighted)
        #expect(UInt64(schedule.cycle.count) <= ProposerSchedule.cycleLengthMax)
        #expect(schedule.cycle.contains(2))
        let threes = schedule.cycle.filter { $0 == 3 }.count
        let zeros = schedule.cycle.filter { $0 == 0 }.count
        #expect(abs(threes - 2 * zeros) <= 1)
    }

    @Test("timeouts grow by delta per round")
    func timeoutsGrow() {
        #expect(Fixture.timeouts.durationMs(.propose, round: 0) == 1_000)
        #expect(Fixture.timeouts.durationMs(.prevote, round: 4) == 1_500)
        #expect(Fixture.timeouts.durationMs(.precommit, round: Round(UInt32.max)) == 500 + 250 * UInt64(UInt32.max))
    }
}
