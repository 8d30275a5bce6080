import GovChainCore

/// An authenticated payload from another validator, as it arrived.
package struct PeerMessage: Sendable, Equatable {
    /// The sender, authenticated by its TLS key and hello.
    package var from: ValidatorIndex
    package var payload: [UInt8]

    package init(from: ValidatorIndex, payload: [UInt8]) {
        self.from = from
        self.payload = payload
    }
}
