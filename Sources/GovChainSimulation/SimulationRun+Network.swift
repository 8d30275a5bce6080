import GovChainConsensus
import GovChainCore

/// The network: loss, duplication, long-tailed delays (hence reordering) and partitions. What
/// travels is `NodeMessage` bytes, the node's wire protocol, decoded and checked at the
/// receiver's edge as `InboundVerifier` does.
extension SimulationRun {
    /// Who a node talks to. Twins only talk to their half of the honest nodes and to the twins
    /// on their side; everyone else talks to everyone.
    func peers(of slot: Int) -> [Int] {
        let sender = nodes[slot]
        return nodes.indices.filter { target in
            guard target != slot else { return false }
            guard sender.twin != 0 else { return true }
            let receiver = nodes[target]
            return receiver.isByzantine
                ? receiver.twin == 0 || receiver.twin == sender.twin : receiver.group == sender.twin
        }
    }

    /// The slots running `validator` that `slot` talks to (twins share a validator index).
    func slots(of validator: ValidatorIndex, reachableFrom slot: Int) -> [Int] {
        Array(peers(of: slot).filter { nodes[$0].validator == validator }.prefix(1))
    }

    func isPartitioned(_ a: Int, _ b: Int) -> Bool {
        partitions.values.contains { $0.contains(a) != $0.contains(b) }
    }

    func send(_ bytes: [UInt8], from: Int, to: Int) {
        guard !isPartitioned(from, to), !random.chance(profile.lossRate) else { return }
        queue.push(.deliver(to: to, from: from, bytes), at: now + profile.delay(&random))
        if random.chance(profile.duplicateRate) {
            queue.push(.deliver(to: to, from: from, bytes), at: now + profile.delay(&random))
        }
    }

    func sendNode(_ message: NodeMessage, from: Int, to targets: [Int]) {
        let bytes = message.encoded
        for target in targets { send(bytes, from: from, to: target) }
    }

    func send(_ message: ConsensusMessage, from: Int, to targets: [Int]) {
        sendNode(.consensus(message), from: from, to: targets)
    }

    func send(_ messages: [ConsensusMessage], from: Int, to targets: [Int]) {
        for message in messages { send(message, from: from, to: targets) }
    }

    func deliver(_ bytes: [UInt8], to slot: Int, from: Int) {
        guard nodes[slot].isUp else { return }
        delivered += 1
        // The decode edge: malformed bytes are dropped and counted, never trapped on.
        guard let message = try? NodeMessage(decoding: bytes) else {
            malformedAtEdge += 1
            return
        }
        let peer = nodes[from].validator
        let now = self.now
        switch message {
        case .consensus(let consensus):
            // Signatures are checked before anything is buffered (InboundVerifier).
            guard let signer = plan.set(at: consensus.height)[consensus.signer],
                cache.isValid(
                    consensus.signature, by: signer.publicKey, for: consensus.signBytes(chainId: Self.chainId))
            else {
                malformedAtEdge += 1
                return
            }
            var withTransactions = false
            if case .proposal(let proposal) = consensus { withTransactions = !proposal.block.transactions.isEmpty }
            policyStep(slot) {
                $0.onVerifiedConsensus(
                    signer: consensus.signer, height: consensus.height, round: consensus.round,
                    proposalWithTransactions: withTransactions, nowMs: now)
            }
            feed(slot, .message(consensus))
        case .status(let height):
            policyStep(slot) { $0.onStatus(height, from: peer, nowMs: now) }
        case .blockRequest(let start, let count):
            policyStep(slot) { $0.onBlockRequest(from: start, count: count, peer: peer) }
        case .block(let block, let commit):
            policyStep(slot) { $0.onSyncedBlock(block, commit, bytes: bytes.count, from: peer, nowMs: now) }
        case .transactions:
            break
        }
    }
}
