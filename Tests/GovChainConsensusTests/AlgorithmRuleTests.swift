import GovChainConsensus
import GovChainCore
import Testing

/// One test per rule of Algorithm 1 (Buchman, Kwon, Milosevic 2018). The instance under test is
/// validator 3; validators 0-2 are driven by hand.
@Suite("Algorithm 1 rules")
struct AlgorithmRuleTests {
    let a = Fixture.block(1)
    let b = Fixture.block(2, proposer: 1)

    @Test("lines 11-21: a non-proposer starts round 0 with timeoutPropose(0)")
    func startRound() {
        let (instance, effects) = Fixture.started()
        #expect(instance.round == 0 && instance.step == .propose)
        #expect(effects == [.scheduleTimeout(Timeout(height: 1, round: 0, step: .propose), durationMs: 1_000)])
    }

    @Test("line 18: the proposer asks the shell for a value, then signs and prevotes it")
    func proposerAsksForValue() {
        let (instance0, effects) = Fixture.started(0)
        var instance = instance0
        #expect(effects.contains(.requestProposal(height: 1, round: 0, evidence: [])))
        let out = instance.step(.proposalValue(a))
        #expect(out.signedProposals.map(\.blockHash) == [a.hash])
        #expect(out.signedVotes.map(\.block) == [a.hash])
        #expect(instance.step == .prevote)
    }

    @Test("lines 22-27: a valid proposal gets a prevote for it; an invalid one gets nil")
    func prevoteForProposal() {
        var (instance, _) = Fixture.started()
        let out = instance.receive(Fixture.proposal(a, round: 0))
        #expect(out.signedVotes.map(\.block) == [a.hash])
        var (other, _) = Fixture.started()
        let rejected = other.receive(Fixture.proposal(a, round: 0), valid: false)
        #expect(rejected.signedVotes.count == 1 && rejected.signedVotes[0].block == nil)
    }

    @Test("lines 36-43: a polka locks the value and precommits it")
    func lockOnPolka() {
        var (instance, _) = Fixture.started()
        let out = instance.receive(
            Fixture.proposal(a, round: 0),
            Fixture.vote(.prevote, round: 0, a, from: 0), Fixture.vote(.prevote, round: 0, a, from: 1))
        #expect(out.signedVotes.map(\.type) == [.prevote, .precommit])
        #expect(out.signedVotes.last?.block == a.hash)
        #expect(instance.locked?.blockHash == a.hash && instance.locked?.round == 0)
        #expect(instance.valid?.blockHash == a.hash)
        #expect(instance.step == .precommit)
    }

    @Test("lines 22-26: locked on another value, the instance prevotes nil")
    func nilPrevoteWhenLocked() {
        var instance = lockedOnA()
        let out = instance.receive(Fixture.proposal(b, round: 1))
        #expect(out.signedVotes.count == 1 && out.signedVotes[0].block == nil)
        #expect(instance.locked?.blockHash == a.hash)
    }

    @Test("lines 28-33: a later polka (validRound ≥ lockedRound) unlocks: prevote for the new value")
    func unlockOnLaterPolka() {
        var instance = lockedOnA()
        // Round 1: b gathers a polka among the others, which this instance sees.
        _ = instance.receive(
            Fixture.vote(.prevote, round: 1, b, from: 0), Fixture.vote(.prevote, round: 1, b, from: 1),
            Fixture.vote(.prevote, round: 1, b, from: 2))
        // Round 2: validator 2 re-proposes b with validRound 1.
        _ = instance.receive(
            Fixture.vote(.precommit, round: 1, nil, from: 0), Fixture.vote(.precommit, round: 1, nil, from: 1),
            Fixture.vote(.precommit, round: 1, nil, from: 2))
        _ = instance.step(.timeout(Timeout(height: 1, round: instance.round, step: .precommit)))
        #expect(instance.round == 2)
        let out = instance.receive(Fixture.proposal(b, round: 2, validRound: 1))
        #expect(out.signedVotes.map(\.block) == [b.hash])
    }

    @Test("lines 34-35, 61-64: 2f+1 mixed prevotes start timeoutPrevote; its expiry precommits nil")
    func nilPrecommitOnTimeout() {
        var (instance, _) = Fixture.started()
        _ = instance.step(.timeout(Timeout(height: 1, round: 0, step: .propose)))
        #expect(instance.step == .prevote)
        let out = instance.receive(
            Fixture.vote(.prevote, round: 0, a, from: 0), Fixture.vote(.prevote, round: 0, b, from: 1))
        #expect(out.timeouts == [Timeout(height: 1, round: 0, step: .prevote)])
        let expired = instance.step(.timeout(Timeout(height: 1, round: 0, step: .prevote)))
        #expect(expired.signedVotes.map(\.type) == [.precommit])
        #expect(expired.signedVotes[0].block == nil)
        #expect(instance.step == .precommit)
    }

    @Test("lines 44-46: 2f+1 nil prevotes precommit nil at once")
    func nilPolka() {
        var (instance, _) = Fixture.started()
        _ = instance.step(.timeout(Timeout(height: 1, round: 0, step: .propose)))
        let out = instance.receive(
            Fixture.vote(.prevote, round: 0, nil, from: 0), Fixture.vote(.prevote, round: 0, nil, from: 1))
        #expect(out.signedVotes.map(\.type) == [.precommit])
        #expect(out.signedVotes[0].block == nil)
    }

    @Test("lines 47-48, 65-67: 2f+1 precommits start timeoutPrecommit; its expiry starts the next round")
    func nextRoundOnPrecommitTimeout() {
        var (instance, _) = Fixture.started()
        let out = instance.receive(
            Fixture.vote(.precommit, round: 0, nil, from: 0), Fixture.vote(.precommit, round: 0, nil, from: 1),
            Fixture.vote(.precommit, round: 0, a, from: 2))
        #expect(out.timeouts == [Timeout(height: 1, round: 0, step: .precommit)])
        let next = instance.step(.timeout(Timeout(height: 1, round: 0, step: .precommit)))
        #expect(instance.round == 1 && instance.step == .propose)
        #expect(next.contains(.scheduleTimeout(Timeout(height: 1, round: 1, step: .propose), durationMs: 1_250)))
    }

    @Test("lines 55-56: f+1 of the power in a higher round skips to it; f alone does not")
    func roundSkip() {
        var (instance, _) = Fixture.started()
        _ = instance.receive(Fixture.vote(.prevote, round: 5, nil, from: 0))
        #expect(instance.round == 0)
        let out = instance.receive(Fixture.vote(.precommit, round: 5, nil, from: 1))
        #expect(instance.round == 5)
        #expect(out.timeouts == [Timeout(height: 1, round: 5, step: .propose)])
    }

    @Test("lines 49-51: a decision from a later round, with a commit that verifies")
    func decisionFromLaterRound() throws {
        var (instance, _) = Fixture.started()
        let late = Fixture.block(9, proposer: 2)
        let out = instance.receive(
            Fixture.proposal(late, round: 2),
            Fixture.vote(.precommit, round: 2, late, from: 0), Fixture.vote(.precommit, round: 2, late, from: 1),
            Fixture.vote(.precommit, round: 2, late, from: 2))
        let decisions = out.decisions
        #expect(decisions.count == 1)
        let (block, commit) = try #require(decisions.first)
        #expect(block == late && commit.round == 2)
        try commit.verify(blockHash: late.hash, height: 1, validators: Fixture.validators, chainId: Fixture.chainId)
        // Lines 52-54 happen once the shell has stored the block.
        _ = instance.step(.committed(block, commit))
        #expect(instance.height == 2 && instance.round == 0 && instance.locked == nil && instance.decision == nil)
    }

    @Test("an invalid signature is dropped and counted, never counted as a vote")
    func invalidSignatureDropped() {
        var (instance, _) = Fixture.started()
        guard case .vote(var vote) = Fixture.vote(.prevote, round: 7, nil, from: 0) else { return }
        vote.validator = 1
        _ = instance.receive(.vote(vote), Fixture.vote(.prevote, round: 7, nil, from: 2))
        #expect(instance.stats.invalidSignature == 1)
        #expect(instance.round == 0)
    }

    /// Validator 3 locked on `a` in round 0, then moved to round 1 by the precommit timeout.
    private func lockedOnA() -> ConsensusInstance {
        var (instance, _) = Fixture.started()
        _ = instance.receive(
            Fixture.proposal(a, round: 0),
            Fixture.vote(.prevote, round: 0, a, from: 0), Fixture.vote(.prevote, round: 0, a, from: 1),
            Fixture.vote(.precommit, round: 0, nil, from: 0), Fixture.vote(.precommit, round: 0, nil, from: 1))
        _ = instance.step(.timeout(Timeout(height: 1, round: 0, step: .precommit)))
        precondition(instance.round == 1 && instance.locked?.blockHash == a.hash, "fixture: not locked on a in round 1")
        return instance
    }
}
