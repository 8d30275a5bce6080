import Foundation
import GovChainConsensus
import GovChainCore
import Synchronization

/// Everything the consensus loop reacts to, in one type: the loop's single input stream.
enum DriverEvent: Sendable {
    /// A message from a peer, already decoded and (for consensus messages) signature-checked by
    /// `InboundVerifier`; `bytes` is its size on the wire.
    case peer(ValidatorIndex, NodeMessage, bytes: Int)
    case timeout(Timeout)
    case tick
    case transactionsWaiting
    case proposalBuilt(Height, Result<Block, GovChainError>)
    case validity(Hash32, valid: Bool)
    /// A decided block was stored (or the store already had it); `waiting`: the mempool is not empty.
    case stored(Block, Commit, Result<Void, GovChainError>, waiting: Bool)
    case syncedApplied(Height, ok: Bool)
    /// This node could not write its ledger (a full or failing disk): not the peer's fault.
    case storageFailed(GovChainError)
    case served(ValidatorIndex)
}

/// The bounded input stream of the consensus loop: two lanes, one consumer.
///
/// The control lane (timers, results of work the loop started) is never refused: it holds at
/// most one entry per timer and per job in flight. The peer lane holds at most `peerBytesMax`
/// bytes; a producer that would exceed it waits (`pushPeer` suspends), which backs pressure up
/// to the network's fair per-peer inbox. The control lane is served first.
final class DriverInbox: Sendable {
    private struct State {
        var control: [DriverEvent] = []
        var controlHead = 0
        var peer: [(DriverEvent, Int)] = []
        var peerHead = 0
        var peerBytes = 0
        var consumer: CheckedContinuation<DriverEvent?, Never>?
        var producers: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextProducer: UInt64 = 0
        var finished = false
    }

    let peerBytesMax: Int
    private let state = Mutex(State())

    init(peerBytesMax: Int = 32 << 20) { self.peerBytesMax = peerBytesMax }

    func pushControl(_ event: DriverEvent) {
        let consumer: CheckedContinuation<DriverEvent?, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.control.append(event)
            return nil
        }
        consumer?.resume(returning: event)
    }

    /// Queues a peer event, waiting while the lane is over its byte budget. Returns false when the
    /// inbox finished or the caller was cancelled meanwhile (the event is dropped).
    @discardableResult
    func pushPeer(_ event: DriverEvent, bytes: Int) async -> Bool {
        while true {
            enum Step { case delivered(CheckedContinuation<DriverEvent?, Never>?), wait, closed }
            let step: Step = state.withLock { state in
                if state.finished { return .closed }
                if let consumer = state.consumer {
                    state.consumer = nil
                    return .delivered(consumer)
                }
                guard state.peerBytes == 0 || state.peerBytes + bytes <= peerBytesMax else { return .wait }
                state.peer.append((event, bytes))
                state.peerBytes += bytes
                return .delivered(nil)
            }
            switch step {
            case .closed: return false
            case .delivered(let consumer):
                consumer?.resume(returning: event)
                return true
            case .wait:
                if Task.isCancelled { return false }
                let id = state.withLock { state in
                    state.nextProducer += 1
                    return state.nextProducer
                }
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow = state.withLock { state in
                            if state.finished || state.peerBytes + bytes <= peerBytesMax || Task.isCancelled {
                                return true
                            }
                            state.producers[id] = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    state.withLock { $0.producers.removeValue(forKey: id) }?.resume()
                }
            }
        }
    }

    /// The next event, control lane first; nil once finished or when the caller is cancelled
    /// (cancellation finishes the inbox: a `ServiceGroup` cancels the loop when a sibling fails).
    func next() async -> DriverEvent? {
        await withTaskCancellationHandler {
            await nextOrWait()
        } onCancel: {
            finish()
        }
    }

    private func nextOrWait() async -> DriverEvent? {
        await withCheckedContinuation { continuation in
            let (ready, wake): (DriverEvent??, [CheckedContinuation<Void, Never>]) = state.withLock { state in
                if state.finished { return (.some(nil), []) }
                if state.controlHead < state.control.count {
                    let event = state.control[state.controlHead]
                    state.controlHead += 1
                    if state.controlHead == state.control.count {
                        state.control.removeAll(keepingCapacity: true)
                        state.controlHead = 0
                    }
                    return (.some(event), [])
                }
                if state.peerHead < state.peer.count {
                    let (event, bytes) = state.peer[state.peerHead]
                    state.peerHead += 1
                    state.peerBytes -= bytes
                    if state.peerHead == state.peer.count {
                        state.peer.removeAll(keepingCapacity: true)
                        state.peerHead = 0
                    } else if state.peerHead >= 256, state.peerHead * 2 >= state.peer.count {
                        state.peer.removeFirst(state.peerHead)
                        state.peerHead = 0
                    }
                    let waiting = Array(state.producers.values)
                    state.producers = [:]
                    return (.some(event), waiting)
                }
                state.consumer = continuation
                return (nil, [])
            }
            for producer in wake { producer.resume() }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Peer events waiting.
    var peerQueued: Int { state.withLock { $0.peer.count - $0.peerHead } }

    /// Ends the stream: the consumer gets nil, waiting producers return false.
    func finish() {
        let (consumer, producers) = state.withLock { state in
            state.finished = true
            defer {
                state.consumer = nil
                state.producers = [:]
            }
            return (state.consumer, Array(state.producers.values))
        }
        consumer?.resume(returning: nil)
        for producer in producers { producer.resume() }
    }
}
