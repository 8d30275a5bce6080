import GovChainCore

/// `GET /v1/validators[?height=H]`: the set that signs a height (docs/GOVERNANCE.md).
package struct ValidatorsResponse: Codable, Sendable, Equatable {
    package struct Member: Codable, Sendable, Equatable {
        /// The member index votes and commit signatures name.
        package var index: UInt16
        package var name: String
        package var public_key: String
        package var power: UInt64
        package var peer_address: String
    }

    package var height: UInt64
    /// `ValidatorSet.hash`: what the header of that height carries as `validatorsHash`.
    package var validators_hash: String
    package var total_power: UInt64
    package var validators: [Member]

    package init(height: Height, set: ValidatorSet) {
        self.height = height.rawValue
        validators_hash = set.hash.hex
        total_power = set.totalPower
        validators = set.members.map {
            Member(
                index: $0.index.rawValue, name: $0.validator.name, public_key: $0.validator.publicKey.hex,
                power: $0.validator.power, peer_address: $0.validator.peerAddress)
        }
    }
}

/// One governance proposal (`GET /v1/governance/proposals[/{id}]`).
package struct ProposalResponse: Codable, Sendable, Equatable {
    package var id: UInt64
    /// `add-validator`, `remove-validator`, `set-power`, `rotate-key`, `add-authority`,
    /// `rotate-authority-key`, `set-authority-types`.
    package var action: String
    /// The action's fields, as text (keys in hex).
    package var details: [String: String]
    /// `pending`, `approved`, `rejected`, `withdrawn`, `expired`.
    package var status: String
    /// The height the status was reached at (nil while pending).
    package var status_height: UInt64?
    /// For approved validator changes: the first height the new set signs.
    package var effective_height: UInt64?
    package var proposer: String
    package var proposed_height: UInt64
    package var expires_at: UInt64
    /// Validators (by name, or key when no longer in the set) that approved or rejected.
    package var approvals: [String]
    package var rejections: [String]
    package var proposal_tx: String

    package init(record: ProposalRecord, name: (PublicKey) -> String) {
        id = record.id
        action = record.action.name
        details = Self.details(record.action)
        switch record.status {
        case .pending: status_height = nil
        case .approved(let height, let effective):
            status_height = height.rawValue
            effective_height = effective.rawValue
        case .rejected(let height), .withdrawn(let height), .expired(let height): status_height = height.rawValue
        }
        status = record.status.name
        proposer = name(record.proposer)
        proposed_height = record.proposedHeight.rawValue
        expires_at = record.expiresAt.rawValue
        approvals = record.approvals.map(name)
        rejections = record.rejections.map(name)
        proposal_tx = record.proposalTx.hex
    }

    static func details(_ action: GovernanceAction) -> [String: String] {
        switch action {
        case .addValidator(let v):
            ["name": v.name, "public_key": v.publicKey.hex, "power": "\(v.power)", "peer_address": v.peerAddress]
        case .removeValidator(let key): ["public_key": key.hex]
        case .setPower(let key, let power): ["public_key": key.hex, "power": "\(power)"]
        case .rotateValidatorKey(let old, let new): ["public_key": old.hex, "new_public_key": new.hex]
        case .addAuthority(let a):
            [
                "authority": a.id.value, "name": a.name, "public_key": a.publicKey.hex,
                "document_types": a.documentTypes.map(\.value).joined(separator: ","),
                "salted_document_types": a.saltedDocumentTypes.map(\.value).joined(separator: ","),
            ]
        case .rotateAuthorityKey(let id, let new): ["authority": id.value, "new_public_key": new.hex]
        case .setAuthorityTypes(let id, let types, let salted):
            [
                "authority": id.value, "document_types": types.map(\.value).joined(separator: ","),
                "salted_document_types": salted.map(\.value).joined(separator: ","),
            ]
        }
    }
}

/// `GET /v1/governance/proposals`: newest first.
package struct ProposalsResponse: Codable, Sendable, Equatable {
    package var proposals: [ProposalResponse]
    package init(proposals: [ProposalResponse]) { self.proposals = proposals }
}
