import GovChainCore

/// What the instance asks its shell to do, in order.
///
/// Ordering contract: a `.persist` always precedes the `.broadcast` of a message the instance
/// has just signed, in the same effect list. The shell must make the persisted state durable
/// (fsync) before it sends anything that follows it. `ConsensusInstance` checks this ordering
/// with a precondition after every step.
package enum ConsensusEffect: Hashable, Sendable {
    /// Store the signing state durably before performing any later effect of this list.
    case persist(SigningState)
    /// Send a message (already signed by this validator) to every other validator.
    case broadcast(ConsensusMessage)
    /// Feed `.timeout(timeout)` back after `durationMs` milliseconds.
    case scheduleTimeout(Timeout, durationMs: UInt64)
    /// This validator proposes in (height, round): answer with `.proposalValue(block)`. Include
    /// `evidence` (equivocations seen and not yet on the chain) in the block.
    case requestProposal(height: Height, round: Round, evidence: [DuplicateVoteEvidence])
    /// Check the block against the ledger rules and answer with `.blockValidity`.
    case validateBlock(Block)
    /// The block is decided with this commit (line 49-51). Store both, then send `.committed`.
    case decide(Block, Commit)
    /// A validator signed two conflicting votes; keep it for a later block.
    case evidence(DuplicateVoteEvidence)
    /// The proposer of (height, round) signed two different proposals; the shell counts it
    /// against that validator.
    case conflictingProposals(proposer: ValidatorIndex, height: Height, round: Round)
}
