import Foundation

@testable import GovChainCore

/// A small chain for tests: two authorities, one validator, deterministic keys from fixed seeds.
enum Fixtures {
    static func key(_ n: UInt8) -> SigningKey {
        // A 32-byte seed is always valid.
        try! SigningKey(seed: [UInt8](repeating: n, count: 32))
    }

    static let validatorKey = key(1)
    static let aachenKey = key(2)
    static let soestKey = key(3)
    static let aachenClerk = key(4)
    static let soestClerk = key(5)
    static let chainId = ChainID("test-chain")!
    static let birth = Code("birth-certificate")!
    static let permit = Code("building-permit")!

    static func genesisFile(clerks: Bool = true) -> GenesisFile {
        GenesisFile(
            chain_id: "test-chain", genesis_time: "2026-01-01T00:00:00Z", consensus: .init(),
            validators: [
                .init(name: "Aachen", public_key: validatorKey.publicKey.hex, peer_address: "127.0.0.1:26600", power: 1)
            ],
            authorities: [
                .init(
                    id: "aachen", name: "Stadt Aachen", public_key: aachenKey.publicKey.hex,
                    document_types: ["birth-certificate", "building-permit"]),
                .init(
                    id: "soest", name: "Stadt Soest", public_key: soestKey.publicKey.hex,
                    document_types: ["birth-certificate"]),
            ],
            initial_clerks: clerks
                ? [
                    .init(
                        authority: "aachen", public_key: aachenClerk.publicKey.hex,
                        document_types: ["birth-certificate"]),
                    .init(
                        authority: "soest", public_key: soestClerk.publicKey.hex, document_types: ["birth-certificate"]),
                ] : [])
    }

    static let genesis: Genesis = try! Genesis(validating: genesisFile())

    static func hash(_ text: String) -> Hash32 { Hash32.sha256(Array(text.utf8)) }

    /// The genesis time, 2026-01-01T00:00:00Z, in milliseconds.
    static let genesisMs: UInt64 = 1_767_225_600_000

    /// `milliseconds` after the genesis time.
    static func at(_ milliseconds: UInt64) -> Timestamp { Timestamp(rawValue: genesisMs + milliseconds) }

    static func tx(
        _ body: TransactionBody, by key: SigningKey, nonce: UInt64 = 0, time: Timestamp = at(0)
    ) -> Transaction {
        Transaction(body: body, time: time, nonce: nonce, chainId: chainId, key: key)
    }

    static func anchor(
        _ text: String, by key: SigningKey = aachenClerk, authority: String = "aachen", type: Code = birth
    ) -> Transaction {
        tx(.anchorDocument(.init(document: hash(text), documentType: type, authority: Code(authority)!)), by: key)
    }
}

/// A `LedgerStateReader` in memory, to run rules without storage.
struct MemoryState: LedgerStateReader {
    var documents: [Hash32: DocumentRecord] = [:]
    var clerks: [PublicKey: ClerkRecord] = [:]
    var transactions: [Hash32: TransactionLocation] = [:]
    var schedule: ValidatorSchedule?
    var proposals: [UInt64: ProposalRecord] = [:]
    var authorities: [Code: AuthorityRecord] = [:]

    func document(_ hash: Hash32) throws(GovChainError) -> DocumentRecord? { documents[hash] }
    func clerk(_ key: PublicKey) throws(GovChainError) -> ClerkRecord? { clerks[key] }
    func transactionLocation(_ id: Hash32) throws(GovChainError) -> TransactionLocation? { transactions[id] }
    func validatorSchedule() throws(GovChainError) -> ValidatorSchedule? { schedule }
    func proposal(_ id: UInt64) throws(GovChainError) -> ProposalRecord? { proposals[id] }
    func authorityRecord(_ id: Code) throws(GovChainError) -> AuthorityRecord? { authorities[id] }

    mutating func merge(_ overlay: LedgerOverlay) {
        documents.merge(overlay.documents) { $1 }
        clerks.merge(overlay.clerks) { $1 }
        transactions.merge(overlay.transactions) { $1 }
        if let next = overlay.schedule { schedule = next }
        proposals.merge(overlay.proposals) { $1 }
        authorities.merge(overlay.authorities) { $1 }
    }
}
