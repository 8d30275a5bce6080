import GovChainConsensus
import GovChainCore

/// The network: loss, duplication, long-tailed delays (hence reordering) and partitions.
extension SimulationRun {
    /// Who a node talks to. Twins only talk to their half of the honest nodes and to the twins
    /// on their side; everyone else talks to everyone.
    func peers(of slot: Int) -> [Int] {
        let sender = nodes[slot]
        return nodes.indices.filter { target in
            guard target != slot else { return false }
            guard sender.twin != 0 else { return true }
            let receiver = nodes[target]
            return receiver.isByzantine ? receiver.twin == 0 || receiver.twin == sender.twin : receiver.group == sender.twin
        }
    }

    func isPartitioned(_ a: Int, _ b: Int) -> Bool {
        partitions.values.contains { $0.contains(a) != $0.contains(b) }
    }

    func send(_ wire: Wire, from: Int, to: Int) {
        guard !isPartitioned(from, to), !random.chance(profile.lossRate) else { return }
        queue.push(.deliver(to: to, from: from, wire), at: now + profile.delay(&random))
        if random.chance(profile.duplicateRate) {
            queue.push(.deliver(to: to, from: from, wire), at: now + profile.delay(&random))
        }
    }

    func send(_ message: ConsensusMessage, from: Int, to targets: [Int]) {
        let bytes = message.encoded
        for target in targets { send(.consensus(bytes), from: from, to: target) }
    }

    func deliver(_ wire: Wire, to slot: Int, from: Int) {
        guard nodes[slot].isUp else { return }
        delivered += 1
        switch wire {
        case .consensus(let bytes):
            // The decode edge: malformed bytes are dropped and counted, never trapped on.
            guard let message = try? ConsensusMessage(decoding: bytes) else {
                malformedAtEdge += 1
                return
            }
            feed(slot, .message(message))
        case .status(let height):
            let index = Int(height.rawValue) - 1
            guard index >= 0, index < nodes[slot].chain.count else { return }
            let entry = nodes[slot].chain[index]
            send(.sync(entry.block, entry.commit), from: slot, to: from)
        case .sync(let block, let commit):
            receiveSync(block, commit, at: slot)
        }
    }

    /// Block sync for a node that is behind: accepted only at its next height, valid on top of
    /// its chain and with a commit that verifies.
    private func receiveSync(_ block: Block, _ commit: Commit, at slot: Int) {
        let node = nodes[slot]
        guard block.header.height == node.nextHeight, node.instance?.decision == nil, isValid(block, at: slot),
              cache.verify(commit, blockHash: block.hash, height: block.header.height,
                           validators: configuration.validators, chainId: configuration.chainId) == nil
        else { return }
        commitBlock(block, commit, at: slot)
    }

    /// When a node has not committed for a while: re-send what it holds of this height (the
    /// paper assumes gossip eventually delivers every message to every correct process) and ask
    /// peers for its next block. Byzantine nodes gossip too; twins only towards their half.
    func gossip(_ slot: Int, incarnation: Int) {
        guard nodes[slot].incarnation == incarnation, nodes[slot].isUp else { return }
        queue.push(.gossip(node: slot, incarnation: incarnation), at: now + Self.gossipIntervalMs)
        guard now >= nodes[slot].lastProgressMs + Self.gossipIntervalMs else { return }
        let targets = peers(of: slot)
        for message in nodes[slot].instance!.gossipMessages() { send(message, from: slot, to: targets) }
        for target in targets { send(.status(nodes[slot].nextHeight), from: slot, to: target) }
    }
}
