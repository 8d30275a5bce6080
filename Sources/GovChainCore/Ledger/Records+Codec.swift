/// Binary encodings of ledger records, as stored under `d/` and `k/` keys (docs/ARCHITECTURE.md).
/// Each starts with a version byte so the schema can evolve.

extension TransactionLocation {
    package var encoded: [UInt8] {
        var w = ByteWriter(capacity: 12)
        w.height(height)
        w.u32(index)
        return w.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var r = ByteReader(bytes)
        height = try r.height("location.height")
        index = try r.u32("location.index")
        try r.finish()
    }
}

extension ClerkRecord {
    static let version: UInt8 = 1

    package var encoded: [UInt8] {
        var w = ByteWriter(capacity: 160)
        w.u8(Self.version)
        w.code(authority)
        w.publicKey(key)
        w.list(documentTypes) { $0.code($1) }
        w.height(registeredHeight)
        w.optional(registrationTx) { $0.hash($1) }
        w.optional(revokedHeight) { $0.height($1) }
        w.optional(revocationTx) { $0.hash($1) }
        return w.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var r = ByteReader(bytes)
        let version = try r.u8("clerk.version")
        guard version == Self.version else { throw .unknownVersion(field: "clerk.version", version: version) }
        authority = try r.code("clerk.authority")
        key = try r.publicKey("clerk.key")
        documentTypes = try r.list("clerk.documentTypes", limit: TransactionBody.RegisterClerk.documentTypesMax) {
            (r: inout ByteReader) throws(CodecError) in
            try r.code("clerk.documentType")
        }
        registeredHeight = try r.height("clerk.registeredHeight")
        registrationTx = try r.optional("clerk.registrationTx") { (r: inout ByteReader) throws(CodecError) in
            try r.hash("clerk.registrationTx")
        }
        revokedHeight = try r.optional("clerk.revokedHeight") { (r: inout ByteReader) throws(CodecError) in
            try r.height("clerk.revokedHeight")
        }
        revocationTx = try r.optional("clerk.revocationTx") { (r: inout ByteReader) throws(CodecError) in
            try r.hash("clerk.revocationTx")
        }
        try r.finish()
    }
}

extension DocumentRecord {
    static let version: UInt8 = 1
    /// A record with a co-signer (four-eyes): version 1's fields, then the two co-signers.
    static let cosignedVersion: UInt8 = 2

    package var encoded: [UInt8] {
        var w = ByteWriter(capacity: 320)
        let cosigned = cosigner != nil || statusCosigner != nil
        w.u8(cosigned ? Self.cosignedVersion : Self.version)
        w.hash(document)
        w.code(documentType)
        w.code(authority)
        w.publicKey(clerk)
        w.optional(reference) { $0.hash($1) }
        w.optional(validFrom) { $0.timestamp($1) }
        w.optional(validUntil) { $0.timestamp($1) }
        w.height(anchoredHeight)
        w.timestamp(anchoredTime)
        w.hash(anchorTx)
        w.optional(supersedes) { $0.hash($1) }
        switch status {
        case .valid:
            w.u8(0)
        case .revoked(let reason, let effective, let height, let tx, let by):
            w.u8(1)
            w.u8(reason.rawValue)
            w.timestamp(effective)
            w.height(height)
            w.hash(tx)
            w.publicKey(by)
        case .superseded(let newHash, let effective, let height, let tx, let clerk):
            w.u8(2)
            w.hash(newHash)
            w.timestamp(effective)
            w.height(height)
            w.hash(tx)
            w.publicKey(clerk)
        }
        if cosigned {
            w.optional(cosigner) { $0.publicKey($1) }
            w.optional(statusCosigner) { $0.publicKey($1) }
        }
        return w.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var r = ByteReader(bytes)
        let version = try r.u8("document.version")
        guard version == Self.version || version == Self.cosignedVersion else {
            throw .unknownVersion(field: "document.version", version: version)
        }
        document = try r.hash("document.hash")
        documentType = try r.code("document.type")
        authority = try r.code("document.authority")
        clerk = try r.publicKey("document.clerk")
        reference = try r.optional("document.reference") { (r: inout ByteReader) throws(CodecError) in
            try r.hash("document.reference")
        }
        validFrom = try r.optional("document.validFrom") { (r: inout ByteReader) throws(CodecError) in
            try r.timestamp("document.validFrom")
        }
        validUntil = try r.optional("document.validUntil") { (r: inout ByteReader) throws(CodecError) in
            try r.timestamp("document.validUntil")
        }
        anchoredHeight = try r.height("document.anchoredHeight")
        anchoredTime = try r.timestamp("document.anchoredTime")
        anchorTx = try r.hash("document.anchorTx")
        supersedes = try r.optional("document.supersedes") { (r: inout ByteReader) throws(CodecError) in
            try r.hash("document.supersedes")
        }
        let tag = try r.u8("document.status")
        switch tag {
        case 0:
            status = .valid
        case 1:
            let reasonTag = try r.u8("document.revocationReason")
            guard let reason = RevocationReason(rawValue: reasonTag) else {
                throw .unknownTag(field: "document.revocationReason", tag: reasonTag)
            }
            status = .revoked(
                reason: reason, effective: try r.timestamp("document.effective"),
                height: try r.height("document.statusHeight"),
                tx: try r.hash("document.statusTx"), by: try r.publicKey("document.statusClerk"))
        case 2:
            status = .superseded(
                by: try r.hash("document.supersededBy"), effective: try r.timestamp("document.effective"),
                height: try r.height("document.statusHeight"), tx: try r.hash("document.statusTx"),
                clerk: try r.publicKey("document.statusClerk"))
        default:
            throw .unknownTag(field: "document.status", tag: tag)
        }
        if version == Self.cosignedVersion {
            cosigner = try r.optional("document.cosigner") { (r: inout ByteReader) throws(CodecError) in
                try r.publicKey("document.cosigner")
            }
            statusCosigner = try r.optional("document.statusCosigner") { (r: inout ByteReader) throws(CodecError) in
                try r.publicKey("document.statusCosigner")
            }
            guard cosigner != nil || statusCosigner != nil else {
                throw .invalidValue(field: "document.version", reason: "version 2 is for records with a co-signer")
            }
            if case .valid = status, statusCosigner != nil {
                throw .invalidValue(
                    field: "document.statusCosigner", reason: "a valid document has no status co-signer")
            }
        }
        try r.finish()
    }
}
