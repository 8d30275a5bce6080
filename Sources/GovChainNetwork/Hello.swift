import GovChainCore

/// The first frame each side sends after the TLS handshake.
///
/// Wire: `version u16 ‖ chainId (u8 length ‖ UTF-8) ‖ genesisHash 32 ‖ sender u16`, after the
/// kind byte `0x01`. TLS has already proven which genesis key the peer holds; the hello adds
/// what TLS cannot know: that both sides speak the same protocol version about the same chain
/// and genesis, and which validator index the peer claims (checked against its TLS key).
package struct Hello: Sendable, Equatable {
    /// The transport protocol version this build speaks.
    package static let currentVersion: UInt16 = 1

    package var version: UInt16
    package var chainId: ChainID
    package var genesisHash: Hash32
    package var sender: ValidatorIndex

    package init(version: UInt16 = Hello.currentVersion, chainId: ChainID, genesisHash: Hash32, sender: ValidatorIndex)
    {
        self.version = version
        self.chainId = chainId
        self.genesisHash = genesisHash
        self.sender = sender
    }

    func write(to writer: inout ByteWriter) {
        writer.u16(version)
        writer.chainID(chainId)
        writer.hash(genesisHash)
        writer.validatorIndex(sender)
    }

    init(from reader: inout ByteReader) throws(CodecError) {
        // The version comes first so that a future version can change everything after it.
        version = try reader.u16("hello.version")
        guard version == Self.currentVersion else {
            throw .invalidValue(field: "hello.version", reason: "version \(version), expected \(Self.currentVersion)")
        }
        chainId = try reader.chainID("hello.chainId")
        genesisHash = try reader.hash("hello.genesisHash")
        sender = try reader.validatorIndex("hello.sender")
    }
}

/// The validators a node links with (docs/GOVERNANCE.md): the members of the sets signing its
/// next two heights, by member index, with their keys and where to dial them. Governance changes
/// it between heights (`PeerNetwork.updateMembers`).
package struct PeerMembers: Sendable, Equatable {
    package var keys: [ValidatorIndex: PublicKey]
    package var addresses: [ValidatorIndex: String]
    /// Our own member index; nil while this node's key is in neither set (a validator that was
    /// just approved and still catches up, or one that was removed).
    package var selfIndex: ValidatorIndex?

    package init(keys: [ValidatorIndex: PublicKey], addresses: [ValidatorIndex: String], selfIndex: ValidatorIndex?) {
        self.keys = keys
        self.addresses = addresses
        self.selfIndex = selfIndex
    }

    package init(validators: ValidatorSet, addresses: [ValidatorIndex: String], selfIndex: ValidatorIndex?) {
        self.init(
            keys: Dictionary(uniqueKeysWithValues: validators.members.map { ($0.index, $0.validator.publicKey) }),
            addresses: addresses, selfIndex: selfIndex)
    }

    package func index(of key: PublicKey) -> ValidatorIndex? { keys.first { $0.value == key }?.key }
}

/// What a received hello must match: the stateless checks at the edge (style.md #7).
package struct HelloExpectation: Sendable {
    /// The `sender` of a node that is not (yet) a member itself: its peers know it by its key.
    package static let unknownSender = ValidatorIndex(UInt16.max)

    package var chainId: ChainID
    package var genesisHash: Hash32
    package var members: PeerMembers

    package init(chainId: ChainID, genesisHash: Hash32, members: PeerMembers) {
        self.chainId = chainId
        self.genesisHash = genesisHash
        self.members = members
    }

    package init(chainId: ChainID, genesisHash: Hash32, validators: ValidatorSet, selfIndex: ValidatorIndex) {
        self.init(
            chainId: chainId, genesisHash: genesisHash,
            members: PeerMembers(validators: validators, addresses: [:], selfIndex: selfIndex))
    }

    /// The peer's member index when `hello` is acceptable from a peer that authenticated in TLS
    /// with `peerKey`; otherwise the reason to close the link. The index comes from the key; the
    /// hello's `sender` must name it, or be `unknownSender` (a node that does not know its own
    /// index yet).
    ///
    /// - Parameter dialled: the index we dialled, or nil for an inbound link.
    package func accept(_ hello: Hello, peerKey: PublicKey, dialled: ValidatorIndex?) -> Result<ValidatorIndex, Refusal>
    {
        if let reason = rejection(of: hello, peerKey: peerKey, dialled: dialled) { return .failure(Refusal(reason)) }
        return .success(members.index(of: peerKey)!)
    }

    package struct Refusal: Error, Equatable {
        package var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Nil when `hello` is acceptable (see `accept`); otherwise the reason to close the link.
    package func rejection(of hello: Hello, peerKey: PublicKey, dialled: ValidatorIndex?) -> String? {
        if hello.version != Hello.currentVersion {
            return "protocol version \(hello.version), expected \(Hello.currentVersion)"
        }
        if hello.chainId != chainId { return "chain id \(hello.chainId), expected \(chainId)" }
        if hello.genesisHash != genesisHash { return "genesis hash \(hello.genesisHash), expected \(genesisHash)" }
        guard let index = members.index(of: peerKey) else {
            return "the peer's TLS key is not a key of the validator sets in force"
        }
        if index == members.selfIndex { return "sender index \(index) is our own" }
        if hello.sender != index, hello.sender != Self.unknownSender {
            if members.keys[hello.sender] == nil { return "sender index \(hello.sender) is not in the validator set" }
            return "sender index \(hello.sender) does not match the peer's TLS key"
        }
        if let dialled, dialled != index { return "dialled validator \(dialled) but peer says \(index)" }
        // Either side may dial (a one-sided address configuration still links); when both
        // links come up, `PeerNetwork.linkEstablished` keeps the one the lower index dialled.
        return nil
    }
}
