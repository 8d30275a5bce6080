import Foundation

/// The genesis file as it appears on disk (JSON, snake_case keys). Every field is optional here
/// so that `Genesis(validating:)` can name exactly which one is missing or wrong.
/// Field meanings: Genesis/README.md.
package struct GenesisFile: Codable, Sendable, Equatable {
    package struct ValidatorEntry: Codable, Sendable, Equatable {
        package var name: String?
        package var public_key: String?
        package var peer_address: String?
        package var power: UInt64?
        package init(name: String, public_key: String, peer_address: String, power: UInt64) {
            self.name = name
            self.public_key = public_key
            self.peer_address = peer_address
            self.power = power
        }
    }

    package struct AuthorityEntry: Codable, Sendable, Equatable {
        package var id: String?
        package var name: String?
        package var public_key: String?
        package var document_types: [String]?
        /// Templated types (a parking permit, a residence confirmation): anchors of these default
        /// to a salted hash, so nobody can guess a document and look it up (docs/PRIVACY.md).
        package var salted_document_types: [String]?
        package init(
            id: String, name: String, public_key: String, document_types: [String],
            salted_document_types: [String]? = nil
        ) {
            self.id = id
            self.name = name
            self.public_key = public_key
            self.document_types = document_types
            self.salted_document_types = salted_document_types
        }
    }

    package struct ClerkEntry: Codable, Sendable, Equatable {
        package var authority: String?
        package var public_key: String?
        package var document_types: [String]?
        package init(authority: String, public_key: String, document_types: [String]) {
            self.authority = authority
            self.public_key = public_key
            self.document_types = document_types
        }
    }

    package struct ConsensusEntry: Codable, Sendable, Equatable {
        package var max_block_txs: Int?
        package var max_block_bytes: Int?
        package var timeout_propose_ms: UInt64?
        package var timeout_prevote_ms: UInt64?
        package var timeout_precommit_ms: UInt64?
        package var timeout_delta_ms: UInt64?
        package var empty_block_interval_ms: UInt64?
        package var max_clock_drift_ms: UInt64?
        package var tx_time_window_ms: UInt64?
        package init() {}
    }

    package var chain_id: String?
    package var genesis_time: String?
    package var consensus: ConsensusEntry?
    package var validators: [ValidatorEntry]?
    package var authorities: [AuthorityEntry]?
    /// Clerks authorised from the start, so a new network can anchor at once.
    package var initial_clerks: [ClerkEntry]?

    package init(
        chain_id: String, genesis_time: String, consensus: ConsensusEntry, validators: [ValidatorEntry],
        authorities: [AuthorityEntry], initial_clerks: [ClerkEntry]
    ) {
        self.chain_id = chain_id
        self.genesis_time = genesis_time
        self.consensus = consensus
        self.validators = validators
        self.authorities = authorities
        self.initial_clerks = initial_clerks
    }

    /// Pretty, key-sorted JSON, as written by `govchain testnet init`.
    package func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}
