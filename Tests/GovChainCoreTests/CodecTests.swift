import Testing

@testable import GovChainCore

@Suite struct CodecTests {
    static let bodies: [TransactionBody] = [
        .registerClerk(
            .init(
                authority: Code("aachen")!, clerk: Fixtures.key(7).publicKey,
                documentTypes: [Fixtures.permit, Fixtures.birth])),
        .revokeClerk(.init(authority: Code("aachen")!, clerk: Fixtures.key(7).publicKey)),
        .anchorDocument(.init(document: Fixtures.hash("a"), documentType: Fixtures.birth, authority: Code("aachen")!)),
        .anchorDocument(
            .init(
                document: Fixtures.hash("b"), documentType: Fixtures.birth, authority: Code("aachen")!,
                reference: Fixtures.hash("case 4711"), validFrom: 1000, validUntil: 2000)),
        .revokeDocument(.init(document: Fixtures.hash("a"), reason: .annulment, effective: 5)),
        .supersedeDocument(.init(old: Fixtures.hash("a"), new: Fixtures.hash("b"), effective: 6)),
    ]

    @Test(arguments: bodies) func transactionRoundTrip(body: TransactionBody) throws {
        let tx = Fixtures.tx(body, by: Fixtures.aachenClerk, nonce: 42)
        let decoded = try Transaction(decoding: tx.encoded)
        #expect(decoded == tx)
        #expect(decoded.encoded == tx.encoded)
        #expect(decoded.hasValidSignature(chainId: Fixtures.chainId))
    }

    /// A fixed encoding, byte for byte: changes to the wire format must be deliberate.
    /// (Ed25519 is deterministic, so the signature is fixed too; docs/PROTOCOL.md shows this vector.)
    @Test func anchorKnownEncoding() throws {
        let body = TransactionBody.anchorDocument(
            .init(document: Hash32.sha256([]), documentType: Fixtures.birth, authority: Code("aachen")!))
        let tx = Transaction(
            body: body, time: 1_700_000_000_000, nonce: 1, chainId: Fixtures.chainId,
            key: try SigningKey(seed: [UInt8](repeating: 4, count: 32)))
        let unsigned = Hex.encode(tx.encoded.dropLast(64))
        let parts: [String] = [
            "01", "03", tx.signer.hex, "0000018bcfe56800", "0000000000000001",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "11", Hex.encode(Array("birth-certificate".utf8)), "06", Hex.encode(Array("aachen".utf8)), "00", "00", "00",
        ]
        #expect(unsigned == parts.joined())
        let tag: [UInt8] = [14] + Array("govchain/tx/v1".utf8)
        let chain: [UInt8] = [10] + Array("test-chain".utf8)
        let signed: [UInt8] = tag + chain + Array(tx.encoded.dropLast(64))
        #expect(tx.signer.isValidSignature(tx.signature, for: signed))
        // Computed independently with Python's `cryptography` (OpenSSL) from the layout in docs/PROTOCOL.md.
        #expect(Hex.encode(tx.encoded) == Self.anchorVector)
        #expect(tx.id.hex == "1a1adc83e4eb41e20a04724fb2f588a21b5f0bad67f29e00d4794fab1b4156fa")
    }

    static let anchorVector =
        "0103ca93ac1705187071d67b83c7ff0efe8108e8ec4530575d7726879333dbdabe7c0000018bcfe568000000000000000001"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8551162697274682d63657274696669636174650661616368656e000000"
        + "df7732bd33cf91413bcff80a305bb36e24dabd3d42542da657a22cbc105b36470eaf65677919fb0077625bb0c2298a7a231ed3d5016ea355e72003f2df5e0b09"

    @Test func rejectsTrailingBytes() {
        let bytes = Fixtures.anchor("x").encoded + [0]
        #expect(throws: CodecError.trailingBytes(count: 1)) { try Transaction(decoding: bytes) }
    }

    @Test func rejectsEveryTruncation() {
        let bytes = Fixtures.anchor("x").encoded
        for length in 0..<bytes.count {
            #expect(throws: CodecError.self) { try Transaction(decoding: Array(bytes.prefix(length))) }
        }
    }

    @Test func rejectsUnknownVersionAndKind() {
        var bytes = Fixtures.anchor("x").encoded
        bytes[0] = 3
        #expect(throws: CodecError.unknownVersion(field: "transaction.version", version: 3)) {
            try Transaction(decoding: bytes)
        }
        bytes[0] = 1
        bytes[1] = 99
        #expect(throws: CodecError.unknownTag(field: "transaction.kind", tag: 99)) { try Transaction(decoding: bytes) }
    }

    @Test func rejectsOversizedInput() {
        let bytes = [UInt8](repeating: 1, count: Transaction.encodedBytesMax + 1)
        #expect(
            throws: CodecError.lengthOutOfRange(
                field: "transaction", length: Transaction.encodedBytesMax + 1, limit: Transaction.encodedBytesMax)
        ) {
            try Transaction(decoding: bytes)
        }
    }

    @Test func rejectsNonCanonicalPresenceByte() {
        var bytes = Fixtures.anchor("x").encoded
        // The reference presence byte sits right after the two codes of the anchor payload.
        let offset = 1 + 1 + 32 + 8 + 8 + 32 + 1 + 17 + 1 + 6
        #expect(bytes[offset] == 0)
        bytes[offset] = 2
        #expect(
            throws: CodecError.invalidValue(field: "anchor.reference", reason: "presence byte is 2, must be 0 or 1")
        ) { try Transaction(decoding: bytes) }
    }

    @Test func rejectsFreeTextInCodes() {
        var bytes = Fixtures.anchor("x").encoded
        let offset = 1 + 1 + 32 + 8 + 8 + 32 + 1
        bytes[offset] = UInt8(ascii: "B")  // upper case is not allowed
        #expect(throws: CodecError.self) { try Transaction(decoding: bytes) }
        #expect(Code("Max Mustermann") == nil)
        #expect(Code(String(repeating: "a", count: 33)) == nil)
        #expect(Code("-x") == nil)
        #expect(Code("birth-certificate") != nil)
    }

    @Test func rejectsUnknownRevocationReasonAndBadWindow() throws {
        var revoke = Fixtures.tx(
            .revokeDocument(.init(document: Fixtures.hash("a"), reason: .withdrawal, effective: 1)),
            by: Fixtures.aachenClerk
        ).encoded
        revoke[1 + 1 + 32 + 8 + 8 + 32] = 77
        #expect(throws: CodecError.unknownTag(field: "revoke.reason", tag: 77)) { try Transaction(decoding: revoke) }
        let window = Fixtures.tx(
            .anchorDocument(
                .init(
                    document: Fixtures.hash("a"), documentType: Fixtures.birth, authority: Code("aachen")!,
                    validFrom: 2000, validUntil: 1000)), by: Fixtures.aachenClerk)
        #expect(throws: CodecError.invalidValue(field: "anchor.validUntil", reason: "must be later than validFrom")) {
            try Transaction(decoding: window.encoded)
        }
    }

    /// A signer field that is not a real key decodes, but can never carry a valid signature.
    @Test func garbageSignerNeverVerifies() throws {
        var bytes = Fixtures.anchor("x").encoded
        for i in 2..<34 { bytes[i] = 0xff }
        let decoded = try Transaction(decoding: bytes)
        #expect(!decoded.hasValidSignature(chainId: Fixtures.chainId))
    }

    @Test func rejectsUnsortedDocumentTypes() {
        var writer = ByteWriter()
        writer.u8(1); writer.u8(TransactionKind.registerClerk.rawValue)
        writer.publicKey(Fixtures.aachenKey.publicKey); writer.u64(0); writer.u64(0)
        writer.code(Code("aachen")!); writer.publicKey(Fixtures.key(8).publicKey)
        writer.list([Fixtures.permit, Fixtures.birth]) { $0.code($1) }
        writer.raw([UInt8](repeating: 0, count: 64))
        #expect(
            throws: CodecError.invalidValue(
                field: "registerClerk.documentTypes", reason: "must be non-empty, sorted and without duplicates")
        ) {
            try Transaction(decoding: writer.bytes)
        }
    }

    @Test func blockAndCommitRoundTrip() throws {
        let genesis = Fixtures.genesis
        let first = Block.make(
            chainId: Fixtures.chainId, height: 1, time: 10, previousHash: .zero, lastCommit: nil,
            transactions: [Fixtures.anchor("a"), Fixtures.anchor("b")], validators: genesis.validators, proposer: 0)
        let commit = Commit(precommits: [
            Vote.sign(
                type: .precommit, height: 1, round: 0, block: first.hash, validator: 0, chainId: Fixtures.chainId,
                key: Fixtures.validatorKey)
        ])
        let second = Block.make(
            chainId: Fixtures.chainId, height: 2, time: 11, previousHash: first.hash, lastCommit: commit,
            transactions: [], validators: genesis.validators, proposer: 0)
        for block in [first, second] {
            let decoded = try Block(decoding: block.encoded)
            #expect(decoded == block)
            #expect(decoded.hash == block.hash)
            try decoded.validateBasic()
        }
        #expect(try Commit(decoding: commit.encoded) == commit)
        #expect(throws: CodecError.trailingBytes(count: 1)) { try Block(decoding: first.encoded + [0]) }
    }

    @Test func validateBasicCatchesInconsistentBlocks() {
        var block = Block.make(
            chainId: Fixtures.chainId, height: 1, time: 10, previousHash: .zero, lastCommit: nil,
            transactions: [Fixtures.anchor("a")], validators: Fixtures.genesis.validators, proposer: 0)
        block.transactions.append(Fixtures.anchor("b"))
        #expect(throws: GovChainError.self) { try block.validateBasic() }
        block.header.txCount = 2
        #expect((try? block.validateBasic()) == nil)  // txRoot no longer matches
    }
}

extension TransactionBody: CustomTestStringConvertible {
    public var testDescription: String { "\(kind)" }
}
