/// A signed request to change the ledger.
///
/// Layout (docs/PROTOCOL.md, "Transaction"):
/// `version u8 ‖ kind u8 ‖ signer 32 ‖ time u64 ‖ nonce u64 ‖ payload ‖ signature 64`, and for a
/// co-signed (four-eyes) document transaction, version 2, `‖ cosigner 32 ‖ cosignature 64`.
/// The signature covers `DomainTag.transaction.prefix(chainId) ‖ everything before the signature`
/// (the version byte among it: a first clerk who asked for a second signature cannot have it
/// stripped); the cosignature covers `DomainTag.cosignature.prefix(chainId) ‖ everything before
/// the cosignature`. The transaction id is SHA-256 of the whole encoding, signatures included
/// (Ed25519 signatures are deterministic, so one intent has one id).
///
/// No field carries free text: hashes, codes, times and keys only.
package struct Transaction: Hashable, Sendable {
    package static let version: UInt8 = 1
    /// The version of a co-signed transaction.
    package static let cosignedVersion: UInt8 = 2
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
    /// The second clerk's key and signature (four-eyes), for document transactions only.
    package var cosignature: Cosignature? { didSet { refresh() } }

    /// A second clerk's signature over a transaction (docs/PROTOCOL.md, "Co-signed transactions").
    package struct Cosignature: Hashable, Sendable {
        package var cosigner: PublicKey
        package var signature: Signature
        package init(cosigner: PublicKey, signature: Signature) {
            self.cosigner = cosigner
            self.signature = signature
        }
    }

    /// The canonical encoding and its SHA-256, kept with the value: hot paths (mempool, Merkle
    /// roots, indices) ask for them many times per transaction.
    package private(set) var encoded: [UInt8] = []
    /// SHA-256 of `encoded`.
    package private(set) var id: Hash32 = .zero

    private mutating func refresh() {
        var writer = ByteWriter(capacity: 256)
        encodeUnsigned(into: &writer)
        writer.signature(signature)
        if let cosignature {
            writer.publicKey(cosignature.cosigner)
            writer.signature(cosignature.signature)
        }
        encoded = writer.bytes
        id = Hash32.sha256(encoded)
    }

    /// The version byte: 2 when co-signed.
    package var version: UInt8 { cosignature == nil ? Self.version : Self.cosignedVersion }

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

    /// Assembles a transaction from decoded parts; the signatures are not checked here.
    package init(
        body: TransactionBody, signer: PublicKey, time: Timestamp, nonce: UInt64, signature: Signature,
        cosignature: Cosignature? = nil
    ) {
        self.body = body
        self.signer = signer
        self.time = time
        self.nonce = nonce
        self.signature = signature
        self.cosignature = cosignature
        refresh()
    }

    /// The bytes the signer signs on chain `chainId`.
    package func signBytes(chainId: ChainID) -> [UInt8] {
        var writer = DomainTag.transaction.prefix(chainId: chainId)
        encodeUnsigned(into: &writer)
        return writer.bytes
    }

    /// True when the signature is the signer's over `signBytes(chainId:)` and, when co-signed,
    /// the cosignature is the cosigner's over `Pending.cosignBytes`.
    package func hasValidSignature(chainId: ChainID) -> Bool {
        guard signer.isValidSignature(signature, for: signBytes(chainId: chainId)) else { return false }
        guard let cosignature else { return true }
        // Everything before the cosignature is already encoded: no second encoding.
        return cosignature.cosigner.isValidSignature(
            cosignature.signature,
            for: Self.cosignBytes(before: encoded.dropLast(Signature.byteCount), chainId: chainId))
    }

    /// `DomainTag.cosignature.prefix(chainId) ‖ bytes`, with `bytes` = pending ‖ cosigner.
    static func cosignBytes(before bytes: some Sequence<UInt8>, chainId: ChainID) -> [UInt8] {
        var writer = DomainTag.cosignature.prefix(chainId: chainId)
        writer.raw(bytes)
        return writer.bytes
    }

    /// The first clerk's part of a co-signed transaction (what `govchain cosign` completes).
    package var pending: Pending {
        Pending(body: body, signer: signer, time: time, nonce: nonce, signature: signature)
    }

    func encodeUnsigned(into writer: inout ByteWriter) {
        Self.encodeUnsigned(
            version: version, body: body, signer: signer, time: time, nonce: nonce, into: &writer)
    }

    static func encodeUnsigned(
        version: UInt8, body: TransactionBody, signer: PublicKey, time: Timestamp, nonce: UInt64,
        into writer: inout ByteWriter
    ) {
        writer.u8(version)
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
        let pending = try Pending(from: &reader, versions: [Self.version, Self.cosignedVersion])
        body = pending.body
        signer = pending.signer
        time = pending.time
        nonce = pending.nonce
        signature = pending.signature
        if pending.version == Self.cosignedVersion {
            let cosigner = try reader.publicKey("transaction.cosigner")
            guard cosigner != signer else {
                throw .invalidValue(field: "transaction.cosigner", reason: "must be another key than the signer")
            }
            cosignature = Cosignature(cosigner: cosigner, signature: try reader.signature("transaction.cosignature"))
        }
        try reader.finish()
        encoded = bytes
        id = Hash32.sha256(bytes)
    }
}

extension Transaction {
    /// A document transaction signed by its first clerk and waiting for a second clerk's
    /// signature (four-eyes): `version 2 ‖ kind ‖ signer ‖ time ‖ nonce ‖ payload ‖ signature`,
    /// the bytes of `govchain anchor … --out pending.tx` (docs/PROTOCOL.md, "Co-signed transactions").
    package struct Pending: Hashable, Sendable {
        package let body: TransactionBody
        package let signer: PublicKey
        package let time: Timestamp
        package let nonce: UInt64
        package let signature: Signature
        /// Always `Transaction.cosignedVersion` for a pending transaction; 1 only while decoding a
        /// complete version-1 transaction through `init(from:versions:)`.
        let version: UInt8

        init(body: TransactionBody, signer: PublicKey, time: Timestamp, nonce: UInt64, signature: Signature) {
            self.body = body
            self.signer = signer
            self.time = time
            self.nonce = nonce
            self.signature = signature
            version = Transaction.cosignedVersion
        }

        /// Signs `body` with the first clerk's key, asking for a second signature.
        package init(body: TransactionBody, time: Timestamp, nonce: UInt64, chainId: ChainID, key: SigningKey) {
            let unsigned = Pending(
                body: body, signer: key.publicKey, time: time, nonce: nonce,
                signature: Signature([UInt8](repeating: 0, count: Signature.byteCount))!)
            self.init(
                body: body, signer: key.publicKey, time: time, nonce: nonce,
                signature: key.sign(unsigned.signBytes(chainId: chainId)))
        }

        /// The bytes the first clerk signs: as `Transaction.signBytes`, with version 2.
        func signBytes(chainId: ChainID) -> [UInt8] {
            var writer = DomainTag.transaction.prefix(chainId: chainId)
            Transaction.encodeUnsigned(
                version: version, body: body, signer: signer, time: time, nonce: nonce, into: &writer)
            return writer.bytes
        }

        /// The encoding: everything of the co-signed transaction before the cosigner.
        package var encoded: [UInt8] {
            var writer = ByteWriter(capacity: 256)
            Transaction.encodeUnsigned(
                version: version, body: body, signer: signer, time: time, nonce: nonce, into: &writer)
            writer.signature(signature)
            return writer.bytes
        }

        /// The bytes a cosigner signs: `DomainTag.cosignature.prefix(chainId) ‖ encoded ‖ cosigner`.
        package func cosignBytes(cosigner: PublicKey, chainId: ChainID) -> [UInt8] {
            Transaction.cosignBytes(before: encoded + cosigner.bytes, chainId: chainId)
        }

        /// True when the first clerk's signature verifies on chain `chainId`.
        package func hasValidSignature(chainId: ChainID) -> Bool {
            signer.isValidSignature(signature, for: signBytes(chainId: chainId))
        }

        /// The complete transaction, co-signed with `key`.
        package func cosigned(chainId: ChainID, key: SigningKey) -> Transaction {
            Transaction(
                body: body, signer: signer, time: time, nonce: nonce, signature: signature,
                cosignature: Cosignature(
                    cosigner: key.publicKey, signature: key.sign(cosignBytes(cosigner: key.publicKey, chainId: chainId))
                ))
        }

        /// Decodes a pending transaction (version 2, without cosigner), rejecting anything else.
        package init(decoding bytes: [UInt8]) throws(CodecError) {
            guard bytes.count <= Transaction.encodedBytesMax else {
                throw .lengthOutOfRange(
                    field: "pending transaction", length: bytes.count, limit: Transaction.encodedBytesMax)
            }
            var reader = ByteReader(bytes)
            self = try Pending(from: &reader, versions: [Transaction.cosignedVersion])
            try reader.finish()
        }

        /// Reads `version ‖ kind ‖ signer ‖ time ‖ nonce ‖ payload ‖ signature`; only document
        /// transactions (kinds 3–5) may be version 2.
        init(from reader: inout ByteReader, versions: [UInt8]) throws(CodecError) {
            let version = try reader.u8("transaction.version")
            guard versions.contains(version) else {
                throw .unknownVersion(field: "transaction.version", version: version)
            }
            let tag = try reader.u8("transaction.kind")
            guard let kind = TransactionKind(rawValue: tag) else {
                throw .unknownTag(field: "transaction.kind", tag: tag)
            }
            guard version == Transaction.version || kind.canBeCosigned else {
                throw .invalidValue(
                    field: "transaction.version", reason: "only document transactions (kinds 3 to 5) can be co-signed")
            }
            self.version = version
            signer = try reader.publicKey("transaction.signer")
            time = try reader.timestamp("transaction.time")
            nonce = try reader.u64("transaction.nonce")
            body = try TransactionBody.decodePayload(kind: kind, from: &reader)
            signature = try reader.signature("transaction.signature")
        }
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
    case setFourEyes = 9

    /// Document transactions, which a second clerk may co-sign (four-eyes).
    package var canBeCosigned: Bool { self == .anchorDocument || self == .revokeDocument || self == .supersedeDocument }
}
