/// What the validators vote on (docs/GOVERNANCE.md). Validator changes take effect two heights
/// after the block that approves them (that block's successor already names the new set as its
/// `nextValidatorsHash`); authority changes take effect in the approving block itself.
package enum GovernanceAction: Hashable, Sendable {
    case addValidator(Validator)
    case removeValidator(PublicKey)
    case setPower(PublicKey, power: UInt64)
    case rotateValidatorKey(old: PublicKey, new: PublicKey)
    case addAuthority(AuthorityRecord)
    case rotateAuthorityKey(Code, new: PublicKey)
    case setAuthorityTypes(Code, documentTypes: [Code], salted: [Code])

    /// Wire tags. Never reuse a number.
    var tag: UInt8 {
        switch self {
        case .addValidator: 1
        case .removeValidator: 2
        case .setPower: 3
        case .rotateValidatorKey: 4
        case .addAuthority: 5
        case .rotateAuthorityKey: 6
        case .setAuthorityTypes: 7
        }
    }

    /// The command-line and JSON name of the action.
    package var name: String {
        switch self {
        case .addValidator: "add-validator"
        case .removeValidator: "remove-validator"
        case .setPower: "set-power"
        case .rotateValidatorKey: "rotate-key"
        case .addAuthority: "add-authority"
        case .rotateAuthorityKey: "rotate-authority-key"
        case .setAuthorityTypes: "set-authority-types"
        }
    }

    /// True for the actions that change the validator set.
    package var changesValidators: Bool {
        switch self {
        case .addValidator, .removeValidator, .setPower, .rotateValidatorKey: true
        case .addAuthority, .rotateAuthorityKey, .setAuthorityTypes: false
        }
    }

    func encode(into writer: inout ByteWriter) {
        writer.u8(tag)
        switch self {
        case .addValidator(let validator):
            writer.shortBytes(Array(validator.name.utf8))
            writer.publicKey(validator.publicKey)
            writer.shortBytes(Array(validator.peerAddress.utf8))
            writer.u64(validator.power)
        case .removeValidator(let key):
            writer.publicKey(key)
        case .setPower(let key, let power):
            writer.publicKey(key)
            writer.u64(power)
        case .rotateValidatorKey(let old, let new):
            writer.publicKey(old)
            writer.publicKey(new)
        case .addAuthority(let authority):
            authority.encode(into: &writer)
        case .rotateAuthorityKey(let id, let new):
            writer.code(id)
            writer.publicKey(new)
        case .setAuthorityTypes(let id, let types, let salted):
            writer.code(id)
            writer.list(types) { $0.code($1) }
            writer.list(salted) { $0.code($1) }
        }
    }

    static func decode(from reader: inout ByteReader) throws(CodecError) -> GovernanceAction {
        let tag = try reader.u8("governance.action")
        switch tag {
        case 1:
            let name = try reader.utf8("addValidator.name", limit: Validator.nameBytesMax)
            let key = try reader.publicKey("addValidator.publicKey")
            let address = try reader.utf8("addValidator.peerAddress", limit: 253)
            let power = try reader.u64("addValidator.power")
            guard !name.isEmpty else { throw .invalidValue(field: "addValidator.name", reason: "must not be empty") }
            return .addValidator(Validator(name: name, publicKey: key, peerAddress: address, power: power))
        case 2:
            return .removeValidator(try reader.publicKey("removeValidator.publicKey"))
        case 3:
            return .setPower(try reader.publicKey("setPower.publicKey"), power: try reader.u64("setPower.power"))
        case 4:
            let old = try reader.publicKey("rotateKey.old")
            let new = try reader.publicKey("rotateKey.new")
            guard old != new else {
                throw .invalidValue(field: "rotateKey.new", reason: "must differ from the old key")
            }
            return .rotateValidatorKey(old: old, new: new)
        case 5:
            return .addAuthority(try AuthorityRecord(from: &reader))
        case 6:
            return .rotateAuthorityKey(
                try reader.code("rotateAuthorityKey.authority"), new: try reader.publicKey("rotateAuthorityKey.new"))
        case 7:
            let id = try reader.code("setAuthorityTypes.authority")
            let types = try AuthorityRecord.codes(&reader, "setAuthorityTypes.documentTypes", nonEmpty: true)
            let salted = try AuthorityRecord.codes(&reader, "setAuthorityTypes.salted", nonEmpty: false)
            guard Set(salted).isSubset(of: types) else {
                throw .invalidValue(field: "setAuthorityTypes.salted", reason: "must be among the document types")
            }
            return .setAuthorityTypes(id, documentTypes: types, salted: salted)
        default:
            throw .unknownTag(field: "governance.action", tag: tag)
        }
    }
}

/// An authority (a municipality that issues documents) as the ledger holds it once governance
/// added or changed it; authorities only in the genesis have no record (the genesis entry is it).
package struct AuthorityRecord: Hashable, Sendable {
    /// As many as a u16-counted list holds (the genesis sets no smaller limit).
    package static let documentTypesMax = 65_535
    package var id: Code
    package var name: String
    package var publicKey: PublicKey
    /// Sorted, without duplicates.
    package var documentTypes: [Code]
    /// Sorted, a subset of `documentTypes`.
    package var saltedDocumentTypes: [Code]
    /// Sorted: the types whose anchor, revoke and supersede need a second clerk's signature. Set
    /// by the authority itself (`TransactionBody.setFourEyes`), never by a governance action, so it
    /// is not part of the action encoding (`encode(into:)`), only of the state record (`encoded`).
    package var fourEyesDocumentTypes: [Code] = []

    package init(
        id: Code, name: String, publicKey: PublicKey, documentTypes: [Code], saltedDocumentTypes: [Code],
        fourEyesDocumentTypes: [Code] = []
    ) {
        self.id = id
        self.name = name
        self.publicKey = publicKey
        self.documentTypes = Array(Set(documentTypes)).sorted()
        self.saltedDocumentTypes = Array(Set(saltedDocumentTypes)).sorted()
        self.fourEyesDocumentTypes = Array(Set(fourEyesDocumentTypes)).sorted()
    }

    package init(_ authority: Genesis.Authority) {
        self.init(
            id: authority.id, name: authority.name, publicKey: authority.publicKey,
            documentTypes: Array(authority.documentTypes), saltedDocumentTypes: Array(authority.saltedDocumentTypes))
    }

    /// The genesis-shaped view the rest of the code reads.
    package var authority: Genesis.Authority {
        Genesis.Authority(
            id: id, name: name, publicKey: publicKey, documentTypes: Set(documentTypes),
            saltedDocumentTypes: Set(saltedDocumentTypes))
    }

    func encode(into writer: inout ByteWriter) {
        writer.code(id)
        writer.shortBytes(Array(name.utf8))
        writer.publicKey(publicKey)
        writer.list(documentTypes) { $0.code($1) }
        writer.list(saltedDocumentTypes) { $0.code($1) }
    }

    /// The state record: the action encoding, and the four-eyes types when there are any (so a
    /// chain that never used four-eyes keeps every state root).
    package var encoded: [UInt8] {
        var writer = ByteWriter()
        encode(into: &writer)
        if !fourEyesDocumentTypes.isEmpty { writer.list(fourEyesDocumentTypes) { $0.code($1) } }
        return writer.bytes
    }

    init(from reader: inout ByteReader) throws(CodecError) {
        id = try reader.code("authority.id")
        name = try reader.utf8("authority.name", limit: 200)  // the genesis limit
        publicKey = try reader.publicKey("authority.publicKey")
        documentTypes = try Self.codes(&reader, "authority.documentTypes", nonEmpty: true)
        saltedDocumentTypes = try Self.codes(&reader, "authority.saltedDocumentTypes", nonEmpty: false)
        guard !name.isEmpty else { throw .invalidValue(field: "authority.name", reason: "must not be empty") }
        guard Set(saltedDocumentTypes).isSubset(of: documentTypes) else {
            throw .invalidValue(field: "authority.saltedDocumentTypes", reason: "must be among the document types")
        }
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        if reader.remaining > 0 {
            fourEyesDocumentTypes = try Self.codes(&reader, "authority.fourEyesDocumentTypes", nonEmpty: true)
        }
        try reader.finish()
    }

    /// A sorted list of distinct codes, as every list of document types is encoded.
    static func codes(_ reader: inout ByteReader, _ field: String, nonEmpty: Bool) throws(CodecError) -> [Code] {
        let codes = try reader.list(field, limit: documentTypesMax) { (r: inout ByteReader) throws(CodecError) in
            try r.code(field)
        }
        guard !nonEmpty || !codes.isEmpty, zip(codes, codes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalidValue(
                field: field, reason: "must be\(nonEmpty ? " non-empty," : "") sorted and without duplicates")
        }
        return codes
    }
}

/// Where a proposal stands.
package enum ProposalStatus: Hashable, Sendable {
    case pending
    /// Approved in block `height`; a validator change is in force from `effective` (height + 2).
    case approved(height: Height, effective: Height)
    /// Enough power voted against that it can no longer pass.
    case rejected(height: Height)
    case withdrawn(height: Height)
    /// Not approved by its expiry height.
    case expired(height: Height)

    package var name: String {
        switch self {
        case .pending: "pending"
        case .approved: "approved"
        case .rejected: "rejected"
        case .withdrawn: "withdrawn"
        case .expired: "expired"
        }
    }
}

/// A governance proposal as the ledger holds it.
package struct ProposalRecord: Hashable, Sendable {
    package var id: UInt64
    package var action: GovernanceAction
    /// The validator key that proposed it (its proposal counts as its approval).
    package var proposer: PublicKey
    package var proposedHeight: Height
    /// The last height at which it can still be approved.
    package var expiresAt: Height
    /// Keys of the validators that approved or rejected, each sorted.
    package var approvals: [PublicKey]
    package var rejections: [PublicKey]
    package var status: ProposalStatus
    package var proposalTx: Hash32

    package init(
        id: UInt64, action: GovernanceAction, proposer: PublicKey, proposedHeight: Height, expiresAt: Height,
        approvals: [PublicKey], rejections: [PublicKey], status: ProposalStatus, proposalTx: Hash32
    ) {
        self.id = id
        self.action = action
        self.proposer = proposer
        self.proposedHeight = proposedHeight
        self.expiresAt = expiresAt
        self.approvals = approvals
        self.rejections = rejections
        self.status = status
        self.proposalTx = proposalTx
    }

    package var encoded: [UInt8] {
        var writer = ByteWriter()
        writer.u64(id)
        action.encode(into: &writer)
        writer.publicKey(proposer)
        writer.height(proposedHeight)
        writer.height(expiresAt)
        writer.list(approvals) { $0.publicKey($1) }
        writer.list(rejections) { $0.publicKey($1) }
        switch status {
        case .pending: writer.u8(0)
        case .approved(let height, let effective):
            writer.u8(1)
            writer.height(height)
            writer.height(effective)
        case .rejected(let height):
            writer.u8(2)
            writer.height(height)
        case .withdrawn(let height):
            writer.u8(3)
            writer.height(height)
        case .expired(let height):
            writer.u8(4)
            writer.height(height)
        }
        writer.hash(proposalTx)
        return writer.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        id = try reader.u64("proposal.id")
        action = try GovernanceAction.decode(from: &reader)
        proposer = try reader.publicKey("proposal.proposer")
        proposedHeight = try reader.height("proposal.proposedHeight")
        expiresAt = try reader.height("proposal.expiresAt")
        approvals = try reader.list("proposal.approvals", limit: ValidatorSet.countMax) {
            (r: inout ByteReader) throws(CodecError) in try r.publicKey("proposal.approval")
        }
        rejections = try reader.list("proposal.rejections", limit: ValidatorSet.countMax) {
            (r: inout ByteReader) throws(CodecError) in try r.publicKey("proposal.rejection")
        }
        let tag = try reader.u8("proposal.status")
        switch tag {
        case 0: status = .pending
        case 1:
            status = .approved(
                height: try reader.height("proposal.approvedHeight"), effective: try reader.height("proposal.effective")
            )
        case 2: status = .rejected(height: try reader.height("proposal.statusHeight"))
        case 3: status = .withdrawn(height: try reader.height("proposal.statusHeight"))
        case 4: status = .expired(height: try reader.height("proposal.statusHeight"))
        default: throw .unknownTag(field: "proposal.status", tag: tag)
        }
        proposalTx = try reader.hash("proposal.tx")
        try reader.finish()
    }
}

/// The validator sets of the next two heights and the governance counters: one record in the
/// state, written only once governance changed something (before that, both sets are the genesis
/// set, so a chain without governance keeps the state roots it had).
///
/// After block h: `next` signs h + 1 and `afterNext` signs h + 2. While block h + 1 executes,
/// approved validator changes go into `upcoming` (a copy of `afterNext`); at its end the sets move
/// on: `next ← afterNext`, `afterNext ← upcoming` — a change approved in block H is in force from
/// H + 2, and header H + 1 already names it as `nextValidatorsHash`.
package struct ValidatorSchedule: Hashable, Sendable {
    package static let pendingProposalsMax = 32
    package var next: ValidatorSet
    package var afterNext: ValidatorSet
    /// `afterNext` with the changes approved in the block being executed (not encoded: after a
    /// block it equals `afterNext`).
    package var upcoming: ValidatorSet
    /// The member index the next added validator gets.
    package var nextMember: UInt16
    /// The id of the next proposal.
    package var nextProposal: UInt64
    /// Pending proposals, in id order (each expires or is decided; at most `pendingProposalsMax`).
    package var pending: [UInt64]
    /// Validator keys no longer in use (removed or rotated out): a key is never admitted twice.
    package var retiredKeys: [PublicKey]

    package init(genesis: ValidatorSet) {
        next = genesis
        afterNext = genesis
        upcoming = genesis
        nextMember = UInt16((genesis.indices.last?.rawValue ?? 0) + 1)
        nextProposal = 1
        pending = []
        retiredKeys = []
    }

    package var encoded: [UInt8] {
        var writer = ByteWriter()
        next.encode(into: &writer)
        afterNext.encode(into: &writer)
        writer.u16(nextMember)
        writer.u64(nextProposal)
        writer.list(pending) { $0.u64($1) }
        writer.list(retiredKeys) { $0.publicKey($1) }
        return writer.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        next = try ValidatorSet(from: &reader, field: "schedule.next")
        afterNext = try ValidatorSet(from: &reader, field: "schedule.afterNext")
        upcoming = afterNext
        nextMember = try reader.u16("schedule.nextMember")
        nextProposal = try reader.u64("schedule.nextProposal")
        pending = try reader.list("schedule.pending", limit: Self.pendingProposalsMax) {
            (r: inout ByteReader) throws(CodecError) in try r.u64("schedule.pending")
        }
        retiredKeys = try reader.list("schedule.retiredKeys", limit: 65_535) {
            (r: inout ByteReader) throws(CodecError) in try r.publicKey("schedule.retiredKey")
        }
        try reader.finish()
    }
}
