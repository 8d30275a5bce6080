/// A signed request to change the ledger.
///
/// Layout (docs/PROTOCOL.md, "Transaction"):
/// `version u8 ‖ kind u8 ‖ signer 32 ‖ time u64 ‖ nonce u64 ‖ payload ‖ signature 64`.
/// The signature covers `DomainTag.transaction.prefix(chainId) ‖ everything before the signature`.
/// The transaction id is SHA-256 of the whole encoding, signature included (Ed25519 signatures
/// are deterministic, so one intent has one id).
///
/// No field carries free text: hashes, codes, times and keys only.
package struct Transaction: Hashable, Sendable {
    package static let version: UInt8 = 1
    /// The largest encoded transaction a node accepts.
    package static let encodedBytesMax = 1024

    package var body: TransactionBody { didSet { refresh() } }
    /// The key that signed: the authority's for clerk management, the clerk's for documents.
    package var signer: PublicKey { didSet { refresh() } }
    /// When the signer made the transaction (claimed by the signer; the block time is authoritative).
    package var time: Timestamp { didSet { refresh() } }
    /// Lets a signer make two otherwise identical transactions distinct.
    package var nonce: UInt64 { didSet { refresh() } }
    package var signature: Signature { didSet { refresh() } }

    /// The canonical encoding and its SHA-256, kept with the value: hot paths (mempool, Merkle
    /// roots, indices) ask for them many times per transaction.
    package private(set) var encoded: [UInt8] = []
    /// SHA-256 of `encoded`.
    package private(set) var id: Hash32 = .zero

    private mutating func refresh() {
        var writer = ByteWriter(capacity: 256)
        encodeUnsigned(into: &writer)
        writer.signature(signature)
        encoded = writer.bytes
        id = Hash32.sha256(encoded)
    }

    package static func == (lhs: Transaction, rhs: Transaction) -> Bool { lhs.encoded == rhs.encoded }
    package func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// Builds and signs a transaction for `chainId`.
    package init(body: TransactionBody, time: Timestamp, nonce: UInt64, chainId: ChainID, key: SigningKey) {
        self.body = body
        signer = key.publicKey
        self.time = time
        self.nonce = nonce
        signature = Signature([UInt8](repeating: 0, count: Signature.byteCount))!
        signature = key.sign(signBytes(chainId: chainId))
        refresh()
    }

    /// Assembles a transaction from decoded parts; the signature is not checked here.
    package init(body: TransactionBody, signer: PublicKey, time: Timestamp, nonce: UInt64, signature: Signature) {
        self.body = body
        self.signer = signer
        self.time = time
        self.nonce = nonce
        self.signature = signature
        refresh()
    }

    /// The bytes the signer signs on chain `chainId`.
    package func signBytes(chainId: ChainID) -> [UInt8] {
        var writer = DomainTag.transaction.prefix(chainId: chainId)
        encodeUnsigned(into: &writer)
        return writer.bytes
    }

    /// True when the signature is the signer's over `signBytes(chainId:)`.
    package func hasValidSignature(chainId: ChainID) -> Bool {
        signer.isValidSignature(signature, for: signBytes(chainId: chainId))
    }

    func encodeUnsigned(into writer: inout ByteWriter) {
        writer.u8(Self.version)
        writer.u8(body.kind.rawValue)
        writer.publicKey(signer)
        writer.timestamp(time)
        writer.u64(nonce)
        body.encodePayload(into: &writer)
    }

    /// Decodes one transaction, rejecting anything non-canonical (stage one of validation:
    /// stateless; the signature is checked separately because it needs the chain id).
    package init(decoding bytes: [UInt8]) throws(CodecError) {
        guard bytes.count <= Self.encodedBytesMax else {
            throw .lengthOutOfRange(field: "transaction", length: bytes.count, limit: Self.encodedBytesMax)
        }
        var reader = ByteReader(bytes)
        let version = try reader.u8("transaction.version")
        guard version == Self.version else { throw .unknownVersion(field: "transaction.version", version: version) }
        let tag = try reader.u8("transaction.kind")
        guard let kind = TransactionKind(rawValue: tag) else { throw .unknownTag(field: "transaction.kind", tag: tag) }
        signer = try reader.publicKey("transaction.signer")
        time = try reader.timestamp("transaction.time")
        nonce = try reader.u64("transaction.nonce")
        body = try TransactionBody.decodePayload(kind: kind, from: &reader)
        signature = try reader.signature("transaction.signature")
        try reader.finish()
        encoded = bytes
        id = Hash32.sha256(bytes)
    }
}

/// Wire tags of transaction kinds. Never reuse a number.
package enum TransactionKind: UInt8, Sendable, CaseIterable {
    case registerClerk = 1
    case revokeClerk = 2
    case anchorDocument = 3
    case revokeDocument = 4
    case supersedeDocument = 5
    case proposeGovernance = 6
    case voteGovernance = 7
    case withdrawGovernance = 8
}
