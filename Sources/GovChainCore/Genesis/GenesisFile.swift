import Foundation

/// The genesis file as it appears on disk (JSON, snake_case keys). Every field is optional here
/// so that `Genesis(validating:)` can name exactly which one is missing or wrong.
/// Field meanings: Genesis/README.md.
public struct GenesisFile: Codable, Sendable, Equatable {
    public struct ValidatorEntry: Codable, Sendable, Equatable {
        public var name: String?
        public var public_key: String?
        public var peer_address: String?
        public var power: UInt64?
        public init(name: String, public_key: String, peer_address: String, power: UInt64) {
            self.name = name
            self.public_key = public_key
            self.peer_address = peer_address
            self.power = power
        }
    }

    public struct AuthorityEntry: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String?
        public var public_key: String?
        public var document_types: [String]?
        public init(id: String, name: String, public_key: String, document_types: [String]) {
            self.id = id
            self.name = name
            self.public_key = public_key
            self.document_types = document_types
        }
    }

    public struct ClerkEntry: Codable, Sendable, Equatable {
        public var authority: String?
        public var public_key: String?
        public var document_types: [String]?
        public init(authority: String, public_key: String, document_types: [String]) {
            self.authority = authority
            self.public_key = public_key
            self.document_types = document_types
        }
    }

    public struct ConsensusEntry: Codable, Sendable, Equatable {
        public var max_block_txs: Int?
        public var max_block_bytes: Int?
        public var timeout_propose_ms: UInt64?
        public var timeout_prevote_ms: UInt64?
        public var timeout_precommit_ms: UInt64?
        public var timeout_delta_ms: UInt64?
        public var empty_block_interval_ms: UInt64?
        public var max_clock_drift_ms: UInt64?
        public var tx_time_window_ms: UInt64?
        public init() {}
    }

    public var chain_id: String?
    public var genesis_time: String?
    public var consensus: ConsensusEntry?
    public var validators: [ValidatorEntry]?
    public var authorities: [AuthorityEntry]?
    /// Clerks authorised from the start, so a new network can anchor at once.
    public var initial_clerks: [ClerkEntry]?

    public init(
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
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}
