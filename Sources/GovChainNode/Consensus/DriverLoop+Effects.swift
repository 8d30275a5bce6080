import GovChainConsensus
import GovChainCore
import GovChainNetwork
import GovChainStorage
import Logging

extension DriverLoop {
    /// Outbound bytes queued for a peer above which serving blocks to it pauses (a peer that does
    /// not read cannot make this node read and queue more).
    static var serveQueueBytesMax: Int { 16 << 20 }

    // MARK: - Consensus effects

    func perform(_ effects: [ConsensusEffect]) {
        for effect in effects {
            guard halted == nil else { return }
            switch effect {
            case .persist(let state):
                do {
                    try store.setMetadata(ConsensusDriver<C>.signingStateKey, state.encoded)
                } catch {
                    // Sending after a failed persist could lead to a double signature after a
                    // crash: stop here and let the service group stop the node.
                    logger.critical(
                        "cannot persist the signing state; stopping consensus", metadata: ["error": "\(error)"])
                    halted = GovChainError(
                        code: .signingStateNotPersisted,
                        message:
                            "The consensus signing state could not be written; the node stops rather than risk a double signature.",
                        underlying: error)
                }
            case .broadcast(let message):
                network.broadcast(NodeMessage.consensus(message).encoded)
            case .scheduleTimeout(let timeout, let durationMs):
                timers[timeout]?.cancel()
                timers[timeout] = after(durationMs, .timeout(timeout))
            case .requestProposal(let height, _, let evidence):
                let proposer = instance.index ?? 0
                spawn { node in
                    do throws(GovChainError) {
                        return .proposalBuilt(
                            height,
                            .success(
                                try await node.chain.proposal(
                                    height: height, proposer: proposer, evidence: evidence,
                                    candidates: node.mempool.candidates(countMax: node.candidateCountMax))))
                    } catch {
                        return .proposalBuilt(height, .failure(error))
                    }
                }
            case .validateBlock(let block):
                spawn { [logger, logLimiter] node in
                    let verdict = await node.chain.isValid(block)
                    if case .failure(let error) = verdict,
                        let suppressed = logLimiter.allow("invalid-proposal-\(error.code)")
                    {
                        logger.warning(
                            "proposed block is invalid",
                            metadata: [
                                "consensus.height": "\(block.header.height)", "error.code": "\(error.code)",
                                "error": "\(error.message)",
                                "log.suppressed": "\(suppressed)",
                            ])
                    }
                    return .validity(block.hash, valid: (try? verdict.get()) != nil)
                }
            case .decide(let block, let commit):
                timeline.note(.decided, height: block.header.height, nowMs: nowMs)
                spawn { node in
                    let result = await Self.storeIfNeeded(block, commit, node: node)
                    return .stored(block, commit, result, waiting: !node.mempool.isEmpty)
                }
            case .evidence(let evidence):
                network.countRefused(evidence.validator, reason: "equivocation")
                if let suppressed = logLimiter.allow("equivocation-\(evidence.validator)") {
                    logger.warning(
                        "equivocation seen",
                        metadata: [
                            "validator":
                                "\(instance.configuration.validators[evidence.validator]?.name ?? "#\(evidence.validator)")",
                            "consensus.height": "\(evidence.height)", "log.suppressed": "\(suppressed)",
                        ])
                }
            case .conflictingProposals(let proposer, let height, _):
                network.countRefused(proposer, reason: "conflicting_proposals")
                if let suppressed = logLimiter.allow("conflicting-proposals-\(proposer)") {
                    logger.warning(
                        "proposer signed two proposals for one round",
                        metadata: [
                            "validator": "\(instance.configuration.validators[proposer]?.name ?? "#\(proposer)")",
                            "consensus.height": "\(height)",
                            "log.suppressed": "\(suppressed)",
                        ])
                }
            }
        }
    }

    /// Stores a decided or synced block unless the store already holds that height.
    static func storeIfNeeded(_ block: Block, _ commit: Commit, node: Node) async -> Result<Void, GovChainError> {
        if node.store.height >= block.header.height { return .success(()) }
        do {
            try await node.chain.commit(block, commit: commit)
            return .success(())
        } catch {
            // A block for the same height may have been stored meanwhile (sync or consensus).
            return node.store.height >= block.header.height ? .success(()) : .failure(error)
        }
    }

    // MARK: - Policy actions

    func perform(_ actions: [NodePolicy.Action]) {
        for action in actions {
            guard halted == nil else { return }
            switch action {
            case .broadcastStatus(let height):
                network.broadcast(NodeMessage.status(height).encoded)
            case .requestBlocks(let from, let count, let peer):
                network.send(NodeMessage.blockRequest(from: from, count: count).encoded, to: peer)
            case .serveBlocks(let from, let count, let peer):
                let network = self.network
                spawn { node in
                    Self.serve(from: from, count: count, to: peer, store: node.store, network: network)
                    return .served(peer)
                }
            case .regossip:
                for message in instance.gossipMessages() { network.broadcast(NodeMessage.consensus(message).encoded) }
            case .startConsensus:
                feed(.start)
            case .feedCommitted(let block, let commit):
                // The set of the next height, when governance changed it (docs/GOVERNANCE.md).
                let next = try? node.store.validatorSet(at: block.header.height.next)
                if let next, next.hash != instance.configuration.validators.hash {
                    policy.setValidators(next, selfIndex: next.index(of: node.chain.publicKey))
                    logger.notice(
                        "consensus follows the new validator set",
                        metadata: [
                            "consensus.height": "\(block.header.height.next)",
                            "validators": "\(next.validators.map(\.name))",
                            "validator.index": "\(next.index(of: node.chain.publicKey).map { "\($0)" } ?? "none")",
                        ])
                }
                feed(.committed(block, commit, nextValidators: next))
            case .applySynced(let block, let commit, let peer):
                spawn { [logger, logLimiter] node in
                    let result = await Self.storeIfNeeded(block, commit, node: node)
                    // A local write failure says nothing about the peer's block.
                    if case .failure(let error) = result, error.code == .storageError { return .storageFailed(error) }
                    if case .failure(let error) = result, let suppressed = logLimiter.allow("synced-refused-\(peer)") {
                        logger.warning(
                            "synced block refused",
                            metadata: [
                                "block.height": "\(block.header.height)", "peer.index": "\(peer)",
                                "error": "\(error.message)",
                                "log.suppressed": "\(suppressed)",
                            ])
                    }
                    let ok = (try? result.get()) != nil
                    node.metrics.synced(ok: ok)
                    return .syncedApplied(block.header.height, ok: ok)
                }
            case .refuse(let peer, let refusal, let disconnect):
                if disconnect {
                    network.disconnect(peer, reason: refusal.rawValue)
                } else {
                    network.countRefused(peer, reason: refusal.rawValue)
                }
            }
        }
    }

    /// Reads and sends stored blocks, stopping early while the peer's outbound queue is full.
    static func serve(
        from: Height, count: UInt16, to peer: ValidatorIndex, store: BlockStore, network: any PeerTransport
    ) {
        var height = from
        for _ in 0..<count {
            guard !Task.isCancelled, network.queuedBytes(for: peer) < serveQueueBytesMax,
                let block = try? store.block(at: height), let commit = try? store.commit(at: height)
            else { return }
            network.send(NodeMessage.block(block, commit).encoded, to: peer)
            height = height.next
        }
    }

    // MARK: - Work off the loop, timers

    /// Runs `work` as its own task and feeds its result back through the inbox.
    func spawn(_ work: @escaping @Sendable (Node) async -> DriverEvent) {
        let inbox = driver.inbox
        let node = self.node
        jobs.spawn {
            let event = await work(node)
            guard !Task.isCancelled else { return }
            inbox.pushControl(event)
        }
    }

    /// A cancellable handle that feeds `event` after `milliseconds` on the injected clock.
    func after(_ milliseconds: UInt64, _ event: DriverEvent) -> Task<Void, Never> {
        let inbox = driver.inbox
        let clock = self.clock
        return Task {
            do {
                try await clock.sleep(for: .milliseconds(Int64(clamping: milliseconds)))
            } catch {
                return
            }
            inbox.pushControl(event)
        }
    }

    func scheduleTick() {
        tickTimer?.cancel()
        tickTimer = after(policy.configuration.statusIntervalMs, .tick)
    }
}
