import Foundation
import GovChainCore
import GovChainStorage
import Logging

/// One GovChain node: the single owner of the mempool and of block production.
///
/// Every input (a submitted transaction, "produce a block now") is serialised through this actor.
/// For a single validator holding more than two thirds of the voting power, a block is final as
/// soon as that validator's precommit is stored with it, so the node commits on its own (the
/// `SoloProducer`); the multi-validator consensus driver replaces exactly that part.
package actor Node {
    package nonisolated let name: String
    package nonisolated let genesis: Genesis
    package nonisolated let store: BlockStore
    private let key: SigningKey
    private let validatorIndex: ValidatorIndex
    private let executor: BlockExecutor
    private let rules: BlockRules
    private var mempool: Mempool
    private var waiters: [Hash32: [(UUID, CheckedContinuation<TransactionLocation, any Error>)]] = [:]
    /// The state changes of the block executed last, by block hash and parent hash: a block is
    /// executed when proposed or validated and again when committed; the changes depend only on
    /// the block and its parent state, so the second time reuses the first.
    private var lastExecution: (block: Hash32, parent: Hash32?, changes: LedgerOverlay)?
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let wake: AsyncStream<Void>.Continuation
    /// Signals that transactions wait; the producer loop consumes it.
    package nonisolated let wakeups: AsyncStream<Void>
    /// Transactions whose signature this node already checked.
    nonisolated let verified = VerifiedSignatures()
    /// Consensus messages whose signature the inbound verifiers checked (key ‖ signature ‖ bytes),
    /// so a commit made of precommits this node already saw as votes costs no Ed25519 check again.
    nonisolated let verifiedMessages = VerifiedSignatures(capacity: 100_000)

    /// A signature check that trusts `verifiedMessages` and verifies everything else: what the
    /// consensus instance (our own messages, replays after a restart) and commits use.
    nonisolated var cachedSignatureCheck: @Sendable (PublicKey, Signature, [UInt8]) -> Bool {
        let cache = verifiedMessages
        return { key, signature, bytes in
            cache.contains(VerifiedSignatures.messageKey(key, signature, bytes))
                || key.isValidSignature(signature, for: bytes)
        }
    }

    /// - Parameter solo: the node commits blocks alone (it must hold more than two thirds of the
    ///   power); otherwise a `ConsensusDriver` decides blocks with the other validators.
    package init(
        name: String, genesis: Genesis, store: BlockStore, key: SigningKey, limits: (txCountMax: Int, bytesMax: Int),
        solo: Bool, logger: Logger, clock: @escaping @Sendable () -> Timestamp = Node.systemClock
    ) throws(GovChainError) {
        guard let index = genesis.validators.index(of: key.publicKey), let validator = genesis.validators[index] else {
            throw GovChainError(
                code: .notAValidator,
                message: "The validator key of node \(name) is not listed among the genesis validators.")
        }
        guard !solo || validator.power >= genesis.validators.quorumPower else {
            throw GovChainError(
                code: .cannotCommitAlone,
                message:
                    "\(validator.name) holds \(validator.power) of \(genesis.validators.totalPower) voting power; this node commits blocks alone only when it holds more than two thirds. Multi-validator networks need the peer network (docs/ARCHITECTURE.md)."
            )
        }
        self.name = name
        self.genesis = genesis
        self.store = store
        self.key = key
        validatorIndex = index
        let rules = LedgerRules(genesis: genesis)
        executor = BlockExecutor(rules: rules)
        self.rules = store.rules
        mempool = Mempool(
            limits: .init(txCountMax: limits.txCountMax, bytesMax: limits.bytesMax), rules: rules, committed: store)
        self.logger = logger
        self.clock = clock
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    package static let systemClock: @Sendable () -> Timestamp = {
        Timestamp(millisecondsSince1970: UInt64(Date().timeIntervalSince1970 * 1000))
    }

    package var mempoolCount: Int { mempool.count }

    // MARK: - Submission

    /// Called with every transaction admitted through `submit` (the network gossips it on).
    private var onAdmitted: (@Sendable ([UInt8]) -> Void)?

    package func setOnAdmitted(_ callback: @escaping @Sendable ([UInt8]) -> Void) { onAdmitted = callback }

    /// Admits an encoded transaction to the mempool, or throws why not. With `gossip`, the
    /// transaction is passed on to the other validators (one hop: every validator is a peer).
    package nonisolated func submit(_ encoded: [UInt8], gossip: Bool = true) async throws(GovChainError) -> Transaction
    {
        try await submitBatch([encoded], gossip: gossip)[0].get()
    }

    /// Admits many transactions with one hop onto this actor. Decoding and signature checks run
    /// first, in parallel and off the actor (they are stateless and the costly part); the actor
    /// then only applies limits, duplicates and rules. Results are in input order.
    package nonisolated func submitBatch(_ list: [[UInt8]], gossip: Bool) async -> [Result<Transaction, GovChainError>]
    {
        let chainId = genesis.chainId
        let prechecked = await Self.precheckInParallel(list, chainId: chainId, verified: verified)
        return await admit(prechecked, gossip: gossip)
    }

    private static func precheckInParallel(
        _ list: [[UInt8]], chainId: ChainID, verified: VerifiedSignatures
    ) async -> [Result<Transaction, GovChainError>] {
        let workers = list.count < 64 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        if workers == 1 {
            return list.map { bytes in
                Result { () throws(GovChainError) in try Mempool.precheck(bytes, chainId: chainId, verified: verified) }
            }
        }
        return await withTaskGroup(of: (Int, [Result<Transaction, GovChainError>]).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    (
                        worker,
                        stride(from: worker, to: list.count, by: workers).map { i in
                            Result { () throws(GovChainError) in
                                try Mempool.precheck(list[i], chainId: chainId, verified: verified)
                            }
                        }
                    )
                }
            }
            var parts = [[Result<Transaction, GovChainError>]](repeating: [], count: workers)
            for await (worker, part) in group { parts[worker] = part }
            return (0..<list.count).map { parts[$0 % workers][$0 / workers] }
        }
    }

    private func admit(
        _ prechecked: [Result<Transaction, GovChainError>], gossip: Bool
    ) -> [Result<Transaction, GovChainError>] {
        let now = clock()
        var admitted = false
        let results = prechecked.map { result -> Result<Transaction, GovChainError> in
            guard case .success(let transaction) = result else { return result }
            do throws(GovChainError) {
                if let location = try store.transactionLocation(transaction.id) {
                    throw GovChainError(
                        code: .transactionAlreadyApplied,
                        message: "This exact transaction was already committed in block \(location.height).")
                }
                try mempool.admit(checked: transaction, nextHeight: store.height.next, now: now)
                admitted = true
                if gossip { onAdmitted?(transaction.encoded) }
                return .success(transaction)
            } catch {
                return .failure(error)
            }
        }
        if admitted { wake.yield() }
        return results
    }

    /// Waits until the transaction `id` is committed, at most `timeoutMs`.
    package func waitForCommit(_ id: Hash32, timeoutMs: UInt64) async throws -> TransactionLocation {
        if let location = try store.transactionLocation(id) { return location }
        let token = UUID()
        return try await withCheckedThrowingContinuation { continuation in
            waiters[id, default: []].append((token, continuation))
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(timeoutMs))
                await self?.expire(id, token)
            }
        }
    }

    private func expire(_ id: Hash32, _ token: UUID) {
        guard var list = waiters[id], let position = list.firstIndex(where: { $0.0 == token }) else { return }
        let (_, continuation) = list.remove(at: position)
        waiters[id] = list.isEmpty ? nil : list
        continuation.resume(
            throwing: GovChainError(
                code: .commitTimeout,
                message: "The transaction is accepted but was not committed in time; query its status later."))
    }

    // MARK: - Block production

    /// Commits blocks until the mempool is empty.
    package func produceWhileWaiting() {
        while !mempool.isEmpty {
            do {
                try produceBlock()
            } catch {
                logger.error(
                    "block production failed",
                    metadata: ["error.code": "\(error.code)", "error.message": "\(error.message)"])
                return
            }
        }
    }

    /// Makes, signs, executes and stores one block from the head of the mempool (solo mode).
    func produceBlock() throws(GovChainError) {
        let height = store.height.next
        let (block, changes) = try buildBlock(height: height, proposer: validatorIndex, evidence: [])
        let precommit = Vote.sign(
            type: .precommit, height: height, round: 0, block: block.hash, validator: validatorIndex,
            chainId: genesis.chainId, key: key)
        try persist(block, commit: Commit(precommits: [precommit]), changes: changes)
    }

    /// A block at `height` from the head of the mempool, with the state changes it makes.
    /// Every transaction in it applies, in order, on the committed state. Throws (never traps)
    /// when the head moved past `height` meanwhile, e.g. a synced block arrived first.
    func buildBlock(
        height: Height, proposer: ValidatorIndex, evidence: [DuplicateVoteEvidence]
    ) throws(GovChainError) -> (Block, LedgerOverlay) {
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
        var changes = LedgerOverlay(base: store)
        var included: [Transaction] = []
        var blockBytes = 0
        for transaction in mempool.waiting {
            let size = transaction.encoded.count + 4
            guard included.count < genesis.consensus.blockTxsMax, blockBytes + size <= budget else { break }
            // Mempool admission already checked signatures and rules; rules run again against
            // the exact block context so the stored changes are this block's.
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
        let block = Block.make(
            chainId: genesis.chainId, height: height, time: time, previousHash: head?.hash ?? .zero,
            lastCommit: lastCommit, transactions: included, validators: genesis.validators,
            proposer: proposer, evidence: evidence)
        lastExecution = (block.hash, head?.hash, changes)
        return (block, changes)
    }

    /// The state changes of a block proposed by a peer, or the reason it is invalid: it must
    /// extend the head (`BlockRules`: linkage, limits, a time within the drift of this node's
    /// clock), carry a verifying last commit and new, verifying evidence, and every transaction
    /// must be validly signed and apply.
    ///
    /// - Parameter finalised: the block carries a commit of more than two thirds of the power
    ///   (decided or synced). Its time was judged against their clocks when they prevoted, so this
    ///   node's clock no longer matters: a node whose clock lags must still store the chain.
    package func execute(_ block: Block, finalised: Bool = false) throws(GovChainError) -> LedgerOverlay {
        let head = store.head
        if let cached = lastExecution, cached.block == block.hash, cached.parent == head?.hash {
            return cached.changes
        }
        try rules.checkExtends(block, tip: head, localTime: finalised ? nil : clock())
        if let lastCommit = block.lastCommit, let head {
            try lastCommit.verify(
                blockHash: head.hash, height: head.height, validators: genesis.validators, chainId: genesis.chainId,
                isValid: cachedSignatureCheck)
        }
        for evidence in block.evidence {
            guard try !store.hasEvidence(evidence) else {
                throw GovChainError(
                    code: .blockEvidenceInvalid,
                    message: "Block \(block.header.height) records an equivocation already on the chain.")
            }
            try evidence.verify(validators: genesis.validators, chainId: genesis.chainId)
        }
        // Transactions this node admitted or saw before were verified then; others are now.
        let admitted = mempool.ids
        let verified = self.verified
        let changes = try executor.execute(
            block, over: store, isVerified: { admitted.contains($0.id) || verified.contains($0.id) })
        verified.insert(block.transactions.lazy.map(\.id))
        lastExecution = (block.hash, head?.hash, changes)
        return changes
    }

    /// Stores a decided (or synced) block with its commit and resumes everyone waiting for it.
    /// The commit is checked first: it costs a few signatures, the transactions may cost
    /// thousands, and a block without a valid commit is refused before any of them is looked at.
    package func commit(_ block: Block, commit: Commit) throws(GovChainError) {
        try commit.verify(
            blockHash: block.hash, height: block.header.height, validators: genesis.validators,
            chainId: genesis.chainId,
            isValid: cachedSignatureCheck)
        try persist(block, commit: commit, changes: try execute(block, finalised: true), commitVerified: true)
    }

    private func persist(
        _ block: Block, commit: Commit, changes: LedgerOverlay, commitVerified: Bool = false
    ) throws(GovChainError) {
        let height = block.header.height
        try store.append(block, commit: commit, changes: changes, commitVerified: commitVerified)
        logger.info(
            "committed block",
            metadata: [
                "block.height": "\(height)", "block.txs": "\(block.transactions.count)",
                "block.hash": "\(block.hash.hex.prefix(16))",
            ])
        let dropped = mempool.update(
            committed: store, block: block.transactions, nextHeight: height.next, now: block.header.time)
        for (transaction, error) in dropped {
            logger.warning(
                "dropped waiting transaction",
                metadata: ["tx.hash": "\(transaction.id.hex)", "error.code": "\(error.code)"])
        }
        for (index, transaction) in block.transactions.enumerated() {
            guard let list = waiters.removeValue(forKey: transaction.id) else { continue }
            for (_, continuation) in list {
                continuation.resume(returning: TransactionLocation(height: height, index: UInt32(index)))
            }
        }
    }

    /// A block to propose at `height` (for the consensus driver).
    package func proposal(
        height: Height, proposer: ValidatorIndex, evidence: [DuplicateVoteEvidence]
    ) throws(GovChainError) -> Block {
        try buildBlock(height: height, proposer: proposer, evidence: evidence).0
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

    /// Commits an empty block (used by the optional empty-block interval).
    package func produceEmptyBlockIfIdle() {
        guard mempool.isEmpty else { return }
        do { try produceBlock() } catch {
            logger.error("empty block failed", metadata: ["error.message": "\(error.message)"])
        }
    }
}
