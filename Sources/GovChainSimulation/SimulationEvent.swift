import GovChainConsensus
import GovChainCore

/// Everything the simulator schedules.
enum SimulationEvent: Sendable {
    case deliver(to: Int, from: Int, Wire)
    case timeout(node: Int, incarnation: Int, Timeout)
    case gossip(node: Int, incarnation: Int)
    case crash(node: Int, atNextPersist: Bool)
    case restart(node: Int)
    case partitionStart(id: Int, side: Set<Int>)
    case partitionHeal(id: Int)
}
