/// Counters of one `PeerNetwork` since it was created. All counts are frames or events, never bytes.
package struct PeerNetworkStats: Sendable, Equatable {
    /// Payload frames received from authenticated peers.
    package var framesIn: UInt64 = 0
    /// Payload frames written to a link.
    package var framesOut: UInt64 = 0
    /// Outbound frames dropped: the peer's queue was full (oldest dropped) or the payload was too large.
    package var framesDropped: UInt64 = 0
    /// Inbound payloads dropped because their peer's lane was over `inboundBytesPerPeerMax`.
    package var inboundDropped: UInt64 = 0
    /// Inbound connections closed at once because `pendingHandshakesMax` were already pending.
    package var connectionsRefused: UInt64 = 0
    /// Established links closed because nothing arrived for `readIdleTimeoutMs`.
    package var idleLinksClosed: UInt64 = 0
    /// Links refused during TLS or hello: unknown or mismatching key, wrong chain, version, timeout, non-TLS bytes.
    package var handshakesRejected: UInt64 = 0
    /// Links closed because an authenticated peer sent an oversized, empty or undecodable frame.
    package var malformedFrames: UInt64 = 0
    /// Links that completed TLS and both hellos.
    package var linksEstablished: UInt64 = 0

    package init() {}
}

/// What one validator's links did, for operators (`GET /v1/peers`): who misbehaves, and how.
package struct PeerCounters: Sendable, Equatable {
    package var framesIn: UInt64 = 0
    /// Payloads dropped because this peer's inbound lane was over budget.
    package var inboundDropped: UInt64 = 0
    /// Refused messages and requests by reason (e.g. `invalid_signature`, `malformed_message`).
    package var refused: [String: UInt64] = [:]
    /// Links we closed because the peer misbehaved.
    package var disconnects: UInt64 = 0
    /// Links established with this peer.
    package var linksEstablished: UInt64 = 0
    /// While set, the peer is not linked again (milliseconds on the network's clock, for display).
    package var bannedForMs: UInt64 = 0

    package init() {}

    package var refusedTotal: UInt64 { refused.values.reduce(0, +) }
}
