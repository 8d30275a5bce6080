/// Where a transaction sits in the chain.
package struct TransactionLocation: Hashable, Sendable {
    package var height: Height
    package var index: UInt32
    package init(height: Height, index: UInt32) {
        self.height = height
        self.index = index
    }
}

/// A clerk's authorisation as the ledger holds it.
package struct ClerkRecord: Hashable, Sendable {
    package var authority: Code
    package var key: PublicKey
    package var documentTypes: [Code]
    /// 0 for clerks named in the genesis.
    package var registeredHeight: Height
    /// Nil for clerks named in the genesis.
    package var registrationTx: Hash32?
    package var revokedHeight: Height?
    package var revocationTx: Hash32?

    package init(
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

    package var isActive: Bool { revokedHeight == nil }
}

/// The current status of an anchored document.
package enum DocumentStatus: Hashable, Sendable {
    case valid
    case revoked(reason: RevocationReason, effective: Timestamp, height: Height, tx: Hash32, by: PublicKey)
    case superseded(by: Hash32, effective: Timestamp, height: Height, tx: Hash32, clerk: PublicKey)
}

/// A document hash as the ledger holds it: who anchored it, when, and its status now.
package struct DocumentRecord: Hashable, Sendable {
    package var document: Hash32
    package var documentType: Code
    package var authority: Code
    package var clerk: PublicKey
    package var reference: Hash32?
    package var validFrom: Timestamp?
    package var validUntil: Timestamp?
    package var anchoredHeight: Height
    /// The time of the block that anchored it.
    package var anchoredTime: Timestamp
    package var anchorTx: Hash32
    /// The document this one replaced, when it was anchored by a supersede transaction.
    package var supersedes: Hash32?
    package var status: DocumentStatus
    /// The second clerk who co-signed the anchoring transaction (four-eyes), if any.
    package var cosigner: PublicKey?
    /// The second clerk who co-signed the revocation or supersession, if any.
    package var statusCosigner: PublicKey?

    package init(
        document: Hash32, documentType: Code, authority: Code, clerk: PublicKey, reference: Hash32?,
        validFrom: Timestamp?, validUntil: Timestamp?, anchoredHeight: Height, anchoredTime: Timestamp,
        anchorTx: Hash32, supersedes: Hash32?, status: DocumentStatus, cosigner: PublicKey? = nil,
        statusCosigner: PublicKey? = nil
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
        self.cosigner = cosigner
        self.statusCosigner = statusCosigner
    }
}
