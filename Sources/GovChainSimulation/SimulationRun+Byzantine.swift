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
        }
    }

    private func slots(group: Int) -> [Int] { nodes.indices.filter { !nodes[$0].isByzantine && nodes[$0].group == group } }
    private func byzantineSlots(except slot: Int) -> [Int] { nodes.indices.filter { nodes[$0].isByzantine && $0 != slot } }

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
            let twin = Proposal.sign(height: proposal.height, round: proposal.round, validRound: proposal.validRound, block: other,
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
        vote.block == value ? vote : Vote.sign(type: vote.type, height: vote.height, round: vote.round, block: value,
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
        for target in targets { send(.consensus(bytes), from: slot, to: target) }
    }

    private func garbage(for message: ConsensusMessage, from slot: Int) -> [UInt8] {
        let node = nodes[slot]
        let encoded = message.encoded
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
            let forged = Vote(type: .prevote, height: message.height, round: message.round, block: Hash32(random.bytes(32)),
                              validator: node.validator, signature: Signature(random.bytes(64))!)
            return ConsensusMessage.vote(forged).encoded
        case 4:
            let impostor = ValidatorIndex(UInt16((Int(node.validator.rawValue) + 1) % options.validators))
            let stolen = Vote.sign(type: .precommit, height: message.height, round: message.round, block: nil,
                                   validator: impostor, chainId: Self.chainId, key: node.key)
            return ConsensusMessage.vote(stolen).encoded
        case 5:
            let far = Vote.sign(type: .prevote, height: message.height, round: Round(UInt32.max - UInt32(random.below(1_000))),
                                block: nil, validator: node.validator, chainId: Self.chainId, key: node.key)
            return ConsensusMessage.vote(far).encoded
        default:
            return invalidProposal(like: message, from: slot).encoded
        }
    }

    /// A validly signed proposal of a block that breaks the ledger rules (wrong previous hash).
    private func invalidProposal(like message: ConsensusMessage, from slot: Int) -> ConsensusMessage {
        let node = nodes[slot]
        let block = Block.make(chainId: Self.chainId, height: message.height, time: Timestamp(rawValue: Self.genesisTimeMs + now + 3),
                               previousHash: Hash32(random.bytes(32))!, lastCommit: node.chain.last?.commit, transactions: [],
                               validators: configuration.validators, proposer: node.validator)
        return .proposal(Proposal.sign(height: message.height, round: message.round, validRound: nil, block: block,
                                       proposer: node.validator, chainId: Self.chainId, key: node.key))
    }
}
