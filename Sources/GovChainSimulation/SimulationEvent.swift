import GovChainConsensus
import GovChainCore

/// Everything the simulator schedules. Work the node does off its consensus loop (building and
/// validating proposals, storing decided and synced blocks) completes as its own event a little
/// later, so the simulator sees the same interleavings as the node.
enum SimulationEvent: Sendable {
    /// `NodeMessage` bytes (or garbage) arriving on a link.
    case deliver(to: Int, from: Int, [UInt8])
    case timeout(node: Int, incarnation: Int, Timeout)
    /// The shell policy's periodic tick (`NodePolicy.onTick`).
    case tick(node: Int, incarnation: Int)
    case proposalBuilt(node: Int, incarnation: Int, Height)
    case validated(node: Int, incarnation: Int, Block)
    case stored(node: Int, incarnation: Int, Block, Commit)
    case syncApplied(node: Int, incarnation: Int, Block, Commit, from: ValidatorIndex)
    case crash(node: Int, atNextPersist: Bool)
    case restart(node: Int)
    case partitionStart(id: Int, side: Set<Int>)
    case partitionHeal(id: Int)
}
