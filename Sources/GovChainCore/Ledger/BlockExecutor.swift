/// Executes a whole block against the state: `apply(state, block) -> state'` of design §3.
///
/// A block is valid only if every transaction in it is: proposers include only transactions
/// that apply, and a block with a refused transaction is refused whole.
package struct BlockExecutor: Sendable {
    package let rules: LedgerRules

    package init(rules: LedgerRules) { self.rules = rules }

    /// The state changes of `block` over `base`.
    /// - Parameter signaturesVerified: true when every transaction's signature was already
    ///   checked (e.g. at mempool admission); otherwise each is verified here.
    package func execute(
        _ block: Block, over base: any LedgerStateReader, signaturesVerified: Bool
    ) throws(GovChainError) -> LedgerOverlay {
        try execute(block, over: base, isVerified: { _ in signaturesVerified })
    }

    /// The state changes of `block` over `base`, verifying the signature of every transaction
    /// for which `isVerified` is false (those already checked at admission are not checked again).
    package func execute(
        _ block: Block, over base: any LedgerStateReader, isVerified: (Transaction) -> Bool
    ) throws(GovChainError) -> LedgerOverlay {
        try block.validateBasic()
        var state = LedgerOverlay(base: base)
        for (index, transaction) in block.transactions.enumerated() {
            if !isVerified(transaction) && !transaction.hasValidSignature(chainId: rules.genesis.chainId) {
                throw GovChainError(
                    code: .blockBadTransaction,
                    message: "Block \(block.header.height), transaction \(index): the signature is invalid.")
            }
            do {
                try rules.apply(
                    transaction, at: TransactionLocation(height: block.header.height, index: UInt32(index)),
                    blockTime: block.header.time, to: &state)
            } catch {
                throw GovChainError(
                    code: .blockBadTransaction,
                    message: "Block \(block.header.height), transaction \(index) is refused: \(error.message)")
            }
        }
        return state
    }
}
