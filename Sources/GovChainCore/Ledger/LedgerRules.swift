/// Who may do what on the ledger (design §4, §5). Pure: reads state through a
/// `LedgerStateReader`, writes changes into a `LedgerOverlay`, never touches disk or clock.
///
/// - Only an authority (of the genesis, or added by governance) registers or revokes its own
///   clerks, signing with its key in force.
/// - Only an active clerk of an authority, for document types it is registered for, anchors,
///   revokes or supersedes that authority's documents.
/// - Four eyes: an authority can require, per document type (`setFourEyes`, signed by its key),
///   that anchor, revoke and supersede carry a second signature by another active clerk of it;
///   a co-signer, when present, is checked like the signer and recorded.
/// - A hash is anchored once; an identical transaction is never applied twice.
/// - Revoking or superseding an unknown, foreign, or no longer valid document is refused.
/// - Times are plausible (docs/PROTOCOL.md, "Time rules"): a transaction applies only in a block
///   dated within `txTimeWindowMs` of its own `time` (so a signed transaction expires), document
///   validity lies at most `documentHorizonMs` ahead of the block, and a revocation or
///   supersession takes effect no earlier than the document began and at most
///   `effectiveAheadMaxMs` after the block.
///
/// - Governance (`LedgerRules+Governance.swift`): validators propose and approve changes of the
///   validator set and of the authorities.
///
/// The signature is not checked here: that is a stateless check done once at admission
/// (`Transaction.hasValidSignature`), so rules can run again cheaply.
package struct LedgerRules: Sendable {
    package let genesis: Genesis

    /// How far ahead of the block a document's `validFrom`/`validUntil` may lie: 100 years.
    package static let documentHorizonMs: UInt64 = 100 * 366 * 86_400_000
    /// How far ahead of the block a revocation or supersession may take effect: 366 days.
    package static let effectiveAheadMaxMs: UInt64 = 366 * 86_400_000

    package init(genesis: Genesis) { self.genesis = genesis }

    /// The state before block 1: the genesis clerks.
    package func genesisState(base: any LedgerStateReader = EmptyLedgerState()) -> LedgerOverlay {
        var overlay = LedgerOverlay(base: base)
        for clerk in genesis.initialClerks {
            overlay.put(
                ClerkRecord(
                    authority: clerk.authority, key: clerk.publicKey, documentTypes: clerk.documentTypes,
                    registeredHeight: 0, registrationTx: nil))
        }
        return overlay
    }

    /// Applies `transaction` at `location` in a block with time `blockTime`, or throws the refusal.
    /// On a refusal `state` is unchanged.
    package func apply(
        _ transaction: Transaction, at location: TransactionLocation, blockTime: Timestamp,
        to state: inout LedgerOverlay
    ) throws(GovChainError) {
        let id = transaction.id
        try checkWindow(transaction, blockTime: blockTime)
        if let earlier = try state.transactionLocation(id) {
            throw GovChainError(
                code: .transactionAlreadyApplied,
                message:
                    "This exact transaction was already recorded in block \(earlier.height); it is not applied twice.")
        }
        switch transaction.body {
        case .registerClerk(let body):
            let authority = try authority(body.authority, signedBy: transaction.signer, in: state)
            for type in body.documentTypes where !authority.documentTypes.contains(type) {
                throw GovChainError(
                    code: .documentTypeNotIssued,
                    message: "\(authority.name) does not issue documents of type \"\(type)\" (see the genesis).")
            }
            if genesis.authority(key: body.clerk) != nil {
                throw GovChainError(
                    code: .clerkKeyIsAuthority,
                    message: "An authority key cannot be registered as a clerk; generate a separate clerk key.")
            }
            if let existing = try state.clerk(body.clerk) {
                let status = existing.isActive ? "is already registered" : "was revoked and keys are never reused"
                throw GovChainError(
                    code: .clerkAlreadyRegistered,
                    message: "This clerk key \(status) (authority \(existing.authority)).")
            }
            state.put(
                ClerkRecord(
                    authority: body.authority, key: body.clerk, documentTypes: body.documentTypes,
                    registeredHeight: location.height, registrationTx: id))
        case .revokeClerk(let body):
            let authority = try authority(body.authority, signedBy: transaction.signer, in: state)
            guard var clerk = try state.clerk(body.clerk), clerk.authority == body.authority else {
                throw GovChainError(
                    code: .clerkUnknown, message: "\(authority.name) has no clerk with key \(body.clerk.hex).")
            }
            guard clerk.isActive else {
                throw GovChainError(
                    code: .clerkAlreadyRevoked,
                    message: "This clerk was already revoked at height \(clerk.revokedHeight!).")
            }
            clerk.revokedHeight = location.height
            clerk.revocationTx = id
            state.put(clerk)
        case .anchorDocument(let body):
            for (field, value) in [("validFrom", body.validFrom), ("validUntil", body.validUntil)] {
                if let value, value.rawValue > Self.adding(blockTime, Self.documentHorizonMs) {
                    throw GovChainError(
                        code: .documentTimeImplausible,
                        message: "The document's \(field) lies more than 100 years after the block time.")
                }
            }
            _ = try activeClerk(
                transaction.signer, authority: body.authority, documentType: body.documentType, in: state)
            let cosigner = try cosigner(
                of: transaction, authority: body.authority, documentType: body.documentType, in: state)
            try requireUnanchored(body.document, in: state)
            state.put(
                DocumentRecord(
                    document: body.document, documentType: body.documentType, authority: body.authority,
                    clerk: transaction.signer, reference: body.reference, validFrom: body.validFrom,
                    validUntil: body.validUntil, anchoredHeight: location.height, anchoredTime: blockTime,
                    anchorTx: id, supersedes: nil, status: .valid, cosigner: cosigner))
        case .revokeDocument(let body):
            var record = try validDocument(body.document, changedBy: transaction.signer, in: state)
            record.statusCosigner = try cosigner(
                of: transaction, authority: record.authority, documentType: record.documentType, in: state)
            try checkEffective(body.effective, of: record, blockTime: blockTime)
            record.status = .revoked(
                reason: body.reason, effective: body.effective, height: location.height, tx: id, by: transaction.signer)
            state.put(record)
        case .supersedeDocument(let body):
            var old = try validDocument(body.old, changedBy: transaction.signer, in: state)
            let cosigner = try cosigner(
                of: transaction, authority: old.authority, documentType: old.documentType, in: state)
            try checkEffective(body.effective, of: old, blockTime: blockTime)
            try requireUnanchored(body.new, in: state)
            old.status = .superseded(
                by: body.new, effective: body.effective, height: location.height, tx: id, clerk: transaction.signer)
            old.statusCosigner = cosigner
            state.put(old)
            state.put(
                DocumentRecord(
                    document: body.new, documentType: old.documentType, authority: old.authority,
                    clerk: transaction.signer, reference: old.reference, validFrom: nil, validUntil: nil,
                    anchoredHeight: location.height, anchoredTime: blockTime, anchorTx: id,
                    supersedes: body.old, status: .valid, cosigner: cosigner))
        case .setFourEyes(let body):
            let authority = try authority(body.authority, signedBy: transaction.signer, in: state)
            for type in body.documentTypes where !authority.documentTypes.contains(type) {
                throw GovChainError(
                    code: .documentTypeNotIssued,
                    message:
                        "\(authority.name) does not issue documents of type \"\(type)\", so it cannot require four eyes for them."
                )
            }
            guard var record = try authorityRecord(body.authority, in: state) else {
                throw GovChainError(
                    code: .authorityUnknown, message: "No authority \"\(body.authority)\" is listed on this chain.")
            }
            record.fourEyesDocumentTypes = body.documentTypes
            state.put(record)
        case .proposeGovernance, .voteGovernance, .withdrawGovernance:
            try applyGovernance(transaction, at: location, to: &state)
        }
        state.put(id, at: location)
    }

    // MARK: - Checks

    /// The validity window of a signed transaction: `|transaction.time − blockTime| ≤ txTimeWindowMs`.
    private func checkWindow(_ transaction: Transaction, blockTime: Timestamp) throws(GovChainError) {
        let window = genesis.consensus.txTimeWindowMs
        let (earlier, later) =
            transaction.time < blockTime ? (transaction.time, blockTime) : (blockTime, transaction.time)
        guard later.rawValue - earlier.rawValue <= window else {
            let direction = transaction.time < blockTime ? "expired: it was signed" : "is dated"
            throw GovChainError(
                code: .transactionTimeOutsideWindow,
                message:
                    "The transaction \(direction) more than \(window / 3_600_000) hours \(transaction.time < blockTime ? "before" : "after") the block time; sign it again with the current time."
            )
        }
    }

    /// A revocation or supersession takes effect no earlier than the document began (its
    /// `validFrom`, or its anchoring) and at most `effectiveAheadMaxMs` after the block.
    private func checkEffective(
        _ effective: Timestamp, of record: DocumentRecord, blockTime: Timestamp
    ) throws(GovChainError) {
        let start = min(record.validFrom ?? record.anchoredTime, record.anchoredTime)
        guard effective >= start else {
            throw GovChainError(
                code: .effectiveTimeImplausible,
                message: "The effective time \(effective) lies before the document began (\(start)).")
        }
        guard effective.rawValue <= Self.adding(blockTime, Self.effectiveAheadMaxMs) else {
            throw GovChainError(
                code: .effectiveTimeImplausible,
                message: "The effective time lies more than 366 days after the block time.")
        }
    }

    /// `time + milliseconds`, saturating instead of trapping (times come from outside).
    static func adding(_ time: Timestamp, _ milliseconds: UInt64) -> UInt64 {
        let (sum, overflow) = time.rawValue.addingReportingOverflow(milliseconds)
        return overflow ? .max : sum
    }

    private func authority(
        _ id: Code, signedBy signer: PublicKey, in state: LedgerOverlay
    ) throws(GovChainError) -> Genesis.Authority {
        guard let authority = try authority(id, in: state) else {
            throw GovChainError(
                code: .authorityUnknown,
                message: "No authority \"\(id)\" is listed on this chain (genesis or governance).")
        }
        guard authority.publicKey == signer else {
            throw GovChainError(
                code: .notAuthorityKey,
                message:
                    "Only the authority key of \(authority.name) can manage its clerks; this transaction was signed with another key."
            )
        }
        return authority
    }

    private func activeClerk(
        _ key: PublicKey, authority: Code, documentType: Code, in state: LedgerOverlay
    ) throws(GovChainError) -> ClerkRecord {
        guard let clerk = try state.clerk(key) else {
            throw GovChainError(
                code: .clerkNotRegistered,
                message: "The signing key is not a registered clerk; an authority must register it first.")
        }
        guard clerk.isActive else {
            throw GovChainError(
                code: .clerkRevoked,
                message:
                    "This clerk's authorisation was revoked at height \(clerk.revokedHeight!); it can no longer change documents."
            )
        }
        guard clerk.authority == authority else {
            throw GovChainError(
                code: .clerkWrongAuthority, message: "This clerk acts for \(clerk.authority), not for \(authority).")
        }
        guard clerk.documentTypes.contains(documentType) else {
            throw GovChainError(
                code: .documentTypeNotAllowed,
                message:
                    "This clerk may handle \(clerk.documentTypes.map(\.value).joined(separator: ", ")), not \"\(documentType)\"."
            )
        }
        return clerk
    }

    /// The co-signer of a document transaction, checked: another active clerk of the document's
    /// authority, registered for its type. Refuses a single-signed transaction for a type the
    /// authority put under four eyes (`TransactionBody.setFourEyes`).
    private func cosigner(
        of transaction: Transaction, authority id: Code, documentType: Code, in state: LedgerOverlay
    ) throws(GovChainError) -> PublicKey? {
        guard let cosignature = transaction.cosignature else {
            if let record = try state.authorityRecord(id), record.fourEyesDocumentTypes.contains(documentType) {
                throw GovChainError(
                    code: .cosignatureRequired,
                    message:
                        "\(record.name) requires a second clerk's signature (four eyes) on \(documentType) documents: prepare the transaction with --out FILE and have another clerk of \(id) co-sign it with `govchain cosign FILE`."
                )
            }
            return nil
        }
        do {
            _ = try activeClerk(cosignature.cosigner, authority: id, documentType: documentType, in: state)
        } catch {
            throw GovChainError(code: .cosignerInvalid, message: "The co-signing key is not accepted: \(error.message)")
        }
        return cosignature.cosigner
    }

    private func requireUnanchored(_ hash: Hash32, in state: LedgerOverlay) throws(GovChainError) {
        if let existing = try state.document(hash) {
            throw GovChainError(
                code: .documentAlreadyAnchored,
                message:
                    "Document \(hash.hex) was already anchored at height \(existing.anchoredHeight); a hash is anchored once."
            )
        }
    }

    private func validDocument(
        _ hash: Hash32, changedBy signer: PublicKey, in state: LedgerOverlay
    ) throws(GovChainError) -> DocumentRecord {
        guard let record = try state.document(hash) else {
            throw GovChainError(code: .documentUnknown, message: "Document \(hash.hex) is not anchored on this chain.")
        }
        _ = try activeClerk(signer, authority: record.authority, documentType: record.documentType, in: state)
        switch record.status {
        case .valid:
            return record
        case .revoked(_, _, let height, _, _):
            throw GovChainError(
                code: .documentAlreadyRevoked, message: "Document \(hash.hex) was already revoked at height \(height).")
        case .superseded(let newHash, _, let height, _, _):
            throw GovChainError(
                code: .documentAlreadySuperseded,
                message: "Document \(hash.hex) was already superseded by \(newHash.hex) at height \(height).")
        }
    }
}
