import GovChainConsensus
import GovChainCore

/// Byzantine validators run an ordinary instance (so they follow heights and rounds) and
/// distort what it sends. Their keys are real, so what they sign verifies.
extension SimulationRun {
    func misbehave(_ message: ConsensusMessage, from slot: Int) {
        switch behavior {
        case .silent: return
        case .twins: send(message, from: slot, to: peers(of: slot))
        case .equivocate: equivocate(message, from: slot)
        case .garbage: sendGarbage(message, from: slot)
        case .badTime, .badBlocks: sendDistortedProposal(message, from: slot)
        case .lyingStatus: send(message, from: slot, to: peers(of: slot))
        case .flood: flood(message, from: slot)
        }
    }

    private func slots(group: Int) -> [Int] {
        nodes.indices.filter { !nodes[$0].isByzantine && nodes[$0].group == group }
    }
    private func byzantineSlots(except slot: Int) -> [Int] {
        nodes.indices.filter { nodes[$0].isByzantine && $0 != slot }
    }

    // MARK: - Equivocation

    /// A byzantine proposer sends block A to group 1 and block B to group 2; for a split
    /// (height, round) every byzantine validator votes A towards group 1 and B towards group 2.
    /// Elsewhere they send their vote to group 1 and a nil vote to group 2. One honest node gets
    /// both versions, as gossip would eventually deliver them.
    private func equivocate(_ message: ConsensusMessage, from slot: Int) {
        let first = slots(group: 1) + byzantineSlots(except: slot)
        let second = slots(group: 2)
        let key = nodes[slot].key
        switch message {
        case .proposal(let proposal):
            let other = makeBlock(at: slot, height: proposal.height, evidence: proposal.block.evidence, timeOffset: 7)
            let twin = Proposal.sign(
                height: proposal.height, round: proposal.round, validRound: proposal.validRound, block: other,
                proposer: proposal.proposer, chainId: Self.chainId, key: key)
            splits[SplitKey(height: proposal.height, round: proposal.round)] = (proposal.blockHash, twin.blockHash)
            send(message, from: slot, to: first)
            send(.proposal(twin), from: slot, to: second)
        case .vote(let vote):
            let split = splits[SplitKey(height: vote.height, round: vote.round)]
            let voteA = resign(vote, value: split?.0 ?? vote.block, key: key)
            let voteB = resign(vote, value: split?.1 ?? nil, key: key)
            send(.vote(voteA), from: slot, to: first)
            send(.vote(voteB), from: slot, to: second)
            // Gossip would eventually show both to someone; let one honest node see both now.
            let honest = slots(group: 1) + second
            if voteA != voteB, !honest.isEmpty {
                let witness = honest[Int(random.below(UInt64(honest.count)))]
                send(.vote(nodes[witness].group == 1 ? voteB : voteA), from: slot, to: [witness])
            }
        }
    }

    private func resign(_ vote: Vote, value: Hash32?, key: SigningKey) -> Vote {
        vote.block == value
            ? vote
            : Vote.sign(
                type: vote.type, height: vote.height, round: vote.round, block: value,
                validator: vote.validator, chainId: Self.chainId, key: key)
    }

    // MARK: - Garbage

    /// Sends the real message to a random half of the peers and, most of the time, something
    /// broken to all of them.
    private func sendGarbage(_ message: ConsensusMessage, from slot: Int) {
        let targets = peers(of: slot)
        send(message, from: slot, to: targets.filter { _ in random.chance(0.5) })
        guard random.chance(0.8) else { return }
        let bytes = garbage(for: message, from: slot)
        for target in targets { send(bytes, from: slot, to: target) }
    }

    private func garbage(for message: ConsensusMessage, from slot: Int) -> [UInt8] {
        let node = nodes[slot]
        let encoded = NodeMessage.consensus(message).encoded
        switch random.below(7) {
        case 0:
            return random.bytes(random.int(in: 0...200))
        case 1:
            var flipped = encoded
            for _ in 0..<random.int(in: 1...3) {
                let position = Int(random.below(UInt64(flipped.count)))
                flipped[position] ^= UInt8(1) << UInt8(random.below(8))
            }
            return flipped
        case 2:
            return Array(encoded.prefix(Int(random.below(UInt64(encoded.count)))))
        case 3:
            let forged = Vote(
                type: .prevote, height: message.height, round: message.round, block: Hash32(random.bytes(32)),
                validator: node.validator, signature: Signature(random.bytes(64))!)
            return NodeMessage.consensus(.vote(forged)).encoded
        case 4:
            let impostor = ValidatorIndex(UInt16((Int(node.validator.rawValue) + 1) % options.validators))
            let stolen = Vote.sign(
                type: .precommit, height: message.height, round: message.round, block: nil,
                validator: impostor, chainId: Self.chainId, key: node.key)
            return NodeMessage.consensus(.vote(stolen)).encoded
        case 5:
            let far = Vote.sign(
                type: .prevote, height: message.height, round: Round(UInt32.max - UInt32(random.below(1_000))),
                block: nil, validator: node.validator, chainId: Self.chainId, key: node.key)
            return NodeMessage.consensus(.vote(far)).encoded
        default:
            return NodeMessage.consensus(invalidProposal(like: message, from: slot)).encoded
        }
    }

    /// A validly signed proposal of a block that breaks the ledger rules (wrong previous hash).
    private func invalidProposal(like message: ConsensusMessage, from slot: Int) -> ConsensusMessage {
        let node = nodes[slot]
        let block = Block.make(
            chainId: Self.chainId, height: message.height, time: Timestamp(rawValue: Self.genesisTimeMs + now + 3),
            previousHash: Hash32(random.bytes(32))!, lastCommit: node.chain.last?.commit, transactions: [],
            validators: plan.set(at: message.height), proposer: node.validator,
            nextValidatorsHash: plan.set(at: message.height.next).hash)
        return .proposal(
            Proposal.sign(
                height: message.height, round: message.round, validRound: nil, block: block,
                proposer: node.validator, chainId: Self.chainId, key: node.key))
    }
}

// MARK: - Byzantine proposers and peers (the hardening issue's attacks)

extension SimulationRun {
    /// Replaces every proposal with a validly signed one whose block breaks a rule: its time
    /// (`badTime`) or its contents (`badBlocks`). Votes are sent as they are.
    fileprivate func sendDistortedProposal(_ message: ConsensusMessage, from slot: Int) {
        guard case .proposal(let proposal) = message, proposal.validRound == nil else {
            send(message, from: slot, to: peers(of: slot))
            return
        }
        let block =
            behavior == .badTime
            ? badlyTimedBlock(like: proposal.block, at: slot) : badBlock(like: proposal.block, at: slot)
        let distorted = Proposal.sign(
            height: proposal.height, round: proposal.round, validRound: nil, block: block,
            proposer: proposal.proposer, chainId: Self.chainId, key: nodes[slot].key)
        send(.proposal(distorted), from: slot, to: peers(of: slot))
    }

    private func restamped(
        _ block: Block, time: UInt64, transactions: [Transaction]? = nil, proposer: ValidatorIndex? = nil
    ) -> Block {
        Block.make(
            chainId: Self.chainId, height: block.header.height, time: Timestamp(rawValue: time),
            previousHash: block.header.previousHash,
            lastCommit: block.lastCommit, transactions: transactions ?? block.transactions,
            validators: plan.set(at: block.header.height),
            proposer: proposer ?? block.header.proposer, evidence: block.evidence,
            nextValidatorsHash: plan.set(at: block.header.height.next).hash)
    }

    private func badlyTimedBlock(like block: Block, at slot: Int) -> Block {
        let parent = nodes[slot].lastBlock?.header.time.rawValue ?? Self.genesisTimeMs
        let time: UInt64 =
            switch random.below(5) {
            case 0: Self.genesisTimeMs + now + 365 * 86_400_000  // a year ahead
            case 1: UInt64.max  // the end of time
            case 2: parent  // not later than the parent
            case 3: parent == 0 ? 0 : parent - 1
            default: localTime(slot).rawValue + Self.clockDriftMsMax * 3  // just beyond the drift
            }
        return restamped(block, time: time)
    }

    /// A transaction signed by this byzantine validator's key: the simulator's honest rules only
    /// ask for a valid signature and a transaction that is not on the chain yet.
    private func transaction(at slot: Int, forged: Bool = false) -> Transaction {
        let body = TransactionBody.anchorDocument(
            .init(document: Hash32(random.bytes(32))!, documentType: Code("sim")!, authority: Code("sim")!))
        var made = Transaction(
            body: body, time: localTime(slot), nonce: random.next(), chainId: Self.chainId, key: nodes[slot].key)
        if forged { made.signature = Signature(random.bytes(64))! }
        return made
    }

    private func badBlock(like block: Block, at slot: Int) -> Block {
        let time = block.header.time.rawValue
        switch random.below(6) {
        case 0: return restamped(block, time: time, transactions: [transaction(at: slot, forged: true)])
        case 1:
            let twice = transaction(at: slot)
            return restamped(block, time: time, transactions: [twice, twice])
        case 2:
            // A transaction already on the chain, if there is one.
            let old = nodes[slot].chain.lazy.flatMap(\.block.transactions).first ?? transaction(at: slot, forged: true)
            return restamped(block, time: time, transactions: [old])
        case 3:
            return restamped(block, time: time, transactions: (0...Self.blockTxsMax).map { _ in transaction(at: slot) })
        case 4:
            let other = ValidatorIndex(
                UInt16((Int(block.header.proposer.rawValue) + 1) % configuration.validators.count))
            return restamped(block, time: time, proposer: other)
        default:
            // Valid: fresh, signed transactions (so blocks with transactions get committed too).
            return restamped(block, time: time, transactions: [transaction(at: slot), transaction(at: slot)])
        }
    }

    /// Status lies: the end of the height range, or far ahead; sometimes an unasked-for block
    /// and a request for heights nobody has.
    func lieAboutStatus(from slot: Int) {
        let targets = peers(of: slot)
        let claim = random.chance(0.5) ? UInt64.max : UInt64(nodes[slot].chain.count) + 1 + random.below(1_000_000)
        sendNode(.status(Height(claim)), from: slot, to: targets)
        if let last = nodes[slot].chain.last, random.chance(0.3) {
            sendNode(.block(last.block, last.commit), from: slot, to: targets)
        }
        if random.chance(0.3) {
            sendNode(
                .blockRequest(from: Height(UInt64.max - random.below(10)), count: NodeMessage.blocksPerRequestMax),
                from: slot, to: targets)
        }
    }

    /// The real message, then a burst of validly signed noise: votes for future rounds and the
    /// next height (the budgets must hold them), duplicates, and block requests.
    fileprivate func flood(_ message: ConsensusMessage, from slot: Int) {
        let targets = peers(of: slot)
        send(message, from: slot, to: targets)
        let node = nodes[slot]
        for _ in 0..<8 {
            let height = random.chance(0.5) ? message.height : message.height.next
            let round = Round(message.round.rawValue &+ UInt32(random.below(1_200)))
            let type: VoteType = random.chance(0.5) ? .prevote : .precommit
            let vote = Vote.sign(
                type: type, height: height, round: round, block: random.chance(0.5) ? nil : Hash32(random.bytes(32)),
                validator: node.validator, chainId: Self.chainId, key: node.key)
            send(.vote(vote), from: slot, to: targets)
        }
        send(message, from: slot, to: targets)
        sendNode(.blockRequest(from: 1, count: NodeMessage.blocksPerRequestMax), from: slot, to: targets)
    }
}
