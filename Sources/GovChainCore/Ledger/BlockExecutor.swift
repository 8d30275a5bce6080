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
        try rules.endBlock(height: block.header.height, state: &state)
        return state
    }

    /// Throws `block_state_root` unless the header carries the root `state` computed.
    package static func checkStateRoot(of block: Block, _ state: LedgerStateTree.Update) throws(GovChainError) {
        guard state.root == block.header.stateRoot else {
            throw GovChainError(
                code: .blockStateRoot,
                message:
                    "Block \(block.header.height) claims state root \(block.header.stateRoot.hex.prefix(16))…, but its transactions produce \(state.root.hex.prefix(16))…."
            )
        }
    }

    /// `block` with the state root its transactions produce on `parentRoot` in its header, and
    /// its effects: how tools and tests seal a block they assembled with `Block.make` (the node
    /// builds its proposals in `ChainExecutor.build`). Throws when a transaction does not apply.
    package func seal(
        _ block: Block, over base: any LedgerStateReader, parentRoot: SparseMerkleTree.Link,
        nodes: any MerkleNodeReader, signaturesVerified: Bool = false
    ) throws(GovChainError) -> (Block, ExecutedBlock) {
        let changes = try execute(block, over: base, isVerified: { _ in signaturesVerified })
        let state = try LedgerStateTree.update(
            root: parentRoot, version: block.header.height.rawValue, reader: nodes, changes: changes)
        var sealed = block
        sealed.header.stateRoot = state.root
        return (sealed, ExecutedBlock(changes: changes, state: state))
    }
}

/// A block's effects: the record changes and the state tree after it.
package struct ExecutedBlock {
    package var changes: LedgerOverlay
    package var state: LedgerStateTree.Update

    package init(changes: LedgerOverlay, state: LedgerStateTree.Update) {
        self.changes = changes
        self.state = state
    }
}
