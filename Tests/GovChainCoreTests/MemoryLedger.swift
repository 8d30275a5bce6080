import GovChainCore

/// A whole ledger in memory (records, transaction locations, state tree nodes and the records
/// its leaves commit to): what the block store keeps, for building real chains in pure tests.
struct MemoryLedger: LedgerStateReader {
    var documents: [Hash32: DocumentRecord] = [:]
    var clerks: [PublicKey: ClerkRecord] = [:]
    var transactions: [Hash32: TransactionLocation] = [:]
    var schedule: ValidatorSchedule?
    var proposals: [UInt64: ProposalRecord] = [:]
    var authorities: [Code: AuthorityRecord] = [:]
    var nodes = MemoryMerkleNodes()
    var records: [Hash32: [UInt8]] = [:]
    var root: SparseMerkleTree.Link

    init(genesis: Genesis) {
        let state = LedgerRules(genesis: genesis).genesisState()
        documents = state.documents
        clerks = state.clerks
        let tree = LedgerStateTree.genesis(genesis)
        root = tree.rootLink
        nodes.nodes = tree.nodes
        records = tree.records
    }

    mutating func apply(_ executed: ExecutedBlock) {
        documents.merge(executed.changes.documents) { $1 }
        clerks.merge(executed.changes.clerks) { $1 }
        transactions.merge(executed.changes.transactions) { $1 }
        if let next = executed.changes.schedule { schedule = next }
        proposals.merge(executed.changes.proposals) { $1 }
        authorities.merge(executed.changes.authorities) { $1 }
        nodes.nodes.merge(executed.state.nodes) { $1 }
        records.merge(executed.state.records) { $1 }
        root = executed.state.rootLink
    }

    func document(_ hash: Hash32) throws(GovChainError) -> DocumentRecord? { documents[hash] }
    func clerk(_ key: PublicKey) throws(GovChainError) -> ClerkRecord? { clerks[key] }
    func transactionLocation(_ id: Hash32) throws(GovChainError) -> TransactionLocation? { transactions[id] }
    func validatorSchedule() throws(GovChainError) -> ValidatorSchedule? { schedule }
    func proposal(_ id: UInt64) throws(GovChainError) -> ProposalRecord? { proposals[id] }
    func authorityRecord(_ id: Code) throws(GovChainError) -> AuthorityRecord? { authorities[id] }
}
