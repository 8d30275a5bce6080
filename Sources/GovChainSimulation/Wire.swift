import GovChainConsensus
import GovChainCore

/// What travels on the simulated network. Consensus messages travel as bytes, so every one is
/// decoded at the receiver's edge (and garbage can be sent); sync traffic is modelled directly.
enum Wire: Sendable {
    case consensus([UInt8])
    /// "My next height is h": a peer that has block h answers with `.sync`.
    case status(Height)
    /// A committed block with its commit, for a node that is behind.
    case sync(Block, Commit)
}
