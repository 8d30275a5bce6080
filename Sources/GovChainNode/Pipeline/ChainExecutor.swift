import Foundation
import GovChainCore
import GovChainStorage
import Logging
import Synchronization

/// The last two stages of the path API → mempool → consensus → executor → store: builds blocks
/// from the candidates it is handed, validates proposed blocks, and executes and stores decided
/// ones. The single writer of the store.
///
/// It reads nothing upstream: candidates arrive as arguments, and what a stored block means for
/// the mempool and for API waiters leaves through `onCommitted`, the store's commit feed.
package actor ChainExecutor {
    package nonisolated let genesis: Genesis
    package nonisolated let store: BlockStore
    private let key: SigningKey
    /// This validator's public key.
    package nonisolated var publicKey: PublicKey { key.publicKey }
    private let validatorIndex: ValidatorIndex
    private let executor: BlockExecutor
    private let rules: BlockRules
    /// The state changes of the block executed last, by block hash and parent hash: a block is
    /// executed when proposed or validated and again when committed; the changes depend only on
    /// the block and its parent state, so the second time reuses the first.
    private var lastExecution: (block: Hash32, parent: Hash32?, executed: ExecutedBlock)?
    package nonisolated let logger: Logger
    private let clock: @Sendable () -> Timestamp
    /// Transactions whose signature this node already checked (the mempool fills it).
    private let verifiedTransactions: VerifiedSignatures
    private let signatureCheck: @Sendable (PublicKey, Signature, [UInt8]) -> Bool
    /// Told of every stored block, with the round its commit was decided in and how long the
    /// synced write took (metrics).
    private let onCommitted: @Sendable (Block, Round, Duration) -> Void
    /// How long the last `execute` spent on ledger rules and on the state tree, and how many tree
    /// nodes it read from LevelDB (for the log).
    private var timing: (rules: Duration, state: Duration, reads: UInt64) = (.zero, .zero, 0)
    /// Milliseconds per transaction to execute and store a block (rules, state tree, append),
    /// averaged over recent blocks of at least `paceSampleTxsMin` transactions; nil until measured.
    private let msPerTransaction = Mutex<Double?>(nil)
    private static let paceSampleTxsMin = 50

    init(
        store: BlockStore, key: SigningKey, validatorIndex: ValidatorIndex, verifiedTransactions: VerifiedSignatures,
        signatureCheck: @escaping @Sendable (PublicKey, Signature, [UInt8]) -> Bool,
        clock: @escaping @Sendable () -> Timestamp, logger: Logger,
        onCommitted: @escaping @Sendable (Block, Round, Duration) -> Void
    ) {
        genesis = store.genesis
        self.store = store
        self.key = key
        self.validatorIndex = validatorIndex
        executor = BlockExecutor(rules: LedgerRules(genesis: store.genesis))
        rules = store.rules
        self.verifiedTransactions = verifiedTransactions
        self.signatureCheck = signatureCheck
        self.clock = clock
        self.logger = logger
        self.onCommitted = onCommitted
    }

    // MARK: - Building

    /// A block to propose at `height` (for the consensus driver) from `candidates`, oldest first.
    package func proposal(
        height: Height, proposer: ValidatorIndex, evidence: [DuplicateVoteEvidence], candidates: [Transaction]
    ) throws(GovChainError) -> Block {
        try build(height: height, proposer: proposer, evidence: evidence, candidates: candidates).0
    }

    /// Makes, signs, executes and stores one block (solo mode: this validator holds more than two
    /// thirds of the power, so its own precommit is the commit).
    package func produce(candidates: [Transaction]) throws(GovChainError) {
        let height = store.height.next
        let (block, executed) = try build(
            height: height, proposer: validatorIndex, evidence: [], candidates: candidates)
        let precommit = Vote.sign(
            type: .precommit, height: height, round: 0, block: block.hash, validator: validatorIndex,
            chainId: genesis.chainId, key: key)
        try persist(block, commit: Commit(precommits: [precommit]), executed: executed)
    }

    /// A block at `height` from the candidates that apply, in order, on the committed state, with
    /// the state changes it makes and the state root they produce (in its header). Throws (never traps) when the head moved past `height`
    /// meanwhile, e.g. a synced block arrived first.
    func build(
        height: Height, proposer: ValidatorIndex, evidence: [DuplicateVoteEvidence], candidates: [Transaction]
    ) throws(GovChainError) -> (Block, ExecutedBlock) {
        let head = store.head
        guard height == store.height.next else {
            throw GovChainError(
                code: .proposalStale,
                message: "No block to build at height \(height): the ledger is at \(store.height).")
        }
        let time = try rules.nextTime(after: head, localTime: clock())
        let lastCommit: Commit? = try head.flatMap { head throws(GovChainError) in try store.commit(at: head.height) }
        // Room for the header, the last commit and the evidence, then transactions up to the limit.
        let overhead =
            512 + (lastCommit?.encoded.count ?? 0)
            + evidence.reduce(0) { $0 + $1.first.encoded.count + $1.second.encoded.count }
        let budget = genesis.consensus.blockBytesMax - overhead
        let started = ContinuousClock.now
        var changes = LedgerOverlay(base: store)
        var included: [Transaction] = []
        var blockBytes = 0
        for transaction in candidates {
            let size = transaction.encoded.count + 4
            guard included.count < genesis.consensus.blockTxsMax, blockBytes + size <= budget else { break }
            // Admission checked signatures and rules; rules run again against the exact block
            // context so the stored changes are this block's.
            do {
                try executor.rules.apply(
                    transaction, at: TransactionLocation(height: height, index: UInt32(included.count)),
                    blockTime: time, to: &changes)
            } catch {
                continue
            }
            included.append(transaction)
            blockBytes += size
        }
        try executor.rules.endBlock(height: height, state: &changes)
        let state = try stateUpdate(changes, rulesStarted: started)
        let signers = try store.signers()
        let block = Block.make(
            chainId: genesis.chainId, height: height, time: time, previousHash: head?.hash ?? .zero,
            lastCommit: lastCommit, transactions: included, validators: signers.current,
            proposer: proposer, evidence: evidence, stateRoot: state.root, nextValidatorsHash: signers.nextHash)
        let executed = ExecutedBlock(changes: changes, state: state)
        lastExecution = (block.hash, head?.hash, executed)
        return (block, executed)
    }

    // MARK: - Validating and storing

    /// The effects of a block proposed by a peer, or the reason it is invalid: it must extend the
    /// head (`BlockRules`: linkage, limits, a time within the drift of this node's clock), carry a
    /// verifying last commit and new, verifying evidence, every transaction must be validly
    /// signed and apply, and its state root must be the one they produce.
    ///
    /// - Parameter finalised: the block carries a commit of more than two thirds of the power
    ///   (decided or synced). Its time was judged against their clocks when they prevoted, so this
    ///   node's clock no longer matters: a node whose clock lags must still store the chain.
    package func execute(_ block: Block, finalised: Bool = false) throws(GovChainError) -> ExecutedBlock {
        let head = store.head
        if let cached = lastExecution, cached.block == block.hash, cached.parent == head?.hash {
            return cached.executed
        }
        let signers = try store.signers()
        try rules.checkExtends(block, tip: head, localTime: finalised ? nil : clock(), signers: signers)
        if let lastCommit = block.lastCommit, let head {
            try lastCommit.verify(
                blockHash: head.hash, height: head.height, validators: try validators(at: head.height),
                chainId: genesis.chainId, isValid: signatureCheck)
        }
        for evidence in block.evidence {
            guard try !store.hasEvidence(evidence) else {
                throw GovChainError(
                    code: .blockEvidenceInvalid,
                    message: "Block \(block.header.height) records an equivocation already on the chain.")
            }
            try evidence.verify(validators: try validators(at: evidence.height), chainId: genesis.chainId)
        }
        // Transactions this node admitted or saw before were verified then; others are now.
        let verified = verifiedTransactions
        let started = ContinuousClock.now
        let changes = try executor.execute(block, over: store, isVerified: { verified.contains($0.id) })
        let state = try stateUpdate(changes, rulesStarted: started)
        try BlockExecutor.checkStateRoot(of: block, state)
        let executed = ExecutedBlock(changes: changes, state: state)
        verified.insert(block.transactions.lazy.map(\.id))
        lastExecution = (block.hash, head?.hash, executed)
        return executed
    }

    /// The state tree after `changes` on top of the head, noting in `timing` how long the rules
    /// (since `rulesStarted`) and the tree took and how many nodes it read from LevelDB.
    private func stateUpdate(
        _ changes: LedgerOverlay, rulesStarted: ContinuousClock.Instant
    ) throws(GovChainError) -> LedgerStateTree.Update {
        let ruled = ContinuousClock.now
        let readsBefore = store.stateNodeReads
        let state = try store.nextState(after: changes)
        timing = (ruled - rulesStarted, ContinuousClock.now - ruled, store.stateNodeReads &- readsBefore)
        return state
    }

    /// The set that signs the block at `height` (at most one past the head).
    package nonisolated func validators(at height: Height) throws(GovChainError) -> ValidatorSet {
        guard let set = try store.validatorSet(at: height) else {
            throw GovChainError(
                code: .blockUnknown, message: "No validator set is known for height \(height) (beyond the head).")
        }
        return set
    }

    /// Whether a proposed block extends the head and every transaction in it applies.
    package func isValid(_ block: Block) -> Result<Void, GovChainError> {
        do {
            _ = try execute(block)
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// Stores a decided (or synced) block with its commit. The commit is checked first: it costs
    /// a few signatures, the transactions may cost thousands, and a block without a valid commit
    /// is refused before any of them is looked at.
    package func commit(_ block: Block, commit: Commit) throws(GovChainError) {
        try commit.verify(
            blockHash: block.hash, height: block.header.height, validators: try validators(at: block.header.height),
            chainId: genesis.chainId, isValid: signatureCheck)
        try persist(block, commit: commit, executed: try execute(block, finalised: true), commitVerified: true)
    }

    /// How many transactions a block this node builds should hold at most: as many as the
    /// validators execute in half the propose timeout at the pace measured here (every validator
    /// runs the same code on similar machines), never fewer than 100, never more than the genesis
    /// allows. Blocks beyond that made heights outlast their timeouts under load: rounds failed,
    /// blocks grew further, and throughput collapsed (issue 12).
    package nonisolated var blockTransactionsTarget: Int {
        Self.blockTarget(
            limit: genesis.consensus.blockTxsMax, timeoutProposeMs: genesis.consensus.timeoutProposeMs,
            msPerTransaction: msPerTransaction.withLock { $0 })
    }

    /// `blockTransactionsTarget` as a pure function of the limit, the timeout and the pace.
    static func blockTarget(limit: Int, timeoutProposeMs: UInt64, msPerTransaction pace: Double?) -> Int {
        guard let pace, pace > 0, pace.isFinite else { return limit }
        let fits = Double(timeoutProposeMs) / 2 / pace
        return fits >= Double(limit) ? limit : min(limit, max(100, Int(fits)))
    }

    /// The measured pace (milliseconds per transaction), for status and tests.
    package nonisolated var measuredMsPerTransaction: Double? { msPerTransaction.withLock { $0 } }

    private func persist(
        _ block: Block, commit: Commit, executed: ExecutedBlock, commitVerified: Bool = false
    ) throws(GovChainError) {
        let started = ContinuousClock.now
        try store.append(block, commit: commit, executed: executed, commitVerified: commitVerified)
        let appended = ContinuousClock.now - started
        let count = block.transactions.count
        if count >= Self.paceSampleTxsMin {
            let sample = (timing.rules + timing.state + appended) / .milliseconds(1) / Double(count)
            msPerTransaction.withLock { pace in pace = pace.map { $0 + 0.3 * (sample - $0) } ?? sample }
        }
        logger.info(
            "committed block",
            metadata: [
                "block.height": "\(block.header.height)", "block.txs": "\(block.transactions.count)",
                "block.hash": "\(block.hash.hex.prefix(16))", "time.rules": "\(timing.rules)",
                "time.state": "\(timing.state)", "time.append": "\(appended)",
                "state.nodes": "\(executed.state.nodes.count)", "state.reads": "\(timing.reads)",
            ])
        onCommitted(block, commit.round, appended)
    }
}
