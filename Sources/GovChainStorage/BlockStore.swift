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
package final class BlockStore: LedgerStateReader, MerkleNodeReader, Sendable {
    /// 2: state tree nodes, records by value hash and headers by height (issue 9).
    /// 3: state tree nodes and records keyed by version (height) first (issue 12).
    package static let schemaVersion: UInt32 = 3

    /// The latest stored block.
    package typealias Head = ChainTip

    package let genesis: Genesis
    /// The genesis's block rules, computed once.
    package let rules: BlockRules
    let db: LevelDB
    /// The head with what the next block needs of governance, changed together by `append`.
    private let tip: Mutex<Tip>

    /// The head, the governance record after it (nil: never written; the genesis sets are in
    /// force) and the hash of the set that signed the head. Only `append` writes the record, so
    /// holding it here spares every block, proposal check and status read a LevelDB read.
    private struct Tip: Sendable {
        var head: Head?
        var schedule: ValidatorSchedule?
        var headValidators: Hash32
    }

    /// Validator sets read by hash: content-addressed and immutable, so never stale. Governance
    /// makes few; bounded all the same.
    private let setCache = Mutex<[Hash32: ValidatorSet]>([:])
    private static let setCacheCountMax = 64
    /// Recently read or written state tree nodes (`GenerationalCache`). A node at a link never
    /// changes, so a cached node is never stale; the upper levels, touched by every block, stay
    /// here. About 190 bytes per node: ≤ 76 MiB (measured: +38 MiB from 2 × 100 000 to
    /// 2 × 200 000, for a third fewer reads per anchor at 400 000 anchors; docs/OPERATIONS.md).
    private let nodeCache = Mutex(
        GenerationalCache<SparseMerkleTree.Link, SparseMerkleTree.Node>(generationCountMax: nodeCacheGenerationMax))
    package static let nodeCacheGenerationMax = 200_000
    /// State tree nodes read from LevelDB (cache misses) since the store opened, for the log.
    private let nodeReads = Atomic<UInt64>(0)
    package var stateNodeReads: UInt64 { nodeReads.load(ordering: .relaxed) }
    /// The root of the genesis state (before block 1).
    package let genesisStateRoot: Hash32
    /// How many heights of state stay provable behind the head (0: all). A node replaced by block
    /// h is deleted when block h + retention is stored, so every root at heights ≥ head − retention
    /// stays complete. Blocks, commits and current records are never pruned.
    package let stateRetentionHeights: UInt64
    /// Every node replaced at a height up to this one has been deleted (persisted with the
    /// batch that deleted them), whatever retention the node ran with then.
    private let prunedThrough = Mutex<Height>(0)
    /// Heights pruned per appended block at most, so catching up after the retention was lowered
    /// never makes one batch huge.
    static let pruneHeightsPerBlockMax: UInt64 = 16

    /// Opens the store in `directory`, creating it for `genesis` if it does not exist yet.
    package init(directory: String, genesis: Genesis, stateRetentionHeights: UInt64 = 0) throws(GovChainError) {
        self.genesis = genesis
        self.stateRetentionHeights = stateRetentionHeights
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
        guard let rootBytes = try db.get(StoreKey.genesisStateRoot), let root = Hash32(rootBytes) else {
            throw GovChainError(code: .storeCorrupt, message: "The ledger in \(directory) has no genesis state root.")
        }
        genesisStateRoot = root
        if let bytes = try db.get(StoreKey.statePrunedThrough) {
            let through = try Self.decodeHeight(bytes, "state pruning height")
            prunedThrough.withLock { $0 = through }
        }
        tip = Mutex(Tip(head: nil, schedule: nil, headValidators: genesis.validators.hash))
        let head = try loadHead()
        let schedule = try readValidatorSchedule()
        let headValidators = try head.flatMap { head throws(GovChainError) in try header(at: head.height) }?
            .validatorsHash
        tip.withLock {
            $0 = Tip(head: head, schedule: schedule, headValidators: headValidators ?? genesis.validators.hash)
        }
    }

    package var head: Head? { tip.withLock { $0.head } }

    /// The height of the latest block, 0 before the first.
    package var height: Height { head?.height ?? 0 }

    /// The state root at the head (the genesis state's before block 1).
    package var stateRoot: Hash32 { head?.stateRoot ?? genesisStateRoot }

    /// Where the head's state root is stored: every block writes its root at its own height
    /// (`SparseMerkleTree.set(_:)`), so the tree the next block updates.
    package var stateTreeRoot: SparseMerkleTree.Link { stateTreeHead.root }

    /// The head's state root and height, from one read of the head.
    private var stateTreeHead: (root: SparseMerkleTree.Link, height: UInt64) {
        let head = self.head
        let height = head?.height.rawValue ?? 0
        return (.root(head?.stateRoot ?? genesisStateRoot, version: height), height)
    }

    /// The state tree after `changes`, executed as the block after the head: on the head's root,
    /// new nodes at the next height (what `append` checks).
    package func nextState(after changes: LedgerOverlay) throws(GovChainError) -> LedgerStateTree.Update {
        let (root, height) = stateTreeHead
        #if GOVCHAIN_BENCH_WITHOUT_STATE_TREE
            #warning("GOVCHAIN_BENCH_WITHOUT_STATE_TREE: a benchmark build whose blocks carry no state tree")
            // Scripts/bench-state-cost's baseline (Package.swift): no tree, a zero root.
            _ = root
            return LedgerStateTree.Update(root: .zero, version: height + 1)
        #else
            return try LedgerStateTree.update(root: root, version: height + 1, reader: self, changes: changes)
        #endif
    }

    // MARK: - Append

    /// Appends `block`, finalised by `commit`, with the state changes its execution produced.
    /// Refuses anything that does not extend the head; nothing is written on refusal.
    package func append(
        _ block: Block, commit: Commit, executed: ExecutedBlock, commitVerified: Bool = false
    ) throws(GovChainError) {
        let changes = executed.changes
        let head = self.head
        let header = block.header
        let signers = try signers()
        // The store's own integrity gate: linkage, limits, time order. The clock bound was
        // judged by the validators before they signed the commit.
        do {
            try rules.checkExtends(block, tip: head, localTime: nil, signers: signers)
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
                blockHash: block.hash, height: header.height, validators: signers.current,
                chainId: genesis.chainId)
        }
        // Paired facts: the changes are this block's, one location per transaction.
        precondition(
            changes.transactions.count == block.transactions.count
                && block.transactions.enumerated().allSatisfy {
                    changes.transactions[$1.id] == TransactionLocation(height: header.height, index: UInt32($0))
                },
            "state changes do not belong to block \(header.height)")
        guard executed.state.version == header.height.rawValue else {
            throw GovChainError(
                code: .storeRefused,
                message:
                    "Block \(header.height) cannot be appended: its state tree was written at version \(executed.state.version), not at its height."
            )
        }
        guard executed.state.root == header.stateRoot else {
            throw GovChainError(
                code: .storeRefused,
                message: "Block \(header.height) cannot be appended: its state root is not the one its changes produce."
            )
        }

        var batch = WriteBatch()
        let hash = block.hash
        batch.put(StoreKey.block(header.height), block.encoded)
        batch.put(StoreKey.commit(header.height), commit.encoded)
        batch.put(StoreKey.header(header.height), header.encoded)
        if header.validatorsHash != tip.withLock({ $0.headValidators }) {
            batch.put(StoreKey.setChange(header.height), [])
        }
        batch.put(StoreKey.blockHash(hash), StoreKey.bigEndian(header.height.rawValue))
        Self.addChanges(changes, to: &batch)
        Self.addState(executed.state, to: &batch)
        if let carried = executed.state.carriedLeaf {
            guard let record = try stateRecord(carried.valueHash, version: carried.from) else {
                throw GovChainError(
                    code: .storeCorrupt,
                    message: "The record for state leaf \(carried.valueHash.hex) is missing from the store.")
            }
            batch.put(StoreKey.stateRecord(header.height.rawValue, carried.valueHash), record)
        }
        // The stale index exists only for pruning: without retention nothing is ever deleted.
        if stateRetentionHeights > 0 {
            for link in executed.state.replaced { batch.put(StoreKey.staleNode(header.height, link), []) }
        }
        let (pruned, through) = try prune(below: header.height, into: &batch)
        for evidence in block.evidence {
            batch.put(StoreKey.evidence(evidence.slot), StoreKey.bigEndian(header.height.rawValue))
        }
        batch.put(StoreKey.head, StoreKey.bigEndian(header.height.rawValue))
        try db.write(batch, sync: true)
        tip.withLock { tip in
            tip = Tip(
                head: Head(header), schedule: changes.schedule ?? tip.schedule, headValidators: header.validatorsHash)
        }
        if let schedule = changes.schedule { cache([schedule.next, schedule.afterNext]) }
        if let through { prunedThrough.withLock { $0 = through } }
        // The nodes just written are the top of the current tree, which the next block's update
        // and most proofs walk through. The ones they replaced only serve proofs at older heights:
        // dropped, they would otherwise fill about half the cache with versions nobody updates.
        let version = executed.state.version
        nodeCache.withLock { cache in
            for link in pruned { cache.remove(link) }
            for link in executed.state.replaced { cache.remove(link) }
            for (hash, node) in executed.state.nodes {
                cache.insert(SparseMerkleTree.Link(hash: hash, version: version), node)
            }
        }
    }

    /// The lowest height whose state can still be proven: 1 when nothing was pruned; else the
    /// higher of the pruning progress (the tree at that height lost nothing: only nodes replaced
    /// after it are gone) and `head − retention`.
    package var oldestProvableHeight: Height {
        let head = height.rawValue
        let policy = stateRetentionHeights > 0 && head > stateRetentionHeights ? head - stateRetentionHeights : 1
        return Height(max(1, prunedThrough.withLock { $0.rawValue }, policy))
    }

    /// Adds to `batch` the deletion of every node (and leaf record) replaced at the heights after
    /// the pruning progress up to `height − retention` (at most `pruneHeightsPerBlockMax` of them),
    /// and the new progress. Returns the deleted hashes and the new progress (nil: unchanged).
    private func prune(
        below height: Height, into batch: inout WriteBatch
    ) throws(GovChainError) -> ([SparseMerkleTree.Link], Height?) {
        guard stateRetentionHeights > 0, height.rawValue > stateRetentionHeights else { return ([], nil) }
        let target = height.rawValue - stateRetentionHeights
        let done = prunedThrough.withLock { $0.rawValue }
        guard target > done else { return ([], nil) }
        let last = min(target, done + Self.pruneHeightsPerBlockMax)
        var deleted: [SparseMerkleTree.Link] = []
        for pruned in (done + 1)...last {
            for entry in try db.scan(prefix: StoreKey.staleNodes(Height(pruned)), limit: Int.max) {
                guard let link = StoreKey.staleLink(entry.key) else { continue }
                if case .leaf(_, let valueHash)? = try merkleNode(link) {
                    batch.delete(StoreKey.stateRecord(link.version, valueHash))
                }
                batch.delete(StoreKey.stateNode(link))
                batch.delete(entry.key)
                deleted.append(link)
            }
        }
        batch.put(StoreKey.statePrunedThrough, StoreKey.bigEndian(last))
        return (deleted, Height(last))
    }

    static func addState(_ state: LedgerStateTree.Update, to batch: inout WriteBatch) {
        let version = state.version
        for (hash, node) in state.nodes {
            batch.put(StoreKey.stateNode(SparseMerkleTree.Link(hash: hash, version: version)), node.encoded)
        }
        // Every record is a leaf this update wrote, so it sits at the same version (the one leaf
        // rewritten without a new record, `carriedLeaf`, is copied by `append`).
        for (valueHash, record) in state.records { batch.put(StoreKey.stateRecord(version, valueHash), record) }
    }

    static func addChanges(_ changes: LedgerOverlay, to batch: inout WriteBatch) {
        for (id, location) in changes.transactions { batch.put(StoreKey.transaction(id), location.encoded) }
        for (hash, record) in changes.documents { batch.put(StoreKey.document(hash), record.encoded) }
        for (key, record) in changes.clerks {
            batch.put(StoreKey.clerk(key), record.encoded)
            batch.put(StoreKey.authorityClerk(record.authority, key), [])
        }
        for (treeKey, record) in LedgerStateTree.governanceEntries(changes) {
            batch.put(StoreKey.governance(treeKey), record)
        }
        if let schedule = changes.schedule {
            for set in [schedule.next, schedule.afterNext] { batch.put(StoreKey.validatorSet(set.hash), set.encoded) }
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

    /// The governance record after the head (held in memory; see `Tip`).
    package func validatorSchedule() throws(GovChainError) -> ValidatorSchedule? { tip.withLock { $0.schedule } }

    private func readValidatorSchedule() throws(GovChainError) -> ValidatorSchedule? {
        guard let bytes = try db.get(StoreKey.governance(LedgerStateTree.scheduleKey)) else { return nil }
        do { return try ValidatorSchedule(decoding: bytes) } catch { throw Self.corrupt("validator schedule", error) }
    }

    package func proposal(_ id: UInt64) throws(GovChainError) -> ProposalRecord? {
        guard let bytes = try db.get(StoreKey.governance(LedgerStateTree.key(proposal: id))) else { return nil }
        do { return try ProposalRecord(decoding: bytes) } catch { throw Self.corrupt("proposal \(id)", error) }
    }

    package func authorityRecord(_ id: Code) throws(GovChainError) -> AuthorityRecord? {
        guard let bytes = try db.get(StoreKey.governance(LedgerStateTree.key(authority: id))) else { return nil }
        do { return try AuthorityRecord(decoding: bytes) } catch { throw Self.corrupt("authority \(id)", error) }
    }

    /// The sets the block after the head must name (`BlockSigners`).
    package func signers() throws(GovChainError) -> BlockSigners {
        try validatorSchedule()?.signers ?? BlockSigners(genesis: genesis.validators)
    }

    /// The set that signed (or, up to two past the head, signs) the block at `height` ≥ 1.
    package func validatorSet(at height: Height) throws(GovChainError) -> ValidatorSet? {
        let (head, schedule, headValidators) = tip.withLock { ($0.head, $0.schedule, $0.headValidators) }
        let next = head?.height.next ?? 1
        if height == next { return schedule?.next ?? genesis.validators }
        if height == next.next { return schedule?.afterNext ?? genesis.validators }
        if height == head?.height { return try validatorSet(hash: headValidators) }
        guard let header = try header(at: height) else { return nil }
        return try validatorSet(hash: header.validatorsHash)
    }

    /// A set by its hash: the genesis set, or one governance made.
    package func validatorSet(hash: Hash32) throws(GovChainError) -> ValidatorSet? {
        if hash == genesis.validators.hash { return genesis.validators }
        if let set = setCache.withLock({ $0[hash] }) { return set }
        guard let bytes = try db.get(StoreKey.validatorSet(hash)) else { return nil }
        let set: ValidatorSet
        do { set = try ValidatorSet(decoding: bytes) } catch { throw Self.corrupt("validator set \(hash)", error) }
        cache([set])
        return set
    }

    private func cache(_ sets: [ValidatorSet]) {
        setCache.withLock { cache in
            if cache.count + sets.count > Self.setCacheCountMax { cache = [:] }
            for set in sets { cache[set.hash] = set }
        }
    }

    /// The validator set changes up to `height` (what a verifier that trusts only the genesis
    /// needs to trust the set of `height`; `ValidatorSetChain`), nil when there were none.
    package func validatorSetChanges(upTo height: Height) throws(GovChainError) -> [ValidatorSetChange]? {
        // Without a governance record the set never changed: no scan on every receipt and proof.
        guard try validatorSchedule() != nil else { return nil }
        var changes: [ValidatorSetChange] = []
        for entry in try db.scan(prefix: StoreKey.setChanges, limit: ValidatorSetChange.countMax) {
            var reader = ByteReader(Array(entry.key.dropFirst(StoreKey.setChanges.count)))
            guard let raw = try? reader.u64("height"), raw >= 2 else { continue }
            let at = Height(raw)
            guard at <= height else { break }
            let before = Height(raw - 1)
            guard let set = try validatorSet(at: at), let header = try self.header(at: before),
                let commit = try commit(at: before)
            else {
                throw GovChainError(code: .storeCorrupt, message: "The validator set change at \(at) is incomplete.")
            }
            changes.append(
                ValidatorSetChange(
                    height: raw, validators: Hex.encode(set.encoded), block_header: Hex.encode(header.encoded),
                    commit: Hex.encode(commit.encoded)))
        }
        return changes.isEmpty ? nil : changes
    }

    /// Governance proposals, newest first, at most `limit`.
    package func proposals(limit: Int = 100) throws(GovChainError) -> [ProposalRecord] {
        guard let schedule = try validatorSchedule() else { return [] }
        var records: [ProposalRecord] = []
        var id = schedule.nextProposal
        while id > 1, records.count < limit {
            id -= 1
            if let record = try proposal(id) { records.append(record) }
        }
        return records
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

    // MARK: - State tree

    package func merkleNode(_ link: SparseMerkleTree.Link) throws(GovChainError) -> SparseMerkleTree.Node? {
        if let node = nodeCache.withLock({ $0.value(link) }) { return node }
        nodeReads.wrappingAdd(1, ordering: .relaxed)
        guard let bytes = try db.get(StoreKey.stateNode(link)) else { return nil }
        let node: SparseMerkleTree.Node
        do { node = try SparseMerkleTree.Node(decoding: bytes) } catch {
            throw Self.corrupt("state node \(link.hash) (version \(link.version))", error)
        }
        guard node.hash == link.hash else {
            throw GovChainError(
                code: .storeCorrupt, message: "The stored state node \(link.hash.hex) does not hash to its key.")
        }
        nodeCache.withLock { $0.insert(link, node) }
        return node
    }

    /// The encoded header of the block at `height`.
    package func header(at height: Height) throws(GovChainError) -> BlockHeader? {
        guard let bytes = try db.get(StoreKey.header(height)) else { return nil }
        do { return try BlockHeader(decoding: bytes) } catch { throw Self.corrupt("header \(height)", error) }
    }

    /// The state root after block `height` (0: the genesis state); nil above the head.
    package func stateRoot(at height: Height) throws(GovChainError) -> Hash32? {
        if height.rawValue == 0 { return genesisStateRoot }
        return try header(at: height)?.stateRoot
    }

    /// The record bytes a state leaf (stored at `version`) commits to.
    package func stateRecord(_ valueHash: Hash32, version: UInt64) throws(GovChainError) -> [UInt8]? {
        try db.get(StoreKey.stateRecord(version, valueHash))
    }

    /// A proof for `key` under the state root of block `height`, with the record bytes when the
    /// key is present; nil when no block `height` is stored.
    package func stateProof(
        _ key: Hash32, at height: Height
    ) throws(GovChainError) -> (proof: SparseMerkleProof, record: [UInt8]?)? {
        guard let root = try stateRoot(at: height) else { return nil }
        return try stateProof(key, root: root, height: height)
    }

    /// `stateProof(_:at:)` when the caller already holds the state root of block `height` (the
    /// proof API reads the header anyway, so the store does not read it twice).
    package func stateProof(
        _ key: Hash32, root: Hash32, height: Height
    ) throws(GovChainError) -> (proof: SparseMerkleProof, record: [UInt8]?) {
        guard height >= oldestProvableHeight else {
            throw GovChainError(
                code: .heightUnavailable,
                message:
                    "The state of block \(height) is no longer kept: this node keeps \(stateRetentionHeights) heights (state_retention_heights); the oldest it can prove is \(oldestProvableHeight)."
            )
        }
        let proof: SparseMerkleProof
        let leaf: SparseMerkleTree.Link?
        do {
            (proof, leaf) = try SparseMerkleTree(root: .root(root, version: height.rawValue), reader: self).locate(key)
        } catch  where error.code == .storeCorrupt && height < oldestProvableHeight {
            // Pruned while this proof was walking the tree: the height just left the window.
            throw GovChainError(
                code: .heightUnavailable,
                message:
                    "The state of block \(height) was pruned while the proof was being made; ask for a newer height.")
        }
        guard case .leaf(let found, let valueHash)? = proof.terminal, found == key, let leaf else {
            return (proof, nil)
        }
        guard let record = try stateRecord(valueHash, version: leaf.version) else {
            throw GovChainError(
                code: .storeCorrupt, message: "The record for state leaf \(valueHash.hex) is missing from the store.")
        }
        return (proof, record)
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
