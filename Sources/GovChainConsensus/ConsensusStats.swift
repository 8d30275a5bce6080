/// Counters of what an instance accepted, dropped and refused. Bad input is data, not a crash:
/// every dropped message lands in exactly one of these counters.
package struct ConsensusStats: Hashable, Sendable {
    package var accepted = 0
    package var duplicates = 0
    package var stale = 0
    package var buffered = 0
    package var tooFarAhead = 0
    package var invalidSignature = 0
    package var unknownValidator = 0
    package var wrongProposer = 0
    package var malformed = 0
    package var tooManyProposals = 0
    /// Messages refused because their signer's buffer budget (bytes) was spent.
    package var overBudget = 0
    /// Proposals whose block names another proposer than the one that signed the proposal.
    package var wrongBlockProposer = 0
    /// Signatures the guard refused because they could conflict with a persisted one.
    package var refusedSignatures = 0
    package var evidence = 0
    /// Rounds in which the proposer signed two different proposals.
    package var conflictingProposals = 0
    package var unusedProposalValues = 0

    package init() {}

    package var dropped: Int {
        duplicates + stale + tooFarAhead + invalidSignature + unknownValidator + wrongProposer + malformed
            + tooManyProposals
            + overBudget + wrongBlockProposer
    }
}
