import GovChainCore

/// Everything `PeerNetwork` needs: who we are, whom to talk to, and the limits.
///
/// Limits carry their unit in the name (style.md #9). `init` fills `peerAddresses` from the
/// genesis (`validators[i].peerAddress`); callers may override entries afterwards.
package struct PeerNetworkConfiguration: Sendable {
    package var chainId: ChainID
    package var genesisHash: Hash32
    /// The members to link with at start (the sets of the next two heights; `updateMembers` later).
    package var validators: ValidatorSet
    /// Our member index; nil when this node's key is in no set yet (it links and syncs, and
    /// signs once governance admitted it).
    package var selfIndex: ValidatorIndex?
    /// This validator's key; its public key must equal `validators[selfIndex].publicKey`.
    package var key: SigningKey
    package var listenHost: String
    package var listenPort: Int
    /// Whom to link with at start when it is more than `validators` (the members of the sets of
    /// the next two heights, while governance changes the set); nil: `validators`.
    package var members: PeerMembers?
    /// `host:port` to dial per validator; defaults to the genesis `peerAddress`.
    package var peerAddresses: [ValidatorIndex: String]
    /// Largest frame body (kind byte + payload) accepted or sent, in bytes.
    package var frameBytesMax: Int = 8 << 20
    /// Outbound frames queued per peer; beyond it the oldest is dropped and counted.
    package var peerQueueFramesMax: Int = 4096
    /// Outbound bytes queued per peer; beyond it the oldest frames are dropped and counted.
    package var peerQueueBytesMax: Int = 64 << 20
    /// Inbound bytes buffered per peer for the consumer of `inbound`; beyond it that peer's new
    /// payloads are dropped and counted against it (other peers are not affected).
    package var inboundBytesPerPeerMax: Int = 16 << 20
    /// Connections that have not finished TLS and hellos yet; more are closed at once. Each costs
    /// a descriptor and a TLS handshake, and needs no key to open.
    package var pendingHandshakesMax: Int = 16
    /// An established link that delivers nothing for this long is closed (the node sends a status
    /// every second, so a silent link is a dead one); 0 disables the check.
    package var readIdleTimeoutMs: UInt64 = 15_000
    /// How long the higher index of a pair waits before dialling the lower one (which dials
    /// first), so both sides rarely build a link at once.
    package var higherIndexDialDelayMs: UInt64 = 1_500
    /// A peer that sent provably invalid data is disconnected and not linked again for this long,
    /// doubling per offence up to `misbehaviourBanMsMax`.
    package var misbehaviourBanBaseMs: UInt64 = 1_000
    package var misbehaviourBanMsMax: UInt64 = 300_000
    /// First reconnect delay; doubles per failed attempt up to `reconnectDelayMsMax`.
    package var reconnectBaseDelayMs: UInt64 = 100
    package var reconnectDelayMsMax: UInt64 = 5_000
    /// Seed for the reconnect jitter; nil takes one from the system's random source.
    package var reconnectJitterSeed: UInt64?
    /// Time for TCP connect, TLS and both hellos together, in milliseconds; then the link is dropped.
    package var handshakeTimeoutMs: UInt64 = 5_000
    /// Validity of the self-signed certificate made at start, in days. Peers do not check dates:
    /// trust comes from the genesis key alone.
    package var certificateValidityDays: Int = 3650

    package init(
        chainId: ChainID,
        genesisHash: Hash32,
        validators: ValidatorSet,
        selfIndex: ValidatorIndex?,
        key: SigningKey,
        listenHost: String,
        listenPort: Int,
        peerAddresses: [ValidatorIndex: String]? = nil,
        frameBytesMax: Int = 8 << 20,
        peerQueueFramesMax: Int = 4096,
        reconnectBaseDelayMs: UInt64 = 100,
        reconnectDelayMsMax: UInt64 = 5_000
    ) {
        self.chainId = chainId
        self.genesisHash = genesisHash
        self.validators = validators
        self.selfIndex = selfIndex
        self.key = key
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.peerAddresses =
            peerAddresses
            ?? Dictionary(
                uniqueKeysWithValues: validators.members.map { ($0.index, $0.validator.peerAddress) })
        self.frameBytesMax = frameBytesMax
        self.peerQueueFramesMax = peerQueueFramesMax
        self.reconnectBaseDelayMs = reconnectBaseDelayMs
        self.reconnectDelayMsMax = reconnectDelayMsMax
    }

    /// Throws `invalid_network_configuration` when the configuration cannot work.
    func validate() throws(GovChainError) {
        func fail(_ message: String) -> GovChainError {
            GovChainError(code: .invalidNetworkConfiguration, message: message)
        }
        if let selfIndex {
            guard let me = validators[selfIndex] else {
                throw fail("selfIndex \(selfIndex) is not in the validator set.")
            }
            guard me.publicKey == key.publicKey else {
                throw fail("The node key \(key.publicKey) is not the key of validator \(selfIndex) (\(me.publicKey)).")
            }
        } else if validators.index(of: key.publicKey) != nil {
            throw fail("The node key is in the validator set; name its index as selfIndex.")
        }
        guard frameBytesMax >= 64, frameBytesMax <= Int(UInt32.max) else {
            throw fail("frameBytesMax must be 64 ... 2^32-1.")
        }
        guard peerQueueFramesMax >= 1, peerQueueBytesMax >= frameBytesMax, inboundBytesPerPeerMax >= frameBytesMax,
            pendingHandshakesMax >= 1
        else {
            throw fail("Queue limits must be at least 1, and byte budgets at least frameBytesMax.")
        }
        guard misbehaviourBanBaseMs >= 1, misbehaviourBanMsMax >= misbehaviourBanBaseMs else {
            throw fail("Ban durations need 1 ≤ misbehaviourBanBaseMs ≤ misbehaviourBanMsMax.")
        }
        guard reconnectBaseDelayMs >= 1, reconnectDelayMsMax >= reconnectBaseDelayMs else {
            throw fail("Reconnect delays need 1 ≤ reconnectBaseDelayMs ≤ reconnectDelayMsMax.")
        }
        guard (0...65_535).contains(listenPort) else { throw fail("listenPort \(listenPort) is not a TCP port.") }
        // We dial every higher index (see PeerNetwork), so each needs a usable address.
        for index in validators.indices where selfIndex.map({ index > $0 }) ?? true {
            guard let address = peerAddresses[index] else { throw fail("No peer address for validator \(index).") }
            guard PeerAddress(address) != nil else {
                throw fail("Peer address \"\(address)\" of validator \(index) is not host:port.")
            }
        }
    }
}

/// A parsed `host:port` (`[v6]:port` also accepted).
struct PeerAddress: Sendable, Equatable {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            return nil
        }
        self.host = host
        self.port = port
    }
}
