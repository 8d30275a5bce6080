import Foundation
import GovChainConsensus
import GovChainCore
import GovChainNetwork
import Logging
import Synchronization

/// The stateless half of admitting a peer message, off the consensus loop (style.md #7): decode,
/// then for consensus messages check that the signer is a validator and the signature verifies,
/// before anything is buffered for the loop. Several of these run in parallel, each taking from
/// the network's fair inbox, so checking signatures costs all cores and one peer's flood only
/// ever takes its share. A peer that sends undecodable bytes or a bad signature is disconnected
/// with back-off (honest peers relay only messages they verified themselves).
///
/// Gossiped transactions go to mempool admission here too, so votes never wait behind them.
struct InboundVerifier: Sendable {
    let network: any PeerTransport
    let node: Node
    let inbox: DriverInbox
    let verified: VerifiedSignatures
    /// The sets signing the next two heights: a message is checked against the set of its height.
    let active: ActiveValidators
    let chainId: ChainID
    /// The consensus loop's height and round as last published: stateless checks at the edge
    /// drop what the instance would drop anyway, before it costs a decode or a signature check.
    let position: @Sendable () -> (height: Height, round: Round)

    /// Workers to run: one per core.
    static var workers: Int { max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)) }

    func run(worker: Int = 0) async {
        stage(worker, "waiting")
        for await message in network.inbound {
            stage(worker, "handling \(message.payload.count) bytes from \(message.from)")
            await handle(message)
            stage(worker, "waiting")
        }
        stage(worker, "ended")
    }

    /// What each worker does right now (for `GET /v1/status`).
    static let stages = Mutex<[Int: String]>([:])
    func stage(_ worker: Int, _ what: String) { Self.stages.withLock { $0[worker] = what } }

    func handle(_ message: PeerMessage) async {
        let (height, round) = position()
        let sets = active.snapshot
        if let peek = NodeMessage.peekProposal(message.payload) {
            guard isWithinWindow(peek.height, peek.round, height: height, round: round),
                let schedule = sets.set(for: peek.height)?.schedule,
                schedule.proposer(height: peek.height, round: peek.round) == peek.proposer
            else { return }
        }
        let decoded: NodeMessage
        do {
            decoded = try NodeMessage(decoding: message.payload)
        } catch {
            network.disconnect(message.from, reason: "malformed_message")
            return
        }
        switch decoded {
        case .consensus(let consensus):
            guard isWithinWindow(consensus.height, consensus.round, height: height, round: round),
                let validators = sets.set(for: consensus.height)?.set
            else { return }
            guard let signer = validators[consensus.signer] else {
                // A member of the other set (the sets are changing) is no liar; anyone else is.
                if sets.current[consensus.signer] == nil && sets.next[consensus.signer] == nil {
                    network.disconnect(message.from, reason: "unknown_signer")
                }
                return
            }
            let bytes = consensus.signBytes(chainId: chainId)
            let key = VerifiedSignatures.messageKey(signer.publicKey, consensus.signature, bytes)
            if !verified.contains(key) {
                guard signer.publicKey.isValidSignature(consensus.signature, for: bytes) else {
                    network.disconnect(message.from, reason: "invalid_signature")
                    return
                }
                verified.insert(CollectionOfOne(key))
            }
            await inbox.pushPeer(
                .peer(message.from, decoded, bytes: message.payload.count), bytes: message.payload.count)
        case .transactions(let list):
            // Honest peers gossip only transactions they admitted: one that does not decode or
            // verify is proof the sender did not check it, so it is treated like a bad signature.
            let results = await node.mempool.submitBatch(list, gossip: false)
            if results.contains(where: {
                if case .failure(let error) = $0 { return Self.provablyBad.contains(error.code) } else { return false }
            }) {
                network.disconnect(message.from, reason: "invalid_transaction")
            }
        case .status, .blockRequest, .block:
            await inbox.pushPeer(
                .peer(message.from, decoded, bytes: message.payload.count), bytes: message.payload.count)
        }
    }

    /// Messages the instance would keep: this height within `roundsAheadMax` rounds, or the next
    /// height (buffered) within `roundsAheadMax` of round 0. Older or later ones are dropped
    /// silently: honest peers send them too when this node lags (sync catches it up).
    func isWithinWindow(_ messageHeight: Height, _ messageRound: Round, height: Height, round: Round) -> Bool {
        let ahead = UInt64(ConsensusConfiguration.defaultRoundsAheadMax)
        if messageHeight == height { return UInt64(messageRound.rawValue) <= UInt64(round.rawValue) + ahead }
        return messageHeight == height.next && UInt64(messageRound.rawValue) <= ahead
    }

    /// Admission refusals no honest gossiper can cause (others, such as an expired window or a
    /// full mempool, depend on timing and are not held against the sender).
    static let provablyBad: Set<GovChainError.Code> = [.malformedTransaction, .invalidSignature]
}
