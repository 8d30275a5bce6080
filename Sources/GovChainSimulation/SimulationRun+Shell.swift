import GovChainConsensus
import GovChainCore

/// The simulator's stand-in for the node's I/O, around the production `ConsensusInstance` and
/// `NodePolicy`: effects and policy actions are carried out as `ConsensusDriver` carries them out,
/// with the slow ones (building and validating proposals, storing blocks) completing as later
/// events. Persisting is to the node's "disk" and precedes anything sent after it.
extension SimulationRun {
    func boot(_ slot: Int) {
        // A rotated validator restarts with its new key, as its operator does (GOVERNANCE.md).
        if let key = plan.key(of: nodes[slot].validator, at: nodes[slot].nextHeight), !nodes[slot].isByzantine {
            nodes[slot].key = key
        }
        let node = nodes[slot]
        let set = plan.set(at: node.nextHeight)
        var configuration = self.configuration
        configuration.setValidators(set)
        let persisted = node.persistedSigning.map { bytes in
            // Our own disk: a state we wrote that does not read back is a bug, not bad input.
            guard let state = try? SigningState(decoding: bytes, chainId: Self.chainId) else {
                preconditionFailure("node \(slot): persisted signing state does not decode")
            }
            return state
        }
        let instance = ConsensusInstance(
            configuration: configuration, signer: node.key, height: node.nextHeight, resumingFrom: persisted)
        var policyConfiguration = self.policyConfiguration
        policyConfiguration.validators = set
        policyConfiguration.selfIndex = set.index(of: node.key.publicKey)
        nodes[slot].instance = instance
        nodes[slot].policy = NodePolicy(
            configuration: policyConfiguration, storedHeight: Height(UInt64(node.chain.count)), nowMs: now)
        nodes[slot].lastProgressMs = max(nodes[slot].lastProgressMs, now)
        queue.push(
            .tick(node: slot, incarnation: node.incarnation),
            at: now + policyConfiguration.statusIntervalMs + UInt64(slot))
        let resuming = persisted.map { $0.height == node.nextHeight } ?? false
        policyStep(slot) { $0.onStart(resuming: resuming, transactionsWaiting: busy, nowMs: now) }
    }

    /// Only the disk survives: signing state and committed blocks.
    func crash(_ slot: Int) {
        nodes[slot].instance = nil
        nodes[slot].policy = nil
        nodes[slot].incarnation += 1
        nodes[slot].crashAtNextPersist = false
    }

    func feed(_ slot: Int, _ input: ConsensusInput) {
        guard nodes[slot].isUp else { return }
        let effects = nodes[slot].instance!.step(input)
        nodes[slot].maxRound = max(nodes[slot].maxRound, nodes[slot].instance!.round.rawValue)
        perform(effects, at: slot)
    }

    /// A short, seeded delay for work the node does off its loop.
    private var jobDelayMs: UInt64 { 1 + random.below(5) }

    private func perform(_ effects: [ConsensusEffect], at slot: Int) {
        let incarnation = nodes[slot].incarnation
        for effect in effects {
            guard violation == nil, isCurrent(slot, incarnation) else { return }
            switch effect {
            case .persist(let state):
                nodes[slot].persistedSigning = state.encoded
                if nodes[slot].crashAtNextPersist { crash(slot) }
            case .broadcast(let message):
                broadcast(message, from: slot)
            case .scheduleTimeout(let timeout, let durationMs):
                queue.push(.timeout(node: slot, incarnation: incarnation, timeout), at: now + durationMs)
            case .requestProposal(let height, _, _):
                queue.push(.proposalBuilt(node: slot, incarnation: incarnation, height), at: now + jobDelayMs)
            case .validateBlock(let block):
                queue.push(.validated(node: slot, incarnation: incarnation, block), at: now + jobDelayMs)
            case .decide(let block, let commit):
                queue.push(.stored(node: slot, incarnation: incarnation, block, commit), at: now + jobDelayMs)
            case .evidence:
                if !nodes[slot].isByzantine { evidenceFound += 1 }
            case .conflictingProposals:
                refusedByPolicy += 1
            }
        }
    }

    /// Runs one policy event on a live node and carries out its actions.
    func policyStep(_ slot: Int, _ event: (inout NodePolicy) -> [NodePolicy.Action]) {
        guard nodes[slot].isUp, nodes[slot].policy != nil else { return }
        let actions = event(&nodes[slot].policy!)
        perform(actions, at: slot)
    }

    /// Carries out the shell policy's actions, as `DriverLoop.perform(_: [NodePolicy.Action])` does.
    func perform(_ actions: [NodePolicy.Action], at slot: Int) {
        let incarnation = nodes[slot].incarnation
        for action in actions {
            guard violation == nil, isCurrent(slot, incarnation) else { return }
            switch action {
            case .broadcastStatus(let height):
                if nodes[slot].isByzantine, behavior == .lyingStatus {
                    lieAboutStatus(from: slot)
                } else {
                    sendNode(.status(height), from: slot, to: peers(of: slot))
                }
            case .requestBlocks(let from, let count, let peer):
                sendNode(.blockRequest(from: from, count: count), from: slot, to: slots(of: peer, reachableFrom: slot))
            case .serveBlocks(let from, let count, let peer):
                serve(from: from, count: count, to: peer, at: slot)
                nodes[slot].policy?.onServed(peer: peer)
            case .regossip:
                send(nodes[slot].instance!.gossipMessages(), from: slot, to: peers(of: slot))
            case .startConsensus:
                feed(slot, .start)
            case .feedCommitted(let block, let commit):
                // The next height's set, as the driver hands it over (`DriverLoop`).
                let next = plan.set(at: block.header.height.next)
                if next.hash != plan.set(at: block.header.height).hash {
                    let selfIndex = next.index(of: nodes[slot].key.publicKey)
                    nodes[slot].policy?.setValidators(next, selfIndex: selfIndex)
                }
                feed(slot, .committed(block, commit, nextValidators: next))
            case .applySynced(let block, let commit, let peer):
                queue.push(
                    .syncApplied(node: slot, incarnation: incarnation, block, commit, from: peer), at: now + jobDelayMs)
            case .refuse:
                refusedByPolicy += 1
            }
        }
    }

    private func serve(from: Height, count: UInt16, to peer: ValidatorIndex, at slot: Int) {
        // Withholding: a lying byzantine validator never answers.
        guard !(nodes[slot].isByzantine && behavior == .lyingStatus) else { return }
        let targets = slots(of: peer, reachableFrom: slot)
        var height = from
        for _ in 0..<count {
            let index = Int(height.rawValue) - 1
            guard index >= 0, index < nodes[slot].chain.count else { return }
            let entry = nodes[slot].chain[index]
            sendNode(.block(entry.block, entry.commit), from: slot, to: targets)
            height = height.next
        }
    }

    private func broadcast(_ message: ConsensusMessage, from slot: Int) {
        if !nodes[slot].isByzantine, let found = checker.onSigned(message, by: nodes[slot], atMs: now) {
            violation = found
            return
        }
        if nodes[slot].isByzantine {
            misbehave(message, from: slot)
        } else {
            send(message, from: slot, to: peers(of: slot))
        }
    }

    /// Stores a block on the node's disk unless it already has that height (sync and consensus
    /// may both deliver it), checking it first.
    func storeIfNeeded(_ block: Block, _ commit: Commit, at slot: Int) {
        guard nodes[slot].chain.count < Int(block.header.height.rawValue) else { return }
        if !nodes[slot].isByzantine,
            let found = checker.onCommit(block, commit, by: nodes[slot], atMs: now, honestClockMaxMs: honestClockMax)
        {
            violation = found
            return
        }
        nodes[slot].store(block, commit)
        nodes[slot].lastProgressMs = now
        followSetChange(at: slot)
    }

    /// After a stored block: once the chain reaches a removal, the removed validator's node
    /// stops for good (its operator stops it; the others no longer serve it, so a node that was
    /// behind could not catch up anyway); a validator whose key was rotated restarts with the new
    /// key once it stored the block before the rotation (its signing state and blocks survive).
    private func followSetChange(at slot: Int) {
        guard !plan.changes.isEmpty else { return }
        let height = nodes[slot].nextHeight
        for retiring in nodes.indices where !nodes[retiring].retired && !nodes[retiring].isByzantine {
            if let removal = plan.removal(of: nodes[retiring].validator), height >= removal {
                crash(retiring)
                nodes[retiring].retired = true
            }
        }
        let node = nodes[slot]
        guard !node.isByzantine, !node.retired, let key = plan.key(of: node.validator, at: height),
            key.publicKey != node.key.publicKey
        else { return }
        crash(slot)
        queue.push(.restart(node: slot), at: now + 20)
    }

    /// The latest honest wall clock right now.
    var honestClockMax: UInt64 {
        honestSlots.map { localTime($0).rawValue }.max() ?? Self.genesisTimeMs + now
    }

    // MARK: - The ledger side: getValue() and valid(v)

    /// An empty block dated by this node's clock (twins differ by their twin number, so their
    /// blocks differ), made as the node makes one: `BlockRules.nextTime`.
    func makeBlock(
        at slot: Int, height: Height, evidence: [DuplicateVoteEvidence], timeOffset: UInt64 = 0,
        transactions: [Transaction] = []
    ) -> Block {
        let node = nodes[slot]
        let base = (try? rules.nextTime(after: node.tip, localTime: localTime(slot)))?.rawValue ?? Self.genesisTimeMs
        let time = base + UInt64(node.twin) + timeOffset
        return Block.make(
            chainId: Self.chainId, height: height, time: Timestamp(rawValue: time),
            previousHash: node.lastBlock?.hash ?? .zero, lastCommit: node.chain.last?.commit,
            transactions: transactions, validators: plan.set(at: height), proposer: node.validator,
            evidence: evidence.filter { !node.committedEvidence.contains($0.slot) },
            nextValidatorsHash: plan.set(at: height.next).hash)
    }

    /// The honest rules of the simulated chain, as the node applies them: `BlockRules` against
    /// this node's clock, a verifying last commit, new and verifying evidence, and transactions
    /// that are validly signed and not on the chain yet (the simulator has no ledger state).
    func isValid(_ block: Block, at slot: Int, finalised: Bool = false) -> Bool {
        let node = nodes[slot]
        let clock: Timestamp? = options.weakened == .timeCheck || finalised ? nil : localTime(slot)
        let height = block.header.height
        guard
            (try? rules.checkExtends(block, tip: node.tip, localTime: clock, signers: plan.signers(at: height)))
                != nil,
            (try? block.validateBasic()) != nil
        else { return false }
        if let lastCommit = block.lastCommit, let previous = node.lastBlock,
            cache.verify(
                lastCommit, blockHash: previous.hash, height: previous.header.height,
                validators: plan.set(at: previous.header.height), chainId: configuration.chainId) != nil
        {
            return false
        }
        let evidenceOK = block.evidence.allSatisfy { evidence in
            !node.committedEvidence.contains(evidence.slot)
                && [evidence.first, evidence.second].allSatisfy { vote in
                    guard let key = plan.set(at: vote.height)[vote.validator]?.publicKey else { return false }
                    return cache.isValid(vote.signature, by: key, for: vote.signBytes(chainId: Self.chainId))
                }
        }
        var seen = Set<Hash32>()
        let transactionsOK = block.transactions.allSatisfy { transaction in
            seen.insert(transaction.id).inserted && !node.committedTransactions.contains(transaction.id)
                && cache.isValid(
                    transaction.signature, by: transaction.signer, for: transaction.signBytes(chainId: Self.chainId))
        }
        return evidenceOK && transactionsOK
    }

    /// A synced block: its commit first, then the block itself (without this node's clock bound:
    /// the commit shows the validators judged its time).
    func isValidSynced(_ block: Block, _ commit: Commit, at slot: Int) -> Bool {
        cache.verify(
            commit, blockHash: block.hash, height: block.header.height,
            validators: plan.set(at: block.header.height), chainId: configuration.chainId) == nil
            && isValid(block, at: slot, finalised: true)
    }
}
