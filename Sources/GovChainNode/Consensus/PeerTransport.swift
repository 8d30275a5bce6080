import GovChainCore
import GovChainNetwork

/// What the consensus shell needs from the peer network. `PeerNetwork` is the real one; tests
/// drive the shell through a scripted transport (a peer whose every message the test writes).
protocol PeerTransport: Sendable {
    /// Authenticated inbound payloads, fair per peer.
    var inbound: PeerInbox { get }
    func send(_ payload: [UInt8], to peer: ValidatorIndex)
    func broadcast(_ payload: [UInt8])
    /// Outbound bytes waiting for `peer`.
    func queuedBytes(for peer: ValidatorIndex) -> Int
    /// Counts a refusal against `peer`; the link stays.
    func countRefused(_ peer: ValidatorIndex, reason: String)
    /// `peer` sent provably invalid data: count, close the link, ban with back-off.
    func disconnect(_ peer: ValidatorIndex, reason: String)
}

extension PeerNetwork: PeerTransport {}
