/// Read access to the ledger's state: what the rules consult. Storage implements it over LevelDB;
/// tests implement it in memory.
package protocol LedgerStateReader {
    func document(_ hash: Hash32) throws(GovChainError) -> DocumentRecord?
    func clerk(_ key: PublicKey) throws(GovChainError) -> ClerkRecord?
    func transactionLocation(_ id: Hash32) throws(GovChainError) -> TransactionLocation?
    /// The governance record (nil until governance first changed something: then both sets are
    /// the genesis set; `LedgerRules.schedule(in:)` gives the effective value).
    func validatorSchedule() throws(GovChainError) -> ValidatorSchedule?
    func proposal(_ id: UInt64) throws(GovChainError) -> ProposalRecord?
    /// An authority governance added or changed (nil: the genesis entry, if any, is in force).
    func authorityRecord(_ id: Code) throws(GovChainError) -> AuthorityRecord?
}

/// State changes of one or more transactions, laid over a base state.
///
/// Rules read through the overlay, so a later transaction in the same block sees the effects of
/// an earlier one; storage writes `documents`, `clerks` and `transactions` in one batch.
package struct LedgerOverlay: LedgerStateReader {
    package let base: any LedgerStateReader
    package private(set) var documents: [Hash32: DocumentRecord] = [:]
    package private(set) var clerks: [PublicKey: ClerkRecord] = [:]
    package private(set) var transactions: [Hash32: TransactionLocation] = [:]
    package private(set) var schedule: ValidatorSchedule?
    package private(set) var proposals: [UInt64: ProposalRecord] = [:]
    package private(set) var authorities: [Code: AuthorityRecord] = [:]

    package init(base: any LedgerStateReader) { self.base = base }

    package func validatorSchedule() throws(GovChainError) -> ValidatorSchedule? {
        if let schedule { return schedule }
        return try base.validatorSchedule()
    }

    package func proposal(_ id: UInt64) throws(GovChainError) -> ProposalRecord? {
        if let record = proposals[id] { return record }
        return try base.proposal(id)
    }

    package func authorityRecord(_ id: Code) throws(GovChainError) -> AuthorityRecord? {
        if let record = authorities[id] { return record }
        return try base.authorityRecord(id)
    }

    package func document(_ hash: Hash32) throws(GovChainError) -> DocumentRecord? {
        if let record = documents[hash] { return record }
        return try base.document(hash)
    }

    package func clerk(_ key: PublicKey) throws(GovChainError) -> ClerkRecord? {
        if let record = clerks[key] { return record }
        return try base.clerk(key)
    }

    package func transactionLocation(_ id: Hash32) throws(GovChainError) -> TransactionLocation? {
        if let location = transactions[id] { return location }
        return try base.transactionLocation(id)
    }

    mutating func put(_ record: DocumentRecord) { documents[record.document] = record }
    mutating func put(_ record: ClerkRecord) { clerks[record.key] = record }
    mutating func put(_ id: Hash32, at location: TransactionLocation) { transactions[id] = location }
    mutating func put(_ schedule: ValidatorSchedule) { self.schedule = schedule }
    mutating func put(_ record: ProposalRecord) { proposals[record.id] = record }
    mutating func put(_ record: AuthorityRecord) { authorities[record.id] = record }

    package var isEmpty: Bool {
        documents.isEmpty && clerks.isEmpty && transactions.isEmpty && schedule == nil && proposals.isEmpty
            && authorities.isEmpty
    }

    /// True when this overlay changed governance state (what a block's successor must re-read).
    package var changesGovernance: Bool { schedule != nil || !proposals.isEmpty || !authorities.isEmpty }

    /// Drops pending changes to these records, so reads fall through to the base again (used when
    /// the base changed under them).
    package mutating func forget(documents hashes: Set<Hash32>, clerks keys: Set<PublicKey>) {
        for hash in hashes { documents[hash] = nil }
        for key in keys { clerks[key] = nil }
    }

    /// Drops pending governance changes, so reads fall through to the base again.
    package mutating func forgetGovernance() {
        schedule = nil
        proposals = [:]
        authorities = [:]
    }

    package var count: Int {
        documents.count + clerks.count + transactions.count + proposals.count + authorities.count
            + (schedule == nil ? 0 : 1)
    }
}

/// A state with nothing in it; the base of the genesis state and of tests.
package struct EmptyLedgerState: LedgerStateReader {
    package init() {}
    package func document(_ hash: Hash32) throws(GovChainError) -> DocumentRecord? { nil }
    package func clerk(_ key: PublicKey) throws(GovChainError) -> ClerkRecord? { nil }
    package func transactionLocation(_ id: Hash32) throws(GovChainError) -> TransactionLocation? { nil }
    package func validatorSchedule() throws(GovChainError) -> ValidatorSchedule? { nil }
    package func proposal(_ id: UInt64) throws(GovChainError) -> ProposalRecord? { nil }
    package func authorityRecord(_ id: Code) throws(GovChainError) -> AuthorityRecord? { nil }
}
