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
    private(set) var ids: Set<Hash32> = []
    private(set) var bytes = 0
    /// Committed state plus the effects of every waiting transaction.
    private var pending: LedgerOverlay

    init(limits: Limits, rules: LedgerRules, committed: any LedgerStateReader) {
        self.limits = limits
        self.rules = rules
        pending = LedgerOverlay(base: committed)
    }

    var count: Int { waiting.count }
    var isEmpty: Bool { waiting.isEmpty }

    /// Decodes and checks `encoded`; on success it waits for the next block.
    mutating func admit(_ encoded: [UInt8], nextHeight: Height, now: Timestamp) throws(GovChainError) -> Transaction {
        let transaction: Transaction
        do {
            transaction = try Transaction(decoding: encoded)
        } catch {
            throw GovChainError(code: "malformed_transaction", message: "The transaction cannot be decoded: \(error.description).")
        }
        let id = transaction.id
        guard !ids.contains(id) else {
            throw GovChainError(code: "transaction_pending", message: "This exact transaction is already waiting to be committed.")
        }
        guard waiting.count < limits.txCountMax, bytes + encoded.count <= limits.bytesMax else {
            throw GovChainError(code: "mempool_full", message: "The node has too many waiting transactions; try again in a few seconds.")
        }
        guard transaction.hasValidSignature(chainId: rules.genesis.chainId) else {
            throw GovChainError(code: "invalid_signature", message: "The transaction's signature does not verify for its signer key on chain \(rules.genesis.chainId).")
        }
        try rules.apply(transaction, at: TransactionLocation(height: nextHeight, index: UInt32(waiting.count)), blockTime: now, to: &pending)
        waiting.append(transaction)
        ids.insert(id)
        bytes += encoded.count
        return transaction
    }

    /// Removes transactions that are now committed, and re-checks the rest against the new
    /// committed state, dropping those that no longer apply. Returns the dropped ones with reasons.
    mutating func update(committed: any LedgerStateReader, removing included: Set<Hash32>, nextHeight: Height, now: Timestamp) -> [(Transaction, GovChainError)] {
        let remaining = waiting.filter { !included.contains($0.id) }
        waiting = []
        ids = []
        bytes = 0
        pending = LedgerOverlay(base: committed)
        var dropped: [(Transaction, GovChainError)] = []
        for transaction in remaining {
            do {
                try rules.apply(transaction, at: TransactionLocation(height: nextHeight, index: UInt32(waiting.count)), blockTime: now, to: &pending)
                waiting.append(transaction)
                ids.insert(transaction.id)
                bytes += transaction.encoded.count
            } catch {
                dropped.append((transaction, error))
            }
        }
        return dropped
    }
}
