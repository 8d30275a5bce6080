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

/// What a received hello must match: the stateless checks at the edge (style.md #7).
package struct HelloExpectation: Sendable {
    package var chainId: ChainID
    package var genesisHash: Hash32
    package var validators: ValidatorSet
    package var selfIndex: ValidatorIndex

    package init(chainId: ChainID, genesisHash: Hash32, validators: ValidatorSet, selfIndex: ValidatorIndex) {
        self.chainId = chainId
        self.genesisHash = genesisHash
        self.validators = validators
        self.selfIndex = selfIndex
    }

    /// Nil when `hello` is acceptable from a peer that authenticated in TLS with `peerKey`;
    /// otherwise the reason to close the link.
    ///
    /// - Parameter dialled: the index we dialled, or nil for an inbound link.
    package func rejection(of hello: Hello, peerKey: PublicKey, dialled: ValidatorIndex?) -> String? {
        if hello.version != Hello.currentVersion {
            return "protocol version \(hello.version), expected \(Hello.currentVersion)"
        }
        if hello.chainId != chainId { return "chain id \(hello.chainId), expected \(chainId)" }
        if hello.genesisHash != genesisHash { return "genesis hash \(hello.genesisHash), expected \(genesisHash)" }
        guard let claimed = validators[hello.sender] else {
            return "sender index \(hello.sender) is not in the validator set"
        }
        if hello.sender == selfIndex { return "sender index \(hello.sender) is our own" }
        if claimed.publicKey != peerKey { return "sender index \(hello.sender) does not match the peer's TLS key" }
        if let dialled, dialled != hello.sender { return "dialled validator \(dialled) but peer says \(hello.sender)" }
        // Either side may dial (a one-sided address configuration still links); when both
        // links come up, `PeerNetwork.linkEstablished` keeps the one the lower index dialled.
        return nil
    }
}
