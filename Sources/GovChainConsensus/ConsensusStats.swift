/// Counters of what an instance accepted, dropped and refused. Bad input is data, not a crash:
/// every dropped message lands in exactly one of these counters.
public struct ConsensusStats: Hashable, Sendable {
    public var accepted = 0
    public var duplicates = 0
    public var stale = 0
    public var buffered = 0
    public var tooFarAhead = 0
    public var invalidSignature = 0
    public var unknownValidator = 0
    public var wrongProposer = 0
    public var malformed = 0
    public var tooManyProposals = 0
    /// Messages refused because their signer's buffer budget (bytes) was spent.
    public var overBudget = 0
    /// Proposals whose block names another proposer than the one that signed the proposal.
    public var wrongBlockProposer = 0
    /// Signatures the guard refused because they could conflict with a persisted one.
    public var refusedSignatures = 0
    public var evidence = 0
    /// Rounds in which the proposer signed two different proposals.
    public var conflictingProposals = 0
    public var unusedProposalValues = 0

    public init() {}

    public var dropped: Int {
        duplicates + stale + tooFarAhead + invalidSignature + unknownValidator + wrongProposer + malformed
            + tooManyProposals
            + overBudget + wrongBlockProposer
    }
}
