/// What a transaction asks the ledger to do.
package enum TransactionBody: Hashable, Sendable {
    /// An authority authorises `clerk` to act for it on `documentTypes`. Signed by the authority key.
    case registerClerk(RegisterClerk)
    /// An authority withdraws a clerk's authorisation. Signed by the authority key.
    case revokeClerk(RevokeClerk)
    /// A clerk anchors the hash of a document its authority issued. Signed by the clerk.
    case anchorDocument(AnchorDocument)
    /// A clerk revokes a document of its authority. Signed by the clerk.
    case revokeDocument(RevokeDocument)
    /// A clerk replaces a document of its authority with a new one. Signed by the clerk.
    case supersedeDocument(SupersedeDocument)
    /// A validator proposes a governance change (docs/GOVERNANCE.md). Signed by a validator key of
    /// the set that signs the block it lands in; counts as that validator's approval.
    case proposeGovernance(ProposeGovernance)
    /// A validator approves or rejects a pending proposal. Signed by a validator key.
    case voteGovernance(VoteGovernance)
    /// The proposing validator withdraws its pending proposal.
    case withdrawGovernance(WithdrawGovernance)
    /// An authority names the document types whose anchor, revoke and supersede need a second
    /// clerk's signature (four-eyes; an empty list turns the rule off). Signed by the authority key.
    case setFourEyes(SetFourEyes)

    /// The document records this transaction writes.
    package var writtenDocuments: [Hash32] {
        switch self {
        case .registerClerk, .revokeClerk, .proposeGovernance, .voteGovernance, .withdrawGovernance, .setFourEyes: []
        case .anchorDocument(let body): [body.document]
        case .revokeDocument(let body): [body.document]
        case .supersedeDocument(let body): [body.old, body.new]
        }
    }

    /// The clerk record this transaction writes, if any.
    package var writtenClerk: PublicKey? {
        switch self {
        case .registerClerk(let body): body.clerk
        case .revokeClerk(let body): body.clerk
        case .anchorDocument, .revokeDocument, .supersedeDocument, .proposeGovernance, .voteGovernance,
            .withdrawGovernance, .setFourEyes:
            nil
        }
    }

    package var kind: TransactionKind {
        switch self {
        case .registerClerk: .registerClerk
        case .revokeClerk: .revokeClerk
        case .anchorDocument: .anchorDocument
        case .revokeDocument: .revokeDocument
        case .supersedeDocument: .supersedeDocument
        case .proposeGovernance: .proposeGovernance
        case .voteGovernance: .voteGovernance
        case .withdrawGovernance: .withdrawGovernance
        case .setFourEyes: .setFourEyes
        }
    }

    /// True for transactions that read or write governance state (proposals, the validator
    /// schedule, authority records, four-eyes rules): after a block with one, the mempool checks
    /// every waiting transaction again.
    package var isGovernance: Bool {
        switch self {
        case .proposeGovernance, .voteGovernance, .withdrawGovernance, .setFourEyes: true
        default: false
        }
    }

    package struct ProposeGovernance: Hashable, Sendable {
        package var action: GovernanceAction
        /// The last height at which it can be approved (at most `LedgerRules.proposalLifetimeMax` after the block).
        package var expiresAt: Height
        package init(action: GovernanceAction, expiresAt: Height) {
            self.action = action
            self.expiresAt = expiresAt
        }
    }

    package struct VoteGovernance: Hashable, Sendable {
        package var proposal: UInt64
        package var approve: Bool
        package init(proposal: UInt64, approve: Bool) {
            self.proposal = proposal
            self.approve = approve
        }
    }

    package struct WithdrawGovernance: Hashable, Sendable {
        package var proposal: UInt64
        package init(proposal: UInt64) { self.proposal = proposal }
    }

    package struct SetFourEyes: Hashable, Sendable {
        package var authority: Code
        /// Sorted, without duplicates; empty: no document type needs a second signature.
        package var documentTypes: [Code]
        package init(authority: Code, documentTypes: [Code]) {
            self.authority = authority
            self.documentTypes = Array(Set(documentTypes)).sorted()
        }
    }

    package struct RegisterClerk: Hashable, Sendable {
        package static let documentTypesMax = 16
        package var authority: Code
        package var clerk: PublicKey
        /// Sorted, without duplicates, 1 to `documentTypesMax` entries.
        package var documentTypes: [Code]
        package init(authority: Code, clerk: PublicKey, documentTypes: [Code]) {
            self.authority = authority
            self.clerk = clerk
            self.documentTypes = Array(Set(documentTypes)).sorted()
        }
    }

    package struct RevokeClerk: Hashable, Sendable {
        package var authority: Code
        package var clerk: PublicKey
        package init(authority: Code, clerk: PublicKey) {
            self.authority = authority
            self.clerk = clerk
        }
    }

    package struct AnchorDocument: Hashable, Sendable {
        /// SHA-256 of the issued document file.
        package var document: Hash32
        package var documentType: Code
        package var authority: Code
        /// Opaque 32 bytes the authority may use to find its case (e.g. a hash of the file number).
        package var reference: Hash32?
        /// Optional validity window, e.g. for a parking permit.
        package var validFrom: Timestamp?
        package var validUntil: Timestamp?
        package init(
            document: Hash32, documentType: Code, authority: Code, reference: Hash32? = nil,
            validFrom: Timestamp? = nil, validUntil: Timestamp? = nil
        ) {
            self.document = document
            self.documentType = documentType
            self.authority = authority
            self.reference = reference
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    package struct RevokeDocument: Hashable, Sendable {
        package var document: Hash32
        package var reason: RevocationReason
        /// When the revocation takes legal effect; may differ from the block time.
        package var effective: Timestamp
        package init(document: Hash32, reason: RevocationReason, effective: Timestamp) {
            self.document = document
            self.reason = reason
            self.effective = effective
        }
    }

    package struct SupersedeDocument: Hashable, Sendable {
        package var old: Hash32
        package var new: Hash32
        package var effective: Timestamp
        package init(old: Hash32, new: Hash32, effective: Timestamp) {
            self.old = old
            self.new = new
            self.effective = effective
        }
    }
}

// MARK: - Codec

extension TransactionBody {
    func encodePayload(into writer: inout ByteWriter) {
        switch self {
        case .registerClerk(let body):
            writer.code(body.authority)
            writer.publicKey(body.clerk)
            writer.list(body.documentTypes) { $0.code($1) }
        case .revokeClerk(let body):
            writer.code(body.authority)
            writer.publicKey(body.clerk)
        case .anchorDocument(let body):
            writer.hash(body.document)
            writer.code(body.documentType)
            writer.code(body.authority)
            writer.optional(body.reference) { $0.hash($1) }
            writer.optional(body.validFrom) { $0.timestamp($1) }
            writer.optional(body.validUntil) { $0.timestamp($1) }
        case .revokeDocument(let body):
            writer.hash(body.document)
            writer.u8(body.reason.rawValue)
            writer.timestamp(body.effective)
        case .supersedeDocument(let body):
            writer.hash(body.old)
            writer.hash(body.new)
            writer.timestamp(body.effective)
        case .proposeGovernance(let body):
            body.action.encode(into: &writer)
            writer.height(body.expiresAt)
        case .voteGovernance(let body):
            writer.u64(body.proposal)
            writer.u8(body.approve ? 1 : 0)
        case .withdrawGovernance(let body):
            writer.u64(body.proposal)
        case .setFourEyes(let body):
            writer.code(body.authority)
            writer.list(body.documentTypes) { $0.code($1) }
        }
    }

    static func decodePayload(
        kind: TransactionKind, from reader: inout ByteReader
    ) throws(CodecError) -> TransactionBody {
        switch kind {
        case .registerClerk:
            let authority = try reader.code("registerClerk.authority")
            let clerk = try reader.publicKey("registerClerk.clerk")
            let types = try reader.list("registerClerk.documentTypes", limit: RegisterClerk.documentTypesMax) {
                (r: inout ByteReader) throws(CodecError) in try r.code("registerClerk.documentType")
            }
            guard !types.isEmpty, zip(types, types.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw .invalidValue(
                    field: "registerClerk.documentTypes", reason: "must be non-empty, sorted and without duplicates")
            }
            return .registerClerk(RegisterClerk(authority: authority, clerk: clerk, documentTypes: types))
        case .revokeClerk:
            return .revokeClerk(
                RevokeClerk(
                    authority: try reader.code("revokeClerk.authority"),
                    clerk: try reader.publicKey("revokeClerk.clerk")))
        case .anchorDocument:
            let body = AnchorDocument(
                document: try reader.hash("anchor.document"),
                documentType: try reader.code("anchor.documentType"),
                authority: try reader.code("anchor.authority"),
                reference: try reader.optional("anchor.reference") { (r: inout ByteReader) throws(CodecError) in
                    try r.hash("anchor.reference")
                },
                validFrom: try reader.optional("anchor.validFrom") { (r: inout ByteReader) throws(CodecError) in
                    try r.timestamp("anchor.validFrom")
                },
                validUntil: try reader.optional("anchor.validUntil") { (r: inout ByteReader) throws(CodecError) in
                    try r.timestamp("anchor.validUntil")
                })
            if let from = body.validFrom, let until = body.validUntil, until <= from {
                throw .invalidValue(field: "anchor.validUntil", reason: "must be later than validFrom")
            }
            return .anchorDocument(body)
        case .revokeDocument:
            let document = try reader.hash("revoke.document")
            let tag = try reader.u8("revoke.reason")
            guard let reason = RevocationReason(rawValue: tag) else {
                throw .unknownTag(field: "revoke.reason", tag: tag)
            }
            return .revokeDocument(
                RevokeDocument(document: document, reason: reason, effective: try reader.timestamp("revoke.effective")))
        case .supersedeDocument:
            let body = SupersedeDocument(
                old: try reader.hash("supersede.old"), new: try reader.hash("supersede.new"),
                effective: try reader.timestamp("supersede.effective"))
            guard body.old != body.new else {
                throw .invalidValue(field: "supersede.new", reason: "must differ from the old hash")
            }
            return .supersedeDocument(body)
        case .proposeGovernance:
            let action = try GovernanceAction.decode(from: &reader)
            return .proposeGovernance(
                ProposeGovernance(action: action, expiresAt: try reader.height("propose.expiresAt")))
        case .voteGovernance:
            let proposal = try reader.u64("vote.proposal")
            let approve = try reader.u8("vote.approve")
            guard approve <= 1 else { throw .invalidValue(field: "vote.approve", reason: "must be 0 or 1") }
            return .voteGovernance(VoteGovernance(proposal: proposal, approve: approve == 1))
        case .withdrawGovernance:
            return .withdrawGovernance(WithdrawGovernance(proposal: try reader.u64("withdraw.proposal")))
        case .setFourEyes:
            let authority = try reader.code("setFourEyes.authority")
            let types = try AuthorityRecord.codes(&reader, "setFourEyes.documentTypes", nonEmpty: false)
            return .setFourEyes(SetFourEyes(authority: authority, documentTypes: types))
        }
    }
}
