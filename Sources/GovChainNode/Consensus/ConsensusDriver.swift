import Foundation
import GovChainConsensus
import GovChainCore
import GovChainNetwork
import GovChainStorage
import Logging
import ServiceLifecycle

/// The shell around the pure `ConsensusInstance` (style.md §1, §3): the single owner of consensus
/// state. Every input — peer messages, timer expiries, proposal values, validity verdicts,
/// committed blocks — is queued and fed to `step` one at a time; effects are carried out in
/// order, and a `.persist` is fsynced before anything after it is sent (style.md §4).
///
/// It also does what the pure instance leaves to the shell: block sync from peers that are
/// ahead, transaction gossip, and waiting for transactions before starting a height (blocks are
/// made only when transactions wait, or at the genesis empty-block interval).
actor ConsensusDriver {
    static let signingStateKey = "consensus.signing"
    static let statusIntervalMs: UInt64 = 1_000

    let node: Node
    let network: PeerNetwork
    let genesis: Genesis
    let index: ValidatorIndex
    let logger: Logger
    var instance: ConsensusInstance
    private var queue: [ConsensusInput] = []
    private var draining = false
    /// A decided block whose `.committed` is held back until transactions wait.
    private var held: (Block, Commit)?
    /// `.start` not yet fed: a node does not open a height before there is something to decide.
    private var startPending = false
    private var heldSince = ContinuousClock.now
    private var peerHeights: [ValidatorIndex: Height] = [:]
    private var lastTickHeight: Height = 0
    private var stuckTicks = 0
    /// The block range last requested from a peer, and when: one request in flight at a time.
    private var syncInFlight: (through: Height, at: ContinuousClock.Instant)?

    /// Transactions gossiped by peers, admitted by `ConsensusService` off the message path.
    nonisolated let gossipIngest: AsyncStream<[[UInt8]]>.Continuation
    nonisolated let gossipBatches: AsyncStream<[[UInt8]]>

    init(node: Node, network: PeerNetwork, key: SigningKey, logger: Logger) throws(GovChainError) {
        (gossipBatches, gossipIngest) = AsyncStream.makeStream(of: [[UInt8]].self, bufferingPolicy: .bufferingOldest(4_096))
        self.node = node
        self.network = network
        genesis = node.genesis
        guard let index = genesis.validators.index(of: key.publicKey) else {
            throw GovChainError(code: "not_a_validator", message: "The validator key is not in the genesis.")
        }
        self.index = index
        self.logger = logger
        var persisted: SigningState?
        if let bytes = try node.store.metadata(Self.signingStateKey) {
            do {
                persisted = try SigningState(decoding: bytes, chainId: genesis.chainId)
            } catch {
                throw GovChainError(code: "signing_state_corrupt", message: "The stored consensus signing state cannot be read; refusing to sign anything.", cause: "\(error)")
            }
        }
        let configuration = ConsensusConfiguration(chainId: genesis.chainId, validators: genesis.validators,
                                                   timeouts: TimeoutParameters(genesis.consensus))
        instance = ConsensusInstance(configuration: configuration, signer: key, height: node.store.height.next, resumingFrom: persisted)
    }

    // MARK: - Inputs

    /// Queues an input; the first caller drains the queue, so inputs are handled one at a time
    /// even though effects await other actors.
    func feed(_ input: ConsensusInput) async {
        queue.append(input)
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while !queue.isEmpty {
            let next = queue.removeFirst()
            let effects = instance.step(next)
            await perform(effects)
        }
    }

    func onPeerMessage(_ message: PeerMessage) async {
        let decoded: NodeMessage
        do {
            decoded = try NodeMessage(decoding: message.payload)
        } catch {
            logger.warning("malformed peer message", metadata: ["peer.index": "\(message.from)", "error": "\(error)"])
            return
        }
        switch decoded {
        case .consensus(let consensus):
            if consensus.height > instance.height || (startPending && consensus.height == instance.height) {
                await release(reason: "peer at this or a later height")
            }
            await feed(.message(consensus))
        case .transactions(let list):
            // Admitted on their own queue, so votes never wait behind transactions.
            gossipIngest.yield(list)
        case .status(let height):
            peerHeights[message.from] = height
            await requestMissingBlocks()
        case .blockRequest(let from, let count):
            await serveBlocks(to: message.from, from: from, count: min(count, NodeMessage.blocksPerRequestMax))
        case .block(let block, let commit):
            await onSyncedBlock(block, commit)
        }
    }

    // MARK: - Effects

    private func perform(_ effects: [ConsensusEffect]) async {
        for effect in effects {
            switch effect {
            case .persist(let state):
                do {
                    try node.store.setMetadata(Self.signingStateKey, state.encoded)
                } catch {
                    // Sending after a failed persist could lead to a double signature after a
                    // crash; stopping is the only safe answer.
                    logger.critical("cannot persist the signing state; stopping", metadata: ["error": "\(error)"])
                    preconditionFailure("signing state not persisted: \(error)")
                }
            case .broadcast(let message):
                network.broadcast(NodeMessage.consensus(message).encoded)
            case .scheduleTimeout(let timeout, let durationMs):
                Task { [weak self] in
                    try? await Task.sleep(for: .milliseconds(durationMs))
                    await self?.feed(.timeout(timeout))
                }
            case .requestProposal(let height, _, let evidence):
                do {
                    let block = try await node.proposal(height: height, proposer: index, evidence: evidence)
                    queue.append(.proposalValue(block))
                } catch {
                    logger.error("cannot build a proposal", metadata: ["consensus.height": "\(height)", "error": "\(error)"])
                }
            case .validateBlock(let block):
                let valid: Bool
                switch await node.isValid(block) {
                case .success:
                    valid = true
                case .failure(let error):
                    logger.warning("proposed block is invalid", metadata: ["consensus.height": "\(block.header.height)", "error": "\(error.message)"])
                    valid = false
                }
                queue.append(.blockValidity(blockHash: block.hash, valid: valid))
            case .decide(let block, let commit):
                await store(block, commit)
            case .evidence(let evidence):
                logger.warning("equivocation seen", metadata: ["validator": "\(genesis.validators[evidence.validator]?.name ?? "?")", "consensus.height": "\(evidence.height)"])
            }
        }
    }

    /// Stores a decided block (unless sync already did) and holds `.committed` until there is
    /// something to put in the next block.
    private func store(_ block: Block, _ commit: Commit) async {
        if node.store.height < block.header.height {
            do {
                try await node.commit(block, commit: commit)
            } catch {
                logger.error("cannot store a decided block", metadata: ["block.height": "\(block.header.height)", "error": "\(error.message)"])
                return
            }
        }
        held = (block, commit)
        heldSince = .now
        if await node.mempoolCount > 0 { await release(reason: "transactions") }
    }

    /// Starts consensus now if this node was in the middle of a height when it stopped (others
    /// may be waiting for its votes); otherwise waits, like after any decision, until
    /// transactions wait or a peer opens the height.
    func begin() async {
        let resuming = instance.signingState.map { $0.height == instance.height } ?? false
        let waiting = await node.mempoolCount
        if resuming || genesis.consensus.emptyBlockIntervalMs > 0 || waiting > 0 {
            await feed(.start)
        } else {
            startPending = true
            heldSince = .now
        }
    }

    /// Lets the instance start or move on to the next height.
    func release(reason: String) async {
        if startPending {
            startPending = false
            await feed(.start)
            return
        }
        guard let (block, commit) = held else { return }
        held = nil
        await feed(.committed(block, commit))
    }

    // MARK: - Block sync

    private func requestMissingBlocks() async {
        let ours = node.store.height
        guard let (peer, theirs) = peerHeights.max(by: { $0.value < $1.value }), theirs > ours else { return }
        // Ask again only when the last range arrived, or it is overdue (lost, or a slow peer).
        if let inFlight = syncInFlight, ours < inFlight.through, ContinuousClock.now - inFlight.at < .seconds(2) { return }
        let count = UInt16(min(theirs.rawValue - ours.rawValue, UInt64(NodeMessage.blocksPerRequestMax)))
        syncInFlight = (Height(ours.rawValue + UInt64(count)), .now)
        network.send(NodeMessage.blockRequest(from: ours.next, count: count).encoded, to: peer)
    }

    private func serveBlocks(to peer: ValidatorIndex, from: Height, count: UInt16) async {
        var height = from
        for _ in 0..<count {
            guard let block = try? node.store.block(at: height), let commit = try? node.store.commit(at: height) else { return }
            network.send(NodeMessage.block(block, commit).encoded, to: peer)
            height = height.next
        }
    }

    /// A block from a peer with its commit: verified (by the store: commit power and signatures,
    /// chain linkage; by the executor: every transaction) before it is applied.
    private func onSyncedBlock(_ block: Block, _ commit: Commit) async {
        guard block.header.height == node.store.height.next else { return }
        do {
            try await node.commit(block, commit: commit)
        } catch {
            logger.warning("synced block refused", metadata: ["block.height": "\(block.header.height)", "error": "\(error.message)"])
            return
        }
        // Bring the instance up to the store: each stored height it has not finished.
        if let (heldBlock, _) = held, heldBlock.header.height < block.header.height { held = nil }
        while instance.height <= node.store.height {
            guard let stored = try? node.store.block(at: instance.height), let storedCommit = try? node.store.commit(at: instance.height) else { break }
            let before = instance.height
            await feed(.committed(stored, storedCommit))
            if instance.height == before { break }
        }
        await requestMissingBlocks()
    }

    // MARK: - Timers

    /// Every second: tell peers our height (so laggards sync), re-send our latest consensus
    /// messages when the height has not moved for two ticks (a peer reconnected or a message was
    /// lost; proposals carry whole blocks, so not on every tick), and start an empty block when due.
    func tick() async {
        network.broadcast(NodeMessage.status(node.store.height).encoded)
        if instance.height == lastTickHeight && held == nil && !startPending {
            stuckTicks += 1
        } else {
            stuckTicks = 0
        }
        lastTickHeight = instance.height
        if stuckTicks >= 2 {
            for message in instance.gossipMessages() { network.broadcast(NodeMessage.consensus(message).encoded) }
        }
        let interval = genesis.consensus.emptyBlockIntervalMs
        if held != nil || startPending, interval > 0, ContinuousClock.now - heldSince >= .milliseconds(interval) {
            await release(reason: "empty block interval")
        }
        await requestMissingBlocks()
    }
}

/// Runs the driver: start, inbound messages, ticks, mempool wake-ups; a `Service`.
struct ConsensusService: Service {
    let driver: ConsensusDriver
    let network: PeerNetwork
    let node: Node

    func run() async throws {
        await driver.begin()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in network.inbound.cancelOnGracefulShutdown() { await driver.onPeerMessage(message) }
            }
            group.addTask {
                for await _ in node.wakeups.cancelOnGracefulShutdown() { await driver.release(reason: "transactions") }
            }
            group.addTask {
                for await batch in driver.gossipBatches.cancelOnGracefulShutdown() { _ = await node.submitBatch(batch, gossip: false) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(ConsensusDriver.statusIntervalMs))
                    await driver.tick()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
