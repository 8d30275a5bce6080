import GovChainCore

/// Transactions admitted but not yet in a block, in arrival order.
///
/// Admission (CheckTx) runs every check once: decode, signature, ledger rules against the
/// committed state plus everything already waiting (so two anchors of one hash cannot both
/// wait), duplicates, and the limits. Invariant: `bytes` is the sum of the waiting encodings and
/// every waiting transaction applies, in order, on top of the committed state (`pending`).
struct Mempool {
    struct Limits {
        var txCountMax: Int
        var bytesMax: Int
    }

    let limits: Limits
    let rules: LedgerRules
    private(set) var waiting: [Transaction] = []
    private(set) var bytes = 0
    /// When each waiting transaction was admitted (milliseconds since 1970), by id: also the set
    /// of waiting ids.
    private var admittedAt: [Hash32: UInt64] = [:]
    /// Committed state plus the effects of every waiting transaction.
    private var pending: LedgerOverlay

    init(limits: Limits, rules: LedgerRules, committed: any LedgerStateReader) {
        self.limits = limits
        self.rules = rules
        pending = LedgerOverlay(base: committed)
    }

    var count: Int { waiting.count }
    var isEmpty: Bool { waiting.isEmpty }
    var ids: Dictionary<Hash32, UInt64>.Keys { admittedAt.keys }
    /// When the oldest waiting transaction was admitted.
    var oldestAdmittedMs: UInt64? { waiting.first.flatMap { admittedAt[$0.id] } }

    /// Stage one of admission, stateless and safe to run anywhere, in parallel: decode and
    /// check the signature for this chain.
    static func precheck(
        _ encoded: [UInt8], chainId: ChainID, verified: VerifiedSignatures
    ) throws(GovChainError) -> Transaction {
        let transaction: Transaction
        do {
            transaction = try Transaction(decoding: encoded)
        } catch {
            throw GovChainError(
                code: .malformedTransaction, message: "The transaction cannot be decoded: \(error.description).")
        }
        if verified.contains(transaction.id) { return transaction }
        guard transaction.hasValidSignature(chainId: chainId) else {
            throw GovChainError(
                code: .invalidSignature,
                message: "The transaction's signature does not verify for its signer key on chain \(chainId).")
        }
        verified.insert(CollectionOfOne(transaction.id))
        return transaction
    }

    /// Stage two, stateful: limits, duplicates and ledger rules for a transaction that passed
    /// `precheck`; on success it waits for the next block.
    mutating func admit(checked transaction: Transaction, nextHeight: Height, now: Timestamp) throws(GovChainError) {
        let encoded = transaction.encoded
        let id = transaction.id
        guard admittedAt[id] == nil else {
            throw GovChainError(
                code: .transactionPending, message: "This exact transaction is already waiting to be committed.")
        }
        guard waiting.count < limits.txCountMax, bytes + encoded.count <= limits.bytesMax else {
            throw GovChainError(
                code: .mempoolFull, message: "The node has too many waiting transactions; try again in a few seconds.",
                retryAfterSeconds: 2)
        }
        try rules.apply(
            transaction, at: TransactionLocation(height: nextHeight, index: UInt32(waiting.count)), blockTime: now,
            to: &pending)
        waiting.append(transaction)
        admittedAt[id] = now.rawValue
        bytes += encoded.count
    }

    /// Removes transactions that are now committed. The effects of the remaining ones stay valid
    /// on top of the new committed state when the block came from this mempool (the common case),
    /// so the full re-check — O(waiting) rule applications — runs only when the block held
    /// transactions this node never admitted, when nothing waits, or when the overlay has grown
    /// well beyond what waits. Returns transactions dropped by a re-check, with reasons.
    mutating func update(
        committed: any LedgerStateReader, block: [Transaction], nextHeight: Height, now: Timestamp
    ) -> [(Transaction, GovChainError)] {
        let included = Set(block.map(\.id))
        let (own, foreign) = (block.filter { admittedAt[$0.id] != nil }, block.filter { admittedAt[$0.id] == nil })
        let remainingCount = waiting.count - own.count
        // Governance state is one shared record (sets, proposals) that also moves on every
        // block: when a block or a waiting transaction touched it, everything is checked again.
        let governance = pending.changesGovernance || block.contains { $0.body.isGovernance }
        guard remainingCount > 0, pending.count <= 4 * remainingCount + 10_000, !governance else {
            return recheck(committed: committed, removing: included, nextHeight: nextHeight, now: now)
        }
        waiting.removeAll { included.contains($0.id) }
        for id in included { admittedAt[id] = nil }
        bytes -= Self.encodedBytes(own)
        // Transactions this node never admitted may conflict with waiting ones: those waiting
        // transactions (same document, or signed by a clerk whose record changed) are dropped
        // and their pending effects forgotten. Everything else stays valid.
        var dropped: [(Transaction, GovChainError)] = []
        if !foreign.isEmpty {
            let documents = Set(foreign.flatMap(\.body.writtenDocuments))
            let clerks = Set(foreign.compactMap(\.body.writtenClerk))
            let conflict = GovChainError(
                code: .transactionConflict,
                message:
                    "A committed transaction changed a record this one depends on; submit it again if it still applies."
            )
            waiting.removeAll { transaction in
                let hit =
                    transaction.body.writtenDocuments.contains(where: documents.contains)
                    || clerks.contains(transaction.signer)
                    || transaction.cosignature.map { clerks.contains($0.cosigner) } == true
                    || transaction.body.writtenClerk.map(clerks.contains) == true
                if hit {
                    dropped.append((transaction, conflict))
                    admittedAt[transaction.id] = nil
                }
                return hit
            }
            pending.forget(
                documents: documents.union(dropped.flatMap(\.0.body.writtenDocuments)),
                clerks: clerks.union(dropped.compactMap(\.0.body.writtenClerk)))
        }
        bytes -= Self.encodedBytes(dropped.map(\.0))
        assert(admittedAt.count == waiting.count, "mempool index drifted")
        assert(bytes == Self.encodedBytes(waiting), "mempool byte count drifted")
        return dropped
    }

    private static func encodedBytes(_ transactions: [Transaction]) -> Int {
        transactions.reduce(0) { $0 + $1.encoded.count }
    }

    private mutating func recheck(
        committed: any LedgerStateReader, removing included: Set<Hash32>, nextHeight: Height, now: Timestamp
    ) -> [(Transaction, GovChainError)] {
        let remaining = waiting.filter { !included.contains($0.id) }
        let times = admittedAt
        waiting = []
        admittedAt = [:]
        bytes = 0
        pending = LedgerOverlay(base: committed)
        var dropped: [(Transaction, GovChainError)] = []
        for transaction in remaining {
            do {
                try rules.apply(
                    transaction, at: TransactionLocation(height: nextHeight, index: UInt32(waiting.count)),
                    blockTime: now, to: &pending)
                waiting.append(transaction)
                admittedAt[transaction.id] = times[transaction.id] ?? now.rawValue
                bytes += transaction.encoded.count
            } catch {
                dropped.append((transaction, error))
            }
        }
        return dropped
    }
}
