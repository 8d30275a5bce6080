import GovChainCore
import Synchronization

/// Authenticated inbound payloads waiting for their consumer: a `FairQueue` behind a lock, with
/// one waiting consumer at a time. Producers (NIO event loops) never block: an over-budget
/// payload is refused and the network counts it against its peer. An `AsyncSequence`, so the
/// consumer writes `for await message in network.inbound`; it ends after `finish()`.
public final class PeerInbox: AsyncSequence, Sendable {
    public typealias Element = PeerMessage

    private struct State {
        var queue: FairQueue<[UInt8]>
        var waiters: [(id: UInt64, continuation: CheckedContinuation<PeerMessage?, Never>)] = []
        var nextWaiter: UInt64 = 0
        var finished = false
    }

    private let state: Mutex<State>

    public init(bytesPerPeerMax: Int) {
        state = Mutex(State(queue: FairQueue(bytesPerPeerMax: bytesPerPeerMax)))
    }

    /// Queues `payload` from `peer`, or hands it to a waiting consumer; false when refused.
    @discardableResult
    public func push(_ payload: [UInt8], from peer: ValidatorIndex) -> Bool {
        let waiter: CheckedContinuation<PeerMessage?, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if !state.waiters.isEmpty, state.queue.isEmpty { return state.waiters.removeFirst().continuation }
            return nil
        }
        if let waiter {
            waiter.resume(returning: PeerMessage(from: peer, payload: payload))
            return true
        }
        return state.withLock { state in
            !state.finished && state.queue.push(payload, size: payload.count, from: peer)
        }
    }

    /// The next payload in fair order; nil once finished and drained, or when the caller is cancelled.
    public func next() async -> PeerMessage? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: PeerMessage?? = state.withLock { state in
                    if let (peer, payload) = state.queue.pop() { return .some(PeerMessage(from: peer, payload: payload)) }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiters.append((id, continuation))
                    return nil
                }
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
    public func bytes(of peer: ValidatorIndex) -> Int { state.withLock { $0.queue.bytes(of: peer) } }

    /// Drops what `peer` sent and nobody took yet.
    public func removeAll(from peer: ValidatorIndex) { state.withLock { $0.queue.removeAll(from: peer) } }

    /// Ends the sequence for every consumer once the queue is drained.
    public func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: PeerInbox
        public mutating func next() async -> PeerMessage? { await inbox.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: self) }
}
