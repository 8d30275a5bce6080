/// Where a transaction sits in the chain.
public struct TransactionLocation: Hashable, Sendable {
    public var height: Height
    public var index: UInt32
    public init(height: Height, index: UInt32) {
        self.height = height
        self.index = index
    }
}

/// A clerk's authorisation as the ledger holds it.
public struct ClerkRecord: Hashable, Sendable {
    public var authority: Code
    public var key: PublicKey
    public var documentTypes: [Code]
    /// 0 for clerks named in the genesis.
    public var registeredHeight: Height
    /// Nil for clerks named in the genesis.
    public var registrationTx: Hash32?
    public var revokedHeight: Height?
    public var revocationTx: Hash32?

    public init(
        authority: Code, key: PublicKey, documentTypes: [Code], registeredHeight: Height, registrationTx: Hash32?,
        revokedHeight: Height? = nil, revocationTx: Hash32? = nil
    ) {
        self.authority = authority
        self.key = key
        self.documentTypes = documentTypes
        self.registeredHeight = registeredHeight
        self.registrationTx = registrationTx
        self.revokedHeight = revokedHeight
        self.revocationTx = revocationTx
    }

    public var isActive: Bool { revokedHeight == nil }
}

/// The current status of an anchored document.
public enum DocumentStatus: Hashable, Sendable {
    case valid
    case revoked(reason: RevocationReason, effective: Timestamp, height: Height, tx: Hash32, by: PublicKey)
    case superseded(by: Hash32, effective: Timestamp, height: Height, tx: Hash32, clerk: PublicKey)
}

/// A document hash as the ledger holds it: who anchored it, when, and its status now.
public struct DocumentRecord: Hashable, Sendable {
    public var document: Hash32
    public var documentType: Code
    public var authority: Code
    public var clerk: PublicKey
    public var reference: Hash32?
    public var validFrom: Timestamp?
    public var validUntil: Timestamp?
    public var anchoredHeight: Height
    /// The time of the block that anchored it.
    public var anchoredTime: Timestamp
    public var anchorTx: Hash32
    /// The document this one replaced, when it was anchored by a supersede transaction.
    public var supersedes: Hash32?
    public var status: DocumentStatus

    public init(
        document: Hash32, documentType: Code, authority: Code, clerk: PublicKey, reference: Hash32?,
        validFrom: Timestamp?, validUntil: Timestamp?, anchoredHeight: Height, anchoredTime: Timestamp,
        anchorTx: Hash32, supersedes: Hash32?, status: DocumentStatus
    ) {
        self.document = document
        self.documentType = documentType
        self.authority = authority
        self.clerk = clerk
        self.reference = reference
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.anchoredHeight = anchoredHeight
        self.anchoredTime = anchoredTime
        self.anchorTx = anchorTx
        self.supersedes = supersedes
        self.status = status
    }
}
