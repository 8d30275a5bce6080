import GovChainCore

/// An authenticated payload from another validator, as it arrived.
public struct PeerMessage: Sendable, Equatable {
    /// The sender, authenticated by its TLS key and hello.
    public var from: ValidatorIndex
    public var payload: [UInt8]

    public init(from: ValidatorIndex, payload: [UInt8]) {
        self.from = from
        self.payload = payload
    }
}
