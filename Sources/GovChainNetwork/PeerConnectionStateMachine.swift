import GovChainCore

/// The life of one link, independent of NIO: TLS done → hellos exchanged → payloads flow.
///
/// A pure `Sendable` struct whose `on<Event>` methods return the action for the handler to
/// perform (style.md #1 and #13; modelled on swift-nio's `ProtocolNegotiationHandlerStateMachine`).
/// Invariants: payloads are delivered only in `.established`, and only from the validator whose
/// TLS key matched its hello; once `.closed`, every event is ignored.
package struct PeerConnectionStateMachine: Sendable {
    /// Where the link is in its life.
    package enum State: Sendable, Equatable {
        /// TCP is up; TLS and the peer's hello are still to come.
        case awaitingHello
        /// Both hellos are done: the link carries payloads from `peer`.
        case established(peer: ValidatorIndex)
        /// The link is closing or closed.
        case closed
    }

    /// Why a link was closed by us; decides which statistic counts it.
    package enum CloseReason: Sendable, Equatable {
        /// The handshake (TLS or hello) failed or timed out.
        case handshakeRejected(String)
        /// An authenticated peer sent bytes that are not a valid frame.
        case malformedFrame(String)
        /// An established link delivered nothing for the read-idle timeout.
        case idle
    }

    /// What the handler must do next.
    package enum Action: Sendable, Equatable {
        case none
        /// Send our hello now (the TLS handler buffers it until the handshake completes).
        case sendHello
        /// Register the link for `peer` with the network; payloads may flow.
        case establish(peer: ValidatorIndex)
        /// Hand `payload` from `peer` to the consumer of `PeerNetwork.inbound`.
        case deliver(peer: ValidatorIndex, payload: [UInt8])
        /// Close the link and count it.
        case close(CloseReason)
        /// The established link to `peer` is gone; unregister it.
        case unregister(peer: ValidatorIndex)
    }

    package private(set) var state: State = .awaitingHello
    private let expectation: HelloExpectation
    /// The validator we dialled, or nil for an inbound link.
    private let dialled: ValidatorIndex?

    package init(expectation: HelloExpectation, dialled: ValidatorIndex?) {
        self.expectation = expectation
        self.dialled = dialled
    }

    // MARK: - Events

    package mutating func onActive() -> Action {
        state == .awaitingHello ? .sendHello : .none
    }

    /// A complete frame body arrived. `peerKey` is the key TLS authenticated (nil if none, which
    /// cannot happen behind TLS but can in a test pipeline without it).
    package mutating func onFrame(_ body: [UInt8], peerKey: PublicKey?) -> Action {
        switch state {
        case .closed:
            return .none
        case .awaitingHello:
            let frame: PeerFrame
            do { frame = try PeerFrame.decode(body) } catch {
                return close(.handshakeRejected("invalid hello: \(error)"))
            }
            guard case .hello(let hello) = frame else { return close(.handshakeRejected("payload before hello")) }
            guard let peerKey else { return close(.handshakeRejected("no authenticated TLS key")) }
            switch expectation.accept(hello, peerKey: peerKey, dialled: dialled) {
            case .failure(let refusal):
                return close(.handshakeRejected(refusal.reason))
            case .success(let peer):
                state = .established(peer: peer)
                return .establish(peer: peer)
            }
        case .established(let peer):
            switch Result(catching: { () throws(CodecError) in try PeerFrame.decode(body) }) {
            case .success(.payload(let payload)): return .deliver(peer: peer, payload: payload)
            case .success(.hello): return close(.malformedFrame("second hello"))
            case .failure(let error): return close(.malformedFrame("\(error)"))
            }
        }
    }

    /// The byte stream broke the framing rules (oversized or empty frame) or TLS failed.
    package mutating func onStreamError(_ description: String) -> Action {
        switch state {
        case .closed: return .none
        case .awaitingHello: return close(.handshakeRejected(description))
        case .established: return close(.malformedFrame(description))
        }
    }

    /// Nothing arrived for the read-idle timeout. Only established links are judged: the
    /// handshake has its own timeout.
    package mutating func onReadIdle() -> Action {
        if case .established = state { return close(.idle) }
        return .none
    }

    /// The handshake did not finish in time.
    package mutating func onHandshakeTimeout() -> Action {
        state == .awaitingHello ? close(.handshakeRejected("handshake timed out")) : .none
    }

    /// The channel closed, for whatever reason.
    /// The network removes the link only if it is still the registered one for `peer`.
    package mutating func onInactive() -> Action {
        defer {
            state = .closed
            closingPeer = nil
        }
        if case .established(let peer) = state { return .unregister(peer: peer) }
        if let closingPeer { return .unregister(peer: closingPeer) }
        return .none
    }

    private mutating func close(_ reason: CloseReason) -> Action {
        // An established link that we close must still be unregistered when the channel goes
        // inactive; `closingPeer` remembers for whom.
        if case .established(let peer) = state { closingPeer = peer }
        state = .closed
        return .close(reason)
    }

    /// The peer of an established link that `close` moved to `.closed`; `onInactive` unregisters it.
    private var closingPeer: ValidatorIndex?
}
