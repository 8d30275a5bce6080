import Foundation
import GovChainCore
import Synchronization

/// The append-only, hash-chained ledger on LevelDB.
///
/// Invariants:
/// - Blocks are stored at heights 1…head without gaps; each extends the one before it
///   (height, previous hash, strictly later time) and carries a commit that verifies against
///   the genesis validator set.
/// - One synced write batch per block holds the block, its commit and every index and state
///   change, so after a crash the store is before or after that block, never between.
/// - A store belongs to exactly one chain (chain id and genesis hash are checked on open).
package final class BlockStore: LedgerStateReader, Sendable {
    package static let schemaVersion: UInt32 = 1

    /// The latest stored block.
    package typealias Head = ChainTip

    package let genesis: Genesis
    /// The genesis's block rules, computed once.
    package let rules: BlockRules
    let db: LevelDB
    private let cachedHead: Mutex<Head?>

    /// Opens the store in `directory`, creating it for `genesis` if it does not exist yet.
    package init(directory: String, genesis: Genesis) throws(GovChainError) {
        self.genesis = genesis
        rules = BlockRules(genesis: genesis)
        let fresh = try Self.checkDirectory(directory)
        db = try LevelDB(path: directory, create: fresh)
        if try db.get(StoreKey.chainId) == nil {
            guard try db.scan(prefix: [], limit: 1).isEmpty else {
                throw GovChainError(
                    code: .storeNotGovchain, message: "\(directory) is a LevelDB database but not a GovChain ledger.")
            }
            try Self.initialise(db, genesis: genesis)
        }
        try Self.checkIdentity(db, genesis: genesis, directory: directory)
        cachedHead = Mutex(nil)
        let head = try loadHead()
        cachedHead.withLock { $0 = head }
    }

    package var head: Head? { cachedHead.withLock { $0 } }

    /// The height of the latest block, 0 before the first.
    package var height: Height { head?.height ?? 0 }

    // MARK: - Append

    /// Appends `block`, finalised by `commit`, with the state changes its execution produced.
    /// Refuses anything that does not extend the head; nothing is written on refusal.
    package func append(
        _ block: Block, commit: Commit, changes: LedgerOverlay, commitVerified: Bool = false
    ) throws(GovChainError) {
        let head = self.head
        let header = block.header
        // The store's own integrity gate: linkage, limits, time order. The clock bound was
        // judged by the validators before they signed the commit.
        do {
            try rules.checkExtends(block, tip: head, localTime: nil)
        } catch {
            throw GovChainError(
                code: .storeRefused, message: "Block \(header.height) cannot be appended: \(error.message)",
                cause: error.code.rawValue)
        }
        for evidence in block.evidence where try hasEvidence(evidence) {
            throw GovChainError(
                code: .storeRefused,
                message: "Block \(header.height) records an equivocation already recorded in an earlier block.")
        }
        try block.validateBasic()
        // The last commit was judged with the block (`ChainExecutor.execute`); the block's own commit is
        // what makes it final, so the store checks it unless the caller just did.
        if !commitVerified {
            try commit.verify(
                blockHash: block.hash, height: header.height, validators: genesis.validators, chainId: genesis.chainId)
        }
        // Paired facts: the changes are this block's, one location per transaction.
        precondition(
            changes.transactions.count == block.transactions.count
                && block.transactions.enumerated().allSatisfy {
                    changes.transactions[$1.id] == TransactionLocation(height: header.height, index: UInt32($0))
                },
            "state changes do not belong to block \(header.height)")

        var batch = WriteBatch()
        let hash = block.hash
        batch.put(StoreKey.block(header.height), block.encoded)
        batch.put(StoreKey.commit(header.height), commit.encoded)
        batch.put(StoreKey.blockHash(hash), StoreKey.bigEndian(header.height.rawValue))
        Self.addChanges(changes, to: &batch)
        for evidence in block.evidence {
            batch.put(StoreKey.evidence(evidence.slot), StoreKey.bigEndian(header.height.rawValue))
        }
        batch.put(StoreKey.head, StoreKey.bigEndian(header.height.rawValue))
        try db.write(batch, sync: true)
        cachedHead.withLock { $0 = Head(height: header.height, hash: hash, time: header.time) }
    }

    static func addChanges(_ changes: LedgerOverlay, to batch: inout WriteBatch) {
        for (id, location) in changes.transactions { batch.put(StoreKey.transaction(id), location.encoded) }
        for (hash, record) in changes.documents { batch.put(StoreKey.document(hash), record.encoded) }
        for (key, record) in changes.clerks {
            batch.put(StoreKey.clerk(key), record.encoded)
            batch.put(StoreKey.authorityClerk(record.authority, key), [])
        }
    }

    // MARK: - Reads

    package func block(at height: Height) throws(GovChainError) -> Block? {
        guard let bytes = try db.get(StoreKey.block(height)) else { return nil }
        do { return try Block(decoding: bytes) } catch { throw Self.corrupt("block \(height)", error) }
    }

    /// The commit that finalised the block at `height`.
    package func commit(at height: Height) throws(GovChainError) -> Commit? {
        guard let bytes = try db.get(StoreKey.commit(height)) else { return nil }
        do { return try Commit(decoding: bytes) } catch { throw Self.corrupt("commit \(height)", error) }
    }

    /// True when an earlier block already recorded this equivocation (same validator, height,
    /// round and vote type).
    package func hasEvidence(_ evidence: DuplicateVoteEvidence) throws(GovChainError) -> Bool {
        try db.get(StoreKey.evidence(evidence.slot)) != nil
    }

    package func height(ofBlock hash: Hash32) throws(GovChainError) -> Height? {
        guard let bytes = try db.get(StoreKey.blockHash(hash)) else { return nil }
        return try Self.decodeHeight(bytes, "block index")
    }

    package func document(_ hash: Hash32) throws(GovChainError) -> DocumentRecord? {
        guard let bytes = try db.get(StoreKey.document(hash)) else { return nil }
        do { return try DocumentRecord(decoding: bytes) } catch { throw Self.corrupt("document \(hash)", error) }
    }

    package func clerk(_ key: PublicKey) throws(GovChainError) -> ClerkRecord? {
        guard let bytes = try db.get(StoreKey.clerk(key)) else { return nil }
        do { return try ClerkRecord(decoding: bytes) } catch { throw Self.corrupt("clerk \(key)", error) }
    }

    package func transactionLocation(_ id: Hash32) throws(GovChainError) -> TransactionLocation? {
        guard let bytes = try db.get(StoreKey.transaction(id)) else { return nil }
        do { return try TransactionLocation(decoding: bytes) } catch { throw Self.corrupt("transaction \(id)", error) }
    }

    /// The transaction with id `id`, with its location, if it is in a stored block.
    package func transaction(_ id: Hash32) throws(GovChainError) -> (Transaction, TransactionLocation)? {
        guard let location = try transactionLocation(id), let block = try block(at: location.height),
            Int(location.index) < block.transactions.count
        else { return nil }
        return (block.transactions[Int(location.index)], location)
    }

    /// Every clerk an authority registered (active or revoked), at most `limit`.
    package func clerks(of authority: Code, limit: Int = 1000) throws(GovChainError) -> [ClerkRecord] {
        var records: [ClerkRecord] = []
        for entry in try db.scan(prefix: StoreKey.authorityClerks(authority), limit: limit) {
            let keyBytes = Array(entry.key.suffix(PublicKey.byteCount))
            if let key = PublicKey(keyBytes), let record = try clerk(key) { records.append(record) }
        }
        return records
    }

    // MARK: - Metadata for other modules

    package func metadata(_ name: String) throws(GovChainError) -> [UInt8]? { try db.get(StoreKey.meta(name)) }

    /// Writes a metadata value durably (fsync) before returning.
    package func setMetadata(_ name: String, _ value: [UInt8]) throws(GovChainError) {
        var batch = WriteBatch()
        batch.put(StoreKey.meta(name), value)
        try db.write(batch, sync: true)
    }
}
