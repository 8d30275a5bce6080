/// Counters of one `PeerNetwork` since it was created. All counts are frames or events, never bytes.
public struct PeerNetworkStats: Sendable, Equatable {
    /// Payload frames received from authenticated peers.
    public var framesIn: UInt64 = 0
    /// Payload frames written to a link.
    public var framesOut: UInt64 = 0
    /// Outbound frames dropped: the peer's queue was full (oldest dropped) or the payload was too large.
    public var framesDropped: UInt64 = 0
    /// Inbound payloads dropped because the consumer of `inbound` fell `inboundQueueFramesMax` behind.
    public var inboundDropped: UInt64 = 0
    /// Links refused during TLS or hello: unknown or mismatching key, wrong chain, version, timeout, non-TLS bytes.
    public var handshakesRejected: UInt64 = 0
    /// Links closed because an authenticated peer sent an oversized, empty or undecodable frame.
    public var malformedFrames: UInt64 = 0
    /// Links that completed TLS and both hellos.
    public var linksEstablished: UInt64 = 0

    public init() {}
}
