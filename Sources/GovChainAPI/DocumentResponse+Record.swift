import GovChainCore

extension DocumentResponse {
    /// The API view of a ledger record. `now` decides `expired`/`not_yet_valid` for documents
    /// with a validity window; revocation and supersession take precedence over the window.
    package init(record: DocumentRecord, genesis: Genesis, now: Timestamp) {
        let authorityName = genesis.authority(record.authority)?.name ?? record.authority.value
        document = record.document.hex
        document_type = record.documentType.value
        authority = AuthorityRef(id: record.authority.value, name: authorityName)
        reference = record.reference?.hex
        valid_from = record.validFrom?.rfc3339
        valid_until = record.validUntil?.rfc3339
        anchored = Anchoring(
            height: record.anchoredHeight.rawValue, time: record.anchoredTime.rfc3339,
            tx_hash: record.anchorTx.hex, clerk: record.clerk.hex,
            cosigner: record.cosigner?.hex)
        supersedes = record.supersedes?.hex
        revocation = nil
        superseded_by = nil
        switch record.status {
        case .valid:
            if let until = record.validUntil, now >= until {
                status = "expired"
            } else if let from = record.validFrom, now < from {
                status = "not_yet_valid"
            } else {
                status = "valid"
            }
        case .revoked(let reason, let effective, let height, let tx, let by):
            status = "revoked"
            revocation = Revocation(
                reason: reason.code, reason_text: reason.description, effective: effective.rfc3339,
                height: height.rawValue, tx_hash: tx.hex, clerk: by.hex,
                cosigner: record.statusCosigner?.hex)
        case .superseded(let newHash, let effective, let height, let tx, let clerk):
            status = "superseded"
            superseded_by = Supersession(
                by: newHash.hex, effective: effective.rfc3339, height: height.rawValue, tx_hash: tx.hex,
                clerk: clerk.hex, cosigner: record.statusCosigner?.hex)
        }
    }
}
