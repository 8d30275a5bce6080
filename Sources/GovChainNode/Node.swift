import Foundation
import GovChainCore
import GovChainStorage
import Logging
import Synchronization

/// One GovChain node, wired as a one-way path:
///
///     API ──submit──▶ MempoolService ──candidates──▶ producer (consensus or solo)
///         ──decided block──▶ ChainExecutor ──append──▶ BlockStore
///                                 │
///                                 └─ commit feed ─▶ mempool eviction, API commit waiters
///
/// `Node` only builds and holds the parts; each part is used directly by its callers (the API
/// by `mempool` and `waiters`, the consensus driver and the solo producer by `mempool` for
/// candidates and `chain` for everything that touches the ledger). Nothing downstream calls back
/// upstream: the commit feed is the only edge out of the store, and it carries stored blocks.
package final class Node: Sendable {
    package let name: String
    package let genesis: Genesis
    /// Read-only for everyone but `chain`.
    package let store: BlockStore
    package let mempool: MempoolService
    package let chain: ChainExecutor
    package let waiters: CommitWaiters
    /// Consensus messages whose signature the inbound verifiers checked (key ‖ signature ‖ bytes),
    /// so a commit made of precommits this node already saw as votes costs no Ed25519 check again.
    let verifiedMessages: VerifiedSignatures
    /// Counters and gauges served at `GET /metrics`.
    package let metrics: NodeMetrics
    /// The validator sets of the next two heights (governance may change them).
    package let validators: ActiveValidators
    /// Told when a stored block changed the validator sets (the peer network follows them).
    private let onValidatorsChanged = Listener()

    private final class Listener: Sendable {
        let body = Mutex<(@Sendable (ActiveValidators.Snapshot) -> Void)?>(nil)
    }

    /// Sets what is told when a stored block changed the validator sets.
    package func setOnValidatorsChanged(_ body: @escaping @Sendable (ActiveValidators.Snapshot) -> Void) {
        onValidatorsChanged.body.withLock { $0 = body }
    }

    /// A signature check that trusts `verifiedMessages` and verifies everything else: what the
    /// consensus instance (our own messages, replays after a restart) and commits use.
    var cachedSignatureCheck: @Sendable (PublicKey, Signature, [UInt8]) -> Bool {
        Self.signatureCheck(trusting: verifiedMessages)
    }

    private static func signatureCheck(
        trusting cache: VerifiedSignatures
    ) -> @Sendable (PublicKey, Signature, [UInt8]) -> Bool {
        { key, signature, bytes in
            cache.contains(VerifiedSignatures.messageKey(key, signature, bytes))
                || key.isValidSignature(signature, for: bytes)
        }
    }

    /// - Parameter solo: the node commits blocks alone (it must hold more than two thirds of the
    ///   power); otherwise a `ConsensusDriver` decides blocks with the other validators.
    package init(
        name: String, genesis: Genesis, store: BlockStore, key: SigningKey, limits: (txCountMax: Int, bytesMax: Int),
        admissionWaitMsMax: UInt64 = MempoolService.admissionWaitMsMaxDefault, solo: Bool, logger: Logger,
        metrics: NodeMetrics = NodeMetrics(), clock: @escaping @Sendable () -> Timestamp = Node.systemClock
    ) throws(GovChainError) {
        let validators = try ActiveValidators(store: store)
        let current = validators.snapshot
        let index = current.current.index(of: key.publicKey) ?? current.next.index(of: key.publicKey)
        // A node whose key is in neither set follows the chain and signs once governance admits
        // it (docs/GOVERNANCE.md, "Joining"); a node that commits alone must be in the set.
        guard index != nil || (!solo && genesis.validators.count > 1) else {
            throw GovChainError(
                code: .notAValidator,
                message: "The validator key of node \(name) is not listed among the genesis validators.")
        }
        let signing = current.current
        if solo, let validator = index.flatMap({ signing[$0] }), validator.power < signing.quorumPower {
            throw GovChainError(
                code: .cannotCommitAlone,
                message:
                    "\(validator.name) holds \(validator.power) of \(signing.totalPower) voting power; this node commits blocks alone only when it holds more than two thirds. Multi-validator networks need the peer network (docs/ARCHITECTURE.md)."
            )
        }
        self.validators = validators
        let onChanged = onValidatorsChanged
        self.name = name
        self.genesis = genesis
        self.store = store
        let verifiedTransactions = VerifiedSignatures()
        self.metrics = metrics
        let mempool = MempoolService(
            store: store, limits: .init(txCountMax: limits.txCountMax, bytesMax: limits.bytesMax),
            verified: verifiedTransactions, admissionWaitMsMax: admissionWaitMsMax, metrics: metrics, clock: clock)
        let waiters = CommitWaiters(store: store)
        let verifiedMessages = VerifiedSignatures(capacity: 100_000)
        self.verifiedMessages = verifiedMessages
        self.mempool = mempool
        self.waiters = waiters
        chain = ChainExecutor(
            store: store, key: key, validatorIndex: index ?? ValidatorIndex(0),
            verifiedTransactions: verifiedTransactions,
            signatureCheck: Self.signatureCheck(trusting: verifiedMessages), clock: clock, logger: logger,
            onCommitted: { block, round, append in
                metrics.committed(block, round: UInt32(clamping: round.rawValue), append: append)
                let dropped = mempool.removeCommitted(block)
                for (transaction, error) in dropped {
                    logger.warning(
                        "dropped waiting transaction",
                        metadata: ["tx.hash": "\(transaction.id.hex)", "error.code": "\(error.code)"])
                }
                waiters.resume(block)
                waiters.fail(dropped)
                if let (snapshot, changed) = try? validators.refresh(), changed {
                    logger.notice(
                        "validator sets change",
                        metadata: [
                            "block.height": "\(block.header.height)",
                            "validators.current": "\(snapshot.current.validators.map(\.name))",
                            "validators.next": "\(snapshot.next.validators.map(\.name))",
                        ])
                    onChanged.body.withLock { $0 }?(snapshot)
                }
            })
    }

    package static let systemClock: @Sendable () -> Timestamp = {
        Timestamp(millisecondsSince1970: UInt64(Date().timeIntervalSince1970 * 1000))
    }

    /// How many waiting transactions a block builder is handed: the executor's block target
    /// (`ChainExecutor.blockTransactionsTarget`); at the genesis limit, twice that, as room for
    /// candidates that no longer apply and are skipped.
    var candidateCountMax: Int {
        let target = chain.blockTransactionsTarget
        return target < genesis.consensus.blockTxsMax ? target : target * 2
    }
}
