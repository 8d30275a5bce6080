/// Counters of one `PeerNetwork` since it was created. All counts are frames or events, never bytes.
public struct PeerNetworkStats: Sendable, Equatable {
    /// Payload frames received from authenticated peers.
    public var framesIn: UInt64 = 0
    /// Payload frames written to a link.
    public var framesOut: UInt64 = 0
    /// Outbound frames dropped: the peer's queue was full (oldest dropped) or the payload was too large.
    public var framesDropped: UInt64 = 0
    /// Inbound payloads dropped because their peer's lane was over `inboundBytesPerPeerMax`.
    public var inboundDropped: UInt64 = 0
    /// Inbound connections closed at once because `pendingHandshakesMax` were already pending.
    public var connectionsRefused: UInt64 = 0
    /// Established links closed because nothing arrived for `readIdleTimeoutMs`.
    public var idleLinksClosed: UInt64 = 0
    /// Links refused during TLS or hello: unknown or mismatching key, wrong chain, version, timeout, non-TLS bytes.
    public var handshakesRejected: UInt64 = 0
    /// Links closed because an authenticated peer sent an oversized, empty or undecodable frame.
    public var malformedFrames: UInt64 = 0
    /// Links that completed TLS and both hellos.
    public var linksEstablished: UInt64 = 0

    public init() {}
}

/// What one validator's links did, for operators (`GET /v1/peers`): who misbehaves, and how.
public struct PeerCounters: Sendable, Equatable {
    public var framesIn: UInt64 = 0
    /// Payloads dropped because this peer's inbound lane was over budget.
    public var inboundDropped: UInt64 = 0
    /// Refused messages and requests by reason (e.g. `invalid_signature`, `malformed_message`).
    public var refused: [String: UInt64] = [:]
    /// Links we closed because the peer misbehaved.
    public var disconnects: UInt64 = 0
    /// Links established with this peer.
    public var linksEstablished: UInt64 = 0
    /// While set, the peer is not linked again (milliseconds on the network's clock, for display).
    public var bannedForMs: UInt64 = 0

    public init() {}

    public var refusedTotal: UInt64 { refused.values.reduce(0, +) }
}
