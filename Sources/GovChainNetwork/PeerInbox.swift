import GovChainCore
import Synchronization

/// Authenticated inbound payloads waiting for their consumer: a `FairQueue` behind a lock, with
/// one waiting consumer at a time. Producers (NIO event loops) never block: an over-budget
/// payload is refused and the network counts it against its peer. An `AsyncSequence`, so the
/// consumer writes `for await message in network.inbound`; it ends after `finish()`.
package final class PeerInbox: AsyncSequence, Sendable {
    package typealias Element = PeerMessage

    private struct State {
        var queue: FairQueue<[UInt8]>
        var waiters: [(id: UInt64, continuation: CheckedContinuation<PeerMessage?, Never>)] = []
        var nextWaiter: UInt64 = 0
        var finished = false
        /// Called once when a paused peer's lane drained (see `push(_:from:resume:)`).
        var resumers: [ValidatorIndex: @Sendable () -> Void] = [:]
    }

    /// What `push` did.
    package enum PushResult: Sendable, Equatable {
        case accepted
        /// Accepted, and the lane is past half its budget: the producer should stop reading
        /// from this peer until its `resume` is called (back-pressure instead of dropping).
        case acceptedPause
        /// Over budget: dropped.
        case refused
    }

    private let state: Mutex<State>
    /// What one frame costs against a lane's budget at the least.
    package static let frameCostBytesMin = 1_024

    package init(bytesPerPeerMax: Int) {
        state = Mutex(State(queue: FairQueue(bytesPerPeerMax: bytesPerPeerMax)))
    }

    /// Queues `payload` from `peer`, or hands it to a waiting consumer; false when refused.
    @discardableResult
    package func push(_ payload: [UInt8], from peer: ValidatorIndex) -> Bool {
        push(payload, from: peer, resume: nil) != .refused
    }

    /// Queues `payload`; when the lane passes half its budget, answers `.acceptedPause` and keeps
    /// `resume`, to be called once the lane has drained below a quarter of the budget.
    package func push(_ payload: [UInt8], from peer: ValidatorIndex, resume: (@Sendable () -> Void)?) -> PushResult {
        // Tiny frames are charged a minimum, so a flood of them is bounded in count too.
        let size = Swift.max(payload.count, Self.frameCostBytesMin)
        // One critical section: a consumer that finds the queue empty registers under this same
        // lock, so a payload is either handed to a waiting consumer or queued where the next
        // consumer will find it, never queued behind a consumer that went to sleep.
        enum Outcome { case handOff(CheckedContinuation<PeerMessage?, Never>), queued(PushResult) }
        let outcome: Outcome = state.withLock { state in
            guard !state.finished else { return .queued(.refused) }
            if !state.waiters.isEmpty, state.queue.isEmpty { return .handOff(state.waiters.removeFirst().continuation) }
            guard state.queue.push(payload, size: size, from: peer) else { return .queued(.refused) }
            guard let resume, state.queue.bytes(of: peer) >= state.queue.bytesPerPeerMax / 2 else {
                return .queued(.accepted)
            }
            state.resumers[peer] = resume
            return .queued(.acceptedPause)
        }
        switch outcome {
        case .handOff(let waiter):
            waiter.resume(returning: PeerMessage(from: peer, payload: payload))
            return .accepted
        case .queued(let result):
            return result
        }
    }

    /// The next payload in fair order; nil once finished and drained, or when the caller is cancelled.
    package func next() async -> PeerMessage? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                var resume: (@Sendable () -> Void)?
                let ready: PeerMessage?? = state.withLock { state in
                    if let (peer, payload) = state.queue.pop() {
                        if state.resumers[peer] != nil, state.queue.bytes(of: peer) < state.queue.bytesPerPeerMax / 4 {
                            resume = state.resumers.removeValue(forKey: peer)
                        }
                        return .some(PeerMessage(from: peer, payload: payload))
                    }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiters.append((id, continuation))
                    return nil
                }
                resume?()
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<PeerMessage?, Never>? in
                guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: position).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Bytes waiting from `peer`.
    package func bytes(of peer: ValidatorIndex) -> Int { state.withLock { $0.queue.bytes(of: peer) } }

    /// Drops what `peer` sent and nobody took yet (and resumes reading from it, if paused).
    package func removeAll(from peer: ValidatorIndex) {
        let resume = state.withLock { state in
            state.queue.removeAll(from: peer)
            return state.resumers.removeValue(forKey: peer)
        }
        resume?()
    }

    /// Ends the sequence for every consumer once the queue is drained.
    package func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    package struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: PeerInbox
        package mutating func next() async -> PeerMessage? { await inbox.next() }
    }

    package func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: self) }
}
