import GovChainCore

/// What a validator's shell decides beside consensus: when to open a height (pacing), when to
/// re-send consensus messages (re-gossip), what to tell peers (status), which peer to ask for
/// missing blocks and in what order to apply them (block sync), and whom to serve.
///
/// Pure policy, thin shell (style.md #1, #19): a `Sendable` struct whose `on…` methods take the
/// event and the time (`nowMs`, milliseconds on the shell's monotonic clock) and return
/// `Action`s. `ConsensusDriver` (the node) and `GovChainSimulation` run this same struct, so the
/// simulator exercises what the node does, with the real `NodeMessage` protocol.
///
/// Hostile by default (docs/CONSENSUS.md, "Threats"): a peer's status is a hint that expires
/// after `statusTtlMs`; sync asks the least recently asked claimant that is not serving a
/// penalty, and a claimant that does not deliver in `syncTimeoutMs` is penalised with an
/// exponentially growing pause, so a liar claiming height 2^64−1 delays a lagging node by one
/// timeout per attempt and never stops it. Only blocks this node asked for are buffered, at most
/// `syncBufferBytesMax`; blocks are applied one at a time, in height order. A peer is served one
/// request at a time, and only as much as the shell reports it can queue.
///
/// Invariants (checked after every event): at most one synced block is being applied, and it is
/// the next height; the sync buffer holds only heights above the stored one, below its byte limit.
package struct NodePolicy: Sendable {
    package struct Configuration: Sendable {
        package var validators: ValidatorSet {
            didSet { schedule = ProposerSchedule(validators: validators) }
        }
        package private(set) var schedule: ProposerSchedule
        /// This validator, whose own status is ignored; nil for an observer.
        package var selfIndex: ValidatorIndex?
        /// 0: no empty blocks; a height opens only when transactions wait or peers open it.
        package var emptyBlockIntervalMs: UInt64
        package var statusIntervalMs: UInt64 = 1_000
        /// A peer's claimed height is forgotten this long after its last status.
        package var statusTtlMs: UInt64 = 5_000
        /// A block request that delivers nothing for this long has failed.
        package var syncTimeoutMs: UInt64 = 2_000
        /// First pause after a failed request to a peer; doubles per failure up to `syncPenaltyMsMax`.
        package var syncPenaltyBaseMs: UInt64 = 1_000
        package var syncPenaltyMsMax: UInt64 = 60_000
        /// Re-send consensus messages when a started height has not moved for this long.
        package var regossipAfterMs: UInt64 = 2_000
        package var blocksPerRequestMax: UInt16 = NodeMessage.blocksPerRequestMax
        /// Synced blocks waiting to be applied, in encoded bytes.
        package var syncBufferBytesMax: Int = 32 << 20

        package init(validators: ValidatorSet, selfIndex: ValidatorIndex?, emptyBlockIntervalMs: UInt64) {
            self.validators = validators
            schedule = ProposerSchedule(validators: validators)
            self.selfIndex = selfIndex
            self.emptyBlockIntervalMs = emptyBlockIntervalMs
        }
    }

    package enum Refusal: String, Sendable, CaseIterable {
        /// A block arrived that this node did not ask that peer for.
        case unsolicitedBlock = "unsolicited_block"
        /// A synced block whose commit or contents did not verify.
        case invalidSyncedBlock = "invalid_synced_block"
        /// A block request while the previous one to that peer is still being served.
        case requestWhileServing = "request_while_serving"
        /// A block request for heights this node does not have.
        case requestBeyondHead = "request_beyond_head"
        /// A request that delivered nothing in time.
        case syncTimeout = "sync_timeout"
    }

    package enum Action: Sendable, Equatable {
        /// Send `NodeMessage.status(height)` to every peer.
        case broadcastStatus(Height)
        /// Send `NodeMessage.blockRequest(from:count:)` to `peer`.
        case requestBlocks(from: Height, count: UInt16, peer: ValidatorIndex)
        /// Read blocks `from…` (at most `count`) from the store and send them to `peer`, off the
        /// consensus loop; report `onServed(peer:)` when done.
        case serveBlocks(from: Height, count: UInt16, peer: ValidatorIndex)
        /// Send the instance's `gossipMessages()` again.
        case regossip
        /// Feed `.start` to the consensus instance.
        case startConsensus
        /// Feed `.committed(block, commit)` to the consensus instance (a stored block).
        case feedCommitted(Block, Commit)
        /// Verify `block` with `commit` (commit first, then transactions), store it, and report
        /// `onSyncedApplied`.
        case applySynced(Block, Commit, from: ValidatorIndex)
        /// Count a refused message or request against `peer`; `disconnect` asks the transport to
        /// drop the link with back-off (the peer sent something provably invalid).
        case refuse(ValidatorIndex, Refusal, disconnect: Bool)
    }

    /// When the consensus instance may run.
    enum Pacing: Sendable {
        /// Started and working on a height.
        case running
        /// Not started: nothing to decide yet (since `sinceMs`).
        case idle(sinceMs: UInt64)
        /// Decided and stored `block`; `.committed` waits until there is something to decide next.
        case held(Block, Commit, sinceMs: UInt64)
    }

    struct PeerState: Sendable {
        var claimed: Height = 0
        var claimedAtMs: UInt64 = 0
        var lastAskedMs: UInt64 = 0
        var pausedUntilMs: UInt64 = 0
        var penaltyMs: UInt64 = 0
        var serving = false
    }

    struct Synced: Sendable {
        var block: Block
        var commit: Commit
        var bytes: Int
        var peer: ValidatorIndex
        var height: Height { block.header.height }
    }

    struct Request: Sendable {
        var peer: ValidatorIndex
        var from: Height
        var through: Height
        /// When the request was sent or its last block arrived.
        var activeAtMs: UInt64
        var delivered = 0
    }

    package private(set) var configuration: Configuration

    /// Governance changed the set of the next height: peers of the new set count, ours may move.
    package mutating func setValidators(_ validators: ValidatorSet, selfIndex: ValidatorIndex?) {
        configuration.validators = validators
        configuration.selfIndex = selfIndex
        wakeSigners = []
    }
    package internal(set) var storedHeight: Height
    var pacing: Pacing
    var transactionsWaiting = false
    var peers: [ValidatorIndex: PeerState] = [:]
    var request: Request?
    /// Blocks of the current request that arrived and wait to be applied, by height.
    var buffer: [Height: Synced] = [:]
    var bufferBytes = 0
    /// The synced block the shell is verifying and storing.
    var applying: Synced?
    /// Validators seen signing at the height the idle instance would open next, for waking it.
    var wakeSigners: Set<ValidatorIndex> = []
    var wakeHeight: Height = 0
    var lastProgressMs: UInt64 = 0
    var lastRegossipMs: UInt64 = 0
    var lastStatusMs: UInt64?

    package init(configuration: Configuration, storedHeight: Height, nowMs: UInt64) {
        self.configuration = configuration
        self.storedHeight = storedHeight
        pacing = .idle(sinceMs: nowMs)
        lastProgressMs = nowMs
    }

    /// The height the instance works at or would open next.
    package var consensusHeight: Height {
        if case .held(let block, _, _) = pacing { return block.header.height }
        return storedHeight.next
    }

    /// `running`, `idle` or `held`, for operators.
    package var pacingName: String {
        switch pacing {
        case .running: "running"
        case .idle: "idle"
        case .held: "held"
        }
    }

    package var isRunning: Bool {
        if case .running = pacing { return true }
        return false
    }

    /// Statuses claimed by peers, for operators (`/v1/peers`).
    package func claimedHeight(of peer: ValidatorIndex) -> Height? { peers[peer].map(\.claimed) }
}
