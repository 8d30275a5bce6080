import GovChainCore

/// The fixed parameters of one chain's consensus, shared by all its instances.
package struct ConsensusConfiguration: Sendable {
    package let chainId: ChainID
    /// The set signing the instance's current height (governance changes it between heights).
    package private(set) var validators: ValidatorSet
    package private(set) var schedule: ProposerSchedule
    package var timeouts: TimeoutParameters
    package var verifier: SignatureVerifier

    /// Messages further than this many rounds ahead of the current one are dropped, so a
    /// byzantine validator cannot make the instance track unbounded rounds.
    package var roundsAheadMax: UInt32 = ConsensusConfiguration.defaultRoundsAheadMax
    package static let defaultRoundsAheadMax: UInt32 = 1_000
    /// Messages for the next height are kept (at most this many in all) until the instance gets
    /// there; only after their signature verified, and each signer within `futureBytesPerSignerMax`.
    package var bufferedMessagesMax = 1_024
    /// Bytes of next-height messages kept per signing validator (a proposal carries a block).
    package var futureBytesPerSignerMax = 16 << 20
    /// Distinct proposals kept per round; more than one only happens when the proposer equivocates.
    package var proposalsPerRoundMax = 2
    /// Bytes of proposals kept per proposer for rounds after the current one: a byzantine proposer
    /// owns every n-th round, and must not park a block in each of the next `roundsAheadMax`.
    package var futureProposalBytesPerProposerMax = 16 << 20
    /// Evidence waiting to be put into a block.
    package var pendingEvidenceMax = Block.evidenceMax

    package init(
        chainId: ChainID, validators: ValidatorSet, timeouts: TimeoutParameters, verifier: SignatureVerifier = .ed25519
    ) {
        self.chainId = chainId
        self.validators = validators
        self.schedule = ProposerSchedule(validators: validators)
        self.timeouts = timeouts
        self.verifier = verifier
    }

    package mutating func setValidators(_ set: ValidatorSet) {
        validators = set
        schedule = ProposerSchedule(validators: set)
    }

    /// More than two thirds of the power: the paper's 2f + 1.
    package var quorumPower: UInt64 { validators.quorumPower }

    /// More than one third of the power: the paper's f + 1, enough to contain a correct process.
    package var skipPower: UInt64 { validators.totalPower / 3 + 1 }

    package func power(of index: ValidatorIndex) -> UInt64 { validators[index]?.power ?? 0 }
}
