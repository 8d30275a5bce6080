import GovChainConsensus
import GovChainCore

/// One simulated process: a consensus instance and the production shell policy, its "disk"
/// (what survives a crash) and its memory (what does not).
struct SimNode: Sendable {
    let slot: Int
    let validator: ValidatorIndex
    /// The key it signs with; a rotation replaces it at a restart (`MembershipPlan`).
    var key: SigningKey
    let isByzantine: Bool
    /// 0 for a normal process, 1 or 2 for the two twins of one byzantine key.
    let twin: Int
    /// For honest nodes: the half (1 or 2) byzantine splitters aim at.
    var group = 0
    /// How far this node's wall clock is off the simulation's, in milliseconds (honest clocks
    /// agree within the genesis drift).
    var clockSkewMs: Int64 = 0

    // MARK: Memory (lost on a crash)
    var instance: ConsensusInstance?
    var policy: NodePolicy?
    /// Bumped on every crash, so timers and jobs of a previous life are ignored.
    var incarnation = 0
    var crashAtNextPersist = false

    // MARK: Disk (survives a crash)
    /// `SigningState.encoded`, exactly as the node would store it.
    var persistedSigning: [UInt8]?
    var chain: [(block: Block, commit: Commit)] = []
    /// Transactions and equivocations on this node's chain (the store's indices).
    var committedTransactions: Set<Hash32> = []
    var committedEvidence: Set<Hash32> = []

    /// Stopped for good after its validator left the set (as its operator would).
    var retired = false
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
    var tip: ChainTip? { lastBlock.map { ChainTip(height: $0.header.height, hash: $0.hash, time: $0.header.time) } }

    mutating func store(_ block: Block, _ commit: Commit) {
        chain.append((block, commit))
        for transaction in block.transactions { committedTransactions.insert(transaction.id) }
        for evidence in block.evidence { committedEvidence.insert(evidence.slot) }
    }
}
