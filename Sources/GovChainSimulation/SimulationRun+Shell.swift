import GovChainConsensus
import GovChainCore

/// The thin shell around each instance: it carries out effects in order, persisting to the
/// node's "disk" before it sends anything.
extension SimulationRun {
    func boot(_ slot: Int) {
        let node = nodes[slot]
        let persisted = node.persistedSigning.map { bytes in
            // Our own disk: a state we wrote that does not read back is a bug, not bad input.
            guard let state = try? SigningState(decoding: bytes, chainId: Self.chainId) else {
                preconditionFailure("node \(slot): persisted signing state does not decode")
            }
            return state
        }
        nodes[slot].instance = ConsensusInstance(configuration: configuration, signer: node.key, height: node.nextHeight,
                                                 resumingFrom: persisted)
        nodes[slot].lastProgressMs = max(nodes[slot].lastProgressMs, now)
        queue.push(.gossip(node: slot, incarnation: node.incarnation), at: now + Self.gossipIntervalMs + UInt64(slot))
        feed(slot, .start)
    }

    /// Only the disk survives: signing state and committed blocks.
    func crash(_ slot: Int) {
        nodes[slot].instance = nil
        nodes[slot].incarnation += 1
        nodes[slot].crashAtNextPersist = false
    }

    func feed(_ slot: Int, _ input: ConsensusInput) {
        guard nodes[slot].isUp else { return }
        let effects = nodes[slot].instance!.step(input)
        nodes[slot].maxRound = max(nodes[slot].maxRound, nodes[slot].instance!.round.rawValue)
        perform(effects, at: slot)
    }

    private func perform(_ effects: [ConsensusEffect], at slot: Int) {
        let incarnation = nodes[slot].incarnation
        for effect in effects {
            guard violation == nil, nodes[slot].incarnation == incarnation, nodes[slot].isUp else { return }
            switch effect {
            case .persist(let state):
                nodes[slot].persistedSigning = state.encoded
                if nodes[slot].crashAtNextPersist { crash(slot) }
            case .broadcast(let message):
                broadcast(message, from: slot)
            case .scheduleTimeout(let timeout, let durationMs):
                queue.push(.timeout(node: slot, incarnation: incarnation, timeout), at: now + durationMs)
            case .requestProposal(let height, _, let evidence):
                feed(slot, .proposalValue(makeBlock(at: slot, height: height, evidence: evidence)))
            case .validateBlock(let block):
                feed(slot, .blockValidity(blockHash: block.hash, valid: isValid(block, at: slot)))
            case .decide(let block, let commit):
                commitBlock(block, commit, at: slot)
            case .evidence:
                if !nodes[slot].isByzantine { evidenceFound += 1 }
            }
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

    /// Store the block (the node's disk), check it, then tell the instance (lines 52-54).
    func commitBlock(_ block: Block, _ commit: Commit, at slot: Int) {
        if !nodes[slot].isByzantine, let found = checker.onCommit(block, commit, by: nodes[slot], atMs: now) {
            violation = found
            return
        }
        nodes[slot].chain.append((block, commit))
        nodes[slot].lastProgressMs = now
        feed(slot, .committed(block, commit))
    }

    // MARK: - The ledger side: getValue() and valid(v)

    /// An empty block whose time derives from the virtual clock (twins differ by their twin
    /// number, so their blocks differ).
    func makeBlock(at slot: Int, height: Height, evidence: [DuplicateVoteEvidence], timeOffset: UInt64 = 0) -> Block {
        let node = nodes[slot]
        let previousTime = node.lastBlock?.header.time.rawValue ?? Self.genesisTimeMs
        let time = max(Self.genesisTimeMs + now, previousTime + 1) + UInt64(node.twin) + timeOffset
        return Block.make(chainId: Self.chainId, height: height, time: Timestamp(rawValue: time),
                          previousHash: node.lastBlock?.hash ?? .zero, lastCommit: node.chain.last?.commit,
                          transactions: [], validators: configuration.validators, proposer: node.validator, evidence: evidence)
    }

    /// The ledger rules of the simulated chain: a well-formed block on top of ours, with a
    /// verifying last commit, a later time and verifiable evidence.
    func isValid(_ block: Block, at slot: Int) -> Bool {
        let node = nodes[slot]
        let header = block.header
        guard header.chainId == Self.chainId, header.height == node.nextHeight,
              header.previousHash == (node.lastBlock?.hash ?? .zero),
              header.time.rawValue > (node.lastBlock?.header.time.rawValue ?? Self.genesisTimeMs),
              header.validatorsHash == configuration.validators.hash,
              configuration.validators[header.proposer] != nil,
              (try? block.validateBasic()) != nil
        else { return false }
        if let lastCommit = block.lastCommit, let previous = node.lastBlock,
           cache.verify(lastCommit, blockHash: previous.hash, height: previous.header.height,
                        validators: configuration.validators, chainId: configuration.chainId) != nil {
            return false
        }
        return block.evidence.allSatisfy { evidence in
            [evidence.first, evidence.second].allSatisfy { vote in
                guard let key = configuration.validators[vote.validator]?.publicKey else { return false }
                return cache.isValid(vote.signature, by: key, for: vote.signBytes(chainId: Self.chainId))
            }
        }
    }
}
