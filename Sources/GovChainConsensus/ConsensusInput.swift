import GovChainCore

/// Everything that can happen to a consensus instance. The shell (an actor in the node, the
/// event loop in the simulator) serialises all of them into `ConsensusInstance.step(_:)`.
package enum ConsensusInput: Sendable {
    /// Begin (or, after a restart, resume) at the instance's height.
    case start
    /// A proposal or vote from the network, decoded but not yet authenticated: the instance
    /// checks signatures itself (see `SignatureVerifier`) and drops what fails, counted in `stats`.
    case message(ConsensusMessage)
    /// A timeout the instance asked for has expired.
    case timeout(Timeout)
    /// The answer to `ConsensusEffect.requestProposal`: the block to propose (the paper's
    /// `getValue()`, line 18). The shell builds it (transactions, time, last commit, evidence)
    /// and vouches for its validity.
    case proposalValue(Block)
    /// The answer to `ConsensusEffect.validateBlock`: the paper's `valid(v)`, decided by the
    /// ledger rules the shell owns.
    case blockValidity(blockHash: Hash32, valid: Bool)
    /// The block at the instance's height (decided here, or fetched with its commit from a peer
    /// and verified by the shell) is durably stored: move to the next height (lines 52-54).
    /// `nextValidators`: the set that signs the next height when governance changed it (nil:
    /// the same set); the shell reads it from the state after the block.
    case committed(Block, Commit, nextValidators: ValidatorSet? = nil)
}
