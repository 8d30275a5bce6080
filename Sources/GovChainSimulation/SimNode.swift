import GovChainConsensus
import GovChainCore

/// One simulated process: a consensus instance, its "disk" (what survives a crash) and its
/// memory (what does not).
struct SimNode: Sendable {
    let slot: Int
    let validator: ValidatorIndex
    let key: SigningKey
    let isByzantine: Bool
    /// 0 for a normal process, 1 or 2 for the two twins of one byzantine key.
    let twin: Int
    /// For honest nodes: the half (1 or 2) byzantine splitters aim at.
    var group = 0

    // MARK: Memory (lost on a crash)
    var instance: ConsensusInstance?
    /// Bumped on every crash, so timers of a previous life are ignored.
    var incarnation = 0
    var crashAtNextPersist = false

    // MARK: Disk (survives a crash)
    /// `SigningState.encoded`, exactly as the node would store it.
    var persistedSigning: [UInt8]?
    var chain: [(block: Block, commit: Commit)] = []

    var lastProgressMs: UInt64 = 0
    var maxRound: UInt32 = 0

    init(slot: Int, validator: ValidatorIndex, key: SigningKey, isByzantine: Bool, twin: Int) {
        self.slot = slot
        self.validator = validator
        self.key = key
        self.isByzantine = isByzantine
        self.twin = twin
    }

    var isUp: Bool { instance != nil }
    var nextHeight: Height { Height(UInt64(chain.count) + 1) }
    var lastBlock: Block? { chain.last?.block }
}
