import Foundation
import GovChainAPI
import GovChainConsensus
import GovChainCore
import GovChainNetwork
import GovChainStorage
import Logging
import Synchronization

/// The shell around the pure `ConsensusInstance` and `NodePolicy` (style.md #1, #3, #19, #20):
/// one serial loop, the single owner of both. It reads one input stream (`DriverInbox`): peer
/// messages already verified by `InboundVerifier`, timers, and the results of slow work it
/// started. It performs their actions in order; a `.persist` is fsynced before anything after it
/// is sent (style.md #4).
///
/// Nothing awaits inside a step: building and validating proposals, storing decided and synced
/// blocks and serving blocks to peers run as separate tasks that report back through the inbox,
/// so the loop's state can never change under a handler (the re-entrancy that let a synced block
/// and a proposal race before). Timers are cancellable handles keyed by `Timeout`, on the
/// injected clock, and all of them end with the loop.
final class ConsensusDriver<C: Clock>: Sendable where C.Duration == Duration {
    static var signingStateKey: String { "consensus.signing" }

    let node: Node
    let network: any PeerTransport
    let inbox = DriverInbox()
    /// The node's verified-message cache: the verifiers fill it, the instance and `ChainExecutor.commit` read it.
    var verified: VerifiedSignatures { node.verifiedMessages }
    /// The loop's state as of its last event, for `GET /v1/status`.
    let snapshot = Mutex(
        StatusResponse.ConsensusStatus(
            height: 0, round: 0, step: "propose", pacing: "idle", events_handled: 0,
            peer_events_queued: 0, timers: 0, jobs: 0))
    private let key: SigningKey
    private let clock: C
    private let logger: Logger
    private let persisted: SigningState?

    init(node: Node, network: any PeerTransport, key: SigningKey, clock: C, logger: Logger) throws(GovChainError) {
        self.node = node
        self.network = network
        self.key = key
        self.clock = clock
        self.logger = logger
        if let bytes = try node.store.metadata(Self.signingStateKey) {
            do {
                persisted = try SigningState(decoding: bytes, chainId: node.genesis.chainId)
            } catch {
                throw GovChainError(
                    code: .signingStateCorrupt,
                    message: "The stored consensus signing state cannot be read; refusing to sign anything.",
                    underlying: error)
            }
        } else {
            persisted = nil
        }
    }

    /// Workers that verify peer messages for this driver.
    func verifier() -> InboundVerifier {
        InboundVerifier(
            network: network, node: node, inbox: inbox, verified: verified,
            active: node.validators, chainId: node.genesis.chainId,
            position: { [self] in snapshot.withLock { (Height($0.height), Round($0.round)) } })
    }

    /// Runs the loop until `inbox.finish()`; throws only when the signing state cannot be made
    /// durable (continuing could lead to a double signature after a crash).
    func run() async throws {
        let loop = DriverLoop(driver: self, key: key, clock: clock, persisted: persisted, logger: logger)
        try await loop.run()
    }
}

/// The loop's state, confined to the task that runs `ConsensusDriver.run()`.
final class DriverLoop<C: Clock> where C.Duration == Duration {
    let driver: ConsensusDriver<C>
    let clock: C
    let start: C.Instant
    let logger: Logger
    let logLimiter = LogLimiter(intervalMs: 60_000)
    var instance: ConsensusInstance
    var policy: NodePolicy
    var timers: [Timeout: Task<Void, Never>] = [:]
    var tickTimer: Task<Void, Never>?
    let jobs = JobSet()
    var halted: GovChainError?
    /// When the current height reached each stage, for the "height done" log line (issue 12:
    /// where a height's time goes).
    var timeline = HeightTimeline()

    /// The ledger could not be written: the node stops (the service group ends, the process
    /// exits non-zero) instead of running on with a database that may have lost the write.
    /// Restarted after the disk is fixed, LevelDB recovers up to the last good write and the
    /// node catches up by block sync.
    func haltOnStorage(_ error: GovChainError) {
        guard halted == nil else { return }
        logger.critical("cannot write the ledger; stopping the node", metadata: ["error": "\(error)"])
        halted = GovChainError(
            code: .storageError,
            message:
                "The ledger could not be written (\(error.message)); the node stops. Fix the disk and start it again.",
            underlying: error)
    }

    var node: Node { driver.node }
    var network: any PeerTransport { driver.network }
    var store: BlockStore { driver.node.store }

    init(driver: ConsensusDriver<C>, key: SigningKey, clock: C, persisted: SigningState?, logger: Logger) {
        self.driver = driver
        self.clock = clock
        start = clock.now
        self.logger = logger
        let genesis = driver.node.genesis
        // The set signing the first height without a block (governance may have changed it).
        let validators = driver.node.validators.snapshot.current
        var configuration = ConsensusConfiguration(
            chainId: genesis.chainId, validators: validators,
            timeouts: TimeoutParameters(genesis.consensus))
        configuration.verifier = SignatureVerifier(driver.node.cachedSignatureCheck)
        instance = ConsensusInstance(
            configuration: configuration, signer: key, height: driver.node.store.height.next, resumingFrom: persisted)
        policy = NodePolicy(
            configuration: .init(
                validators: validators, selfIndex: validators.index(of: key.publicKey),
                emptyBlockIntervalMs: genesis.consensus.emptyBlockIntervalMs),
            storedHeight: driver.node.store.height, nowMs: 0)
    }

    var nowMs: UInt64 {
        let elapsed = start.duration(to: clock.now).components
        return UInt64(max(0, elapsed.seconds)) * 1_000 + UInt64(max(0, elapsed.attoseconds) / 1_000_000_000_000_000)
    }

    func run() async throws {
        defer { stopAll() }
        let resuming = instance.signingState.map { $0.height == instance.height } ?? false
        let waiting = !node.mempool.isEmpty
        perform(policy.onStart(resuming: resuming, transactionsWaiting: waiting, nowMs: nowMs))
        scheduleTick()
        publish(0)
        var handled: UInt64 = 0
        while halted == nil, let event = await driver.inbox.next() {
            handle(event)
            handled += 1
            publish(handled)
        }
        if let halted { throw halted }
    }

    private func publish(_ handled: UInt64) {
        let status = StatusResponse.ConsensusStatus(
            height: instance.height.rawValue, round: instance.round.rawValue, step: "\(instance.step)",
            pacing: policy.pacingName,
            events_handled: handled, peer_events_queued: driver.inbox.peerQueued, timers: timers.count,
            jobs: jobs.count,
            workers: InboundVerifier.stages.withLock { $0 }.sorted { $0.key < $1.key }.map(\.value))
        driver.snapshot.withLock { $0 = status }
    }

    private func stopAll() {
        tickTimer?.cancel()
        for timer in timers.values { timer.cancel() }
        jobs.cancelAll()
        timers = [:]
    }

    // MARK: - Events

    func handle(_ event: DriverEvent) {
        switch event {
        case .peer(let from, let message, let bytes):
            onPeer(message, from: from, bytes: bytes)
        case .timeout(let timeout):
            timers[timeout] = nil
            feed(.timeout(timeout))
        case .tick:
            scheduleTick()
            perform(policy.onTick(nowMs: nowMs))
        case .transactionsWaiting:
            perform(policy.onTransactionsWaiting(true, nowMs: nowMs))
        case .proposalBuilt(let height, let result):
            switch result {
            case .success(let block):
                timeline.note(.proposal, height: height, nowMs: nowMs)
                feed(.proposalValue(block))
            case .failure(let error):
                logger.debug(
                    "no proposal built", metadata: ["consensus.height": "\(height)", "error.code": "\(error.code)"])
            }
        case .validity(let hash, let valid):
            timeline.note(.validated, height: instance.height, nowMs: nowMs)
            feed(.blockValidity(blockHash: hash, valid: valid))
        case .stored(let block, let commit, let result, let waiting):
            switch result {
            case .success:
                logTimeline(block, commit)
                _ = policy.onTransactionsWaiting(waiting, nowMs: nowMs)
                perform(policy.onDecided(block, commit, nowMs: nowMs))
            case .failure(let error):
                logger.critical(
                    "cannot store a decided block",
                    metadata: ["block.height": "\(block.header.height)", "error": "\(error)"])
                if error.code == .storageError { haltOnStorage(error) }
            }
        case .syncedApplied(let height, let ok):
            perform(policy.onSyncedApplied(height: height, ok: ok, nowMs: nowMs))
        case .storageFailed(let error):
            haltOnStorage(error)
        case .served(let peer):
            policy.onServed(peer: peer)
        }
    }

    private func onPeer(_ message: NodeMessage, from peer: ValidatorIndex, bytes: Int) {
        switch message {
        case .consensus(let consensus):
            var withTransactions = false
            if case .proposal(let proposal) = consensus {
                withTransactions = !proposal.block.transactions.isEmpty
                if proposal.height == instance.height {
                    timeline.note(.proposal, height: proposal.height, nowMs: nowMs)
                    // Same-machine clocks in a local network: how long since the proposer made it.
                    let now = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
                    let made = proposal.block.header.time.rawValue
                    timeline.proposalAgeMs = timeline.proposalAgeMs ?? (now >= made ? now - made : 0)
                }
            }
            perform(
                policy.onVerifiedConsensus(
                    signer: consensus.signer, height: consensus.height, round: consensus.round,
                    proposalWithTransactions: withTransactions, nowMs: nowMs))
            feed(.message(consensus))
        case .status(let height):
            perform(policy.onStatus(height, from: peer, nowMs: nowMs))
        case .blockRequest(let from, let count):
            perform(policy.onBlockRequest(from: from, count: count, peer: peer))
        case .block(let block, let commit):
            perform(policy.onSyncedBlock(block, commit, bytes: bytes, from: peer, nowMs: nowMs))
        case .transactions:
            break  // admitted by InboundVerifier
        }
    }

    /// One info line per stored height: how long it took from opening to storing, and when the
    /// proposal arrived, was validated and was decided within it (milliseconds since opening).
    private func logTimeline(_ block: Block, _ commit: Commit) {
        guard logger.logLevel <= .info, let times = timeline.times(of: block.header.height, storedMs: nowMs) else {
            return
        }
        var metadata: Logger.Metadata = [
            "block.height": "\(block.header.height)", "block.txs": "\(block.transactions.count)",
            "consensus.round": "\(commit.round)", "time.height_ms": "\(times.stored)",
        ]
        for (name, value) in [
            ("proposal", times.proposal), ("validated", times.validated), ("decided", times.decided),
            ("proposal_age", timeline.proposalAgeMs),
        ] {
            if let value { metadata["time.\(name)_ms"] = "\(value)" }
        }
        logger.info("height done", metadata: metadata)
    }

    // MARK: - Consensus

    func feed(_ input: ConsensusInput) {
        guard halted == nil else { return }
        let before = instance.height
        perform(instance.step(input))
        if instance.height > before {
            timeline.start(instance.height, nowMs: nowMs)
            for (timeout, timer) in timers where timeout.height < instance.height {
                timer.cancel()
                timers[timeout] = nil
            }
        }
    }
}

/// Tasks the loop started and has not heard back from; each removes itself when done, and
/// `cancelAll` ends the rest when the loop stops.
final class JobSet: Sendable {
    private struct State {
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var next: UInt64 = 0
        var cancelled = false
    }

    private let state = Mutex(State())

    func spawn(_ body: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            guard !state.cancelled else { return }
            state.next += 1
            let id = state.next
            // Created under the lock, so the task's own removal (which takes the lock) comes after.
            state.tasks[id] = Task { [weak self] in
                await body()
                _ = self?.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
        }
    }

    var count: Int { state.withLock { $0.tasks.count } }

    func cancelAll() {
        let tasks = state.withLock { state in
            state.cancelled = true
            defer { state.tasks = [:] }
            return Array(state.tasks.values)
        }
        for task in tasks { task.cancel() }
    }
}
