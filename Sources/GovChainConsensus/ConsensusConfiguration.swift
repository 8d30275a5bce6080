import GovChainCore

/// The fixed parameters of one chain's consensus, shared by all its instances.
public struct ConsensusConfiguration: Sendable {
    public let chainId: ChainID
    public let validators: ValidatorSet
    public let schedule: ProposerSchedule
    public var timeouts: TimeoutParameters
    public var verifier: SignatureVerifier

    /// Messages further than this many rounds ahead of the current one are dropped, so a
    /// byzantine validator cannot make the instance track unbounded rounds.
    public var roundsAheadMax: UInt32 = 1_000
    /// Messages for the next height are kept (at most this many in all) until the instance gets
    /// there; only after their signature verified, and each signer within `futureBytesPerSignerMax`.
    public var bufferedMessagesMax = 1_024
    /// Bytes of next-height messages kept per signing validator (a proposal carries a block).
    public var futureBytesPerSignerMax = 16 << 20
    /// Distinct proposals kept per round; more than one only happens when the proposer equivocates.
    public var proposalsPerRoundMax = 2
    /// Bytes of proposals kept per proposer for rounds after the current one: a byzantine proposer
    /// owns every n-th round, and must not park a block in each of the next `roundsAheadMax`.
    public var futureProposalBytesPerProposerMax = 16 << 20
    /// Evidence waiting to be put into a block.
    public var pendingEvidenceMax = Block.evidenceMax

    public init(
        chainId: ChainID, validators: ValidatorSet, timeouts: TimeoutParameters, verifier: SignatureVerifier = .ed25519
    ) {
        self.chainId = chainId
        self.validators = validators
        self.schedule = ProposerSchedule(validators: validators)
        self.timeouts = timeouts
        self.verifier = verifier
    }

    /// More than two thirds of the power: the paper's 2f + 1.
    public var quorumPower: UInt64 { validators.quorumPower }

    /// More than one third of the power: the paper's f + 1, enough to contain a correct process.
    public var skipPower: UInt64 { validators.totalPower / 3 + 1 }

    public func power(of index: ValidatorIndex) -> UInt64 { validators[index]?.power ?? 0 }
}
