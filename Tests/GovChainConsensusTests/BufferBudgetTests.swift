import GovChainConsensus
import GovChainCore
import Testing

/// What a byzantine validator (valid key, hand-made messages) can make an instance hold:
/// nothing unauthenticated, and at most a byte budget per signer (issue items 3 and 12).
@Suite("Consensus buffers: authenticated and budgeted")
struct BufferBudgetTests {
    @Test("next-height messages are buffered only after their signature verifies")
    func futureMessagesAreAuthenticated() {
        var (instance, _) = Fixture.started()
        let genuine = Vote.sign(
            type: .prevote, height: 2, round: 0, block: nil, validator: 1, chainId: Fixture.chainId,
            key: Fixture.keys[1])
        let forged = Vote(
            type: .prevote, height: 2, round: 0, block: Hash32.sha256([1]), validator: 1, signature: genuine.signature)
        _ = instance.step(.message(.vote(forged)))
        #expect(instance.stats.buffered == 0 && instance.stats.invalidSignature == 1)
        _ = instance.step(.message(.vote(genuine)))
        #expect(instance.stats.buffered == 1)
    }

    @Test("each signer's next-height messages stay within its byte budget")
    func futureBytesPerSigner() {
        var configuration = Fixture.configuration
        configuration.futureBytesPerSignerMax = 1_000
        var instance = ConsensusInstance(configuration: configuration, signer: Fixture.keys[3], height: 1)
        _ = instance.step(.start)
        for round in 0..<20 {
            let vote = Vote.sign(
                type: .prevote, height: 2, round: Round(UInt32(round)), block: nil, validator: 1,
                chainId: Fixture.chainId, key: Fixture.keys[1])
            _ = instance.step(.message(.vote(vote)))
        }
        #expect(instance.stats.buffered == 6)  // 6 × 160 bytes ≤ 1,000
        #expect(instance.stats.overBudget == 14)
        // Another validator has a budget of its own.
        let other = Vote.sign(
            type: .prevote, height: 2, round: 0, block: nil, validator: 2, chainId: Fixture.chainId,
            key: Fixture.keys[2])
        _ = instance.step(.message(.vote(other)))
        #expect(instance.stats.buffered == 7)
    }

    @Test("a proposal whose block names another proposer is dropped before validation")
    func blockProposerMustMatch() {
        var (instance, _) = Fixture.started()
        let wrong = Fixture.block(1, proposer: 1)  // round 0 belongs to validator 0
        let effects = instance.receive(Fixture.proposal(wrong, round: 0))
        #expect(instance.stats.wrongBlockProposer == 1)
        #expect(!effects.contains { if case .validateBlock = $0 { return true } else { return false } })
        // A re-proposal (valid round set) may carry the proposer of an earlier round.
        var (later, _) = Fixture.started()
        let earlier = Fixture.block(2, proposer: 0)
        _ = later.step(.timeout(Timeout(height: 1, round: 0, step: .propose)))
        _ = later.receive(Fixture.proposal(earlier, round: 1, validRound: 0))
        #expect(later.stats.wrongBlockProposer == 0)
    }

    @Test("two signed proposals of one proposer in one round are reported")
    func conflictingProposals() {
        var (instance, _) = Fixture.started()
        _ = instance.receive(Fixture.proposal(Fixture.block(1), round: 0))
        let effects = instance.receive(Fixture.proposal(Fixture.block(2), round: 0))
        #expect(effects.contains(.conflictingProposals(proposer: 0, height: 1, round: 0)))
        #expect(instance.stats.conflictingProposals == 1)
        // A third one is not kept at all.
        _ = instance.receive(Fixture.proposal(Fixture.block(3), round: 0))
        #expect(instance.stats.tooManyProposals == 1)
    }

    @Test("proposals for later rounds are kept only within the proposer's byte budget")
    func futureRoundProposals() {
        var configuration = Fixture.configuration
        configuration.futureProposalBytesPerProposerMax = 2_500
        var instance = ConsensusInstance(configuration: configuration, signer: Fixture.keys[3], height: 1)
        _ = instance.step(.start)
        // Validator 1 proposes in rounds 1, 5, 9, …: each proposal costs about 1 KiB.
        for round in stride(from: 1, to: 40, by: 4) {
            let block = Fixture.block(UInt64(round), proposer: 1)
            _ = instance.receive(Fixture.proposal(block, round: Round(UInt32(round))))
        }
        #expect(instance.stats.overBudget == 8)
    }
}
