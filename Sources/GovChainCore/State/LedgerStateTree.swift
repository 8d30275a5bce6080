/// The ledger state as one authenticated map: what a version-2 block header's `stateRoot`
/// commits to (docs/PROTOCOL.md, "State tree"; docs/ARCHITECTURE.md says why this structure).
///
/// Entries, each a `SparseMerkleTree` key and the SHA-256 of a record's canonical encoding:
/// - a document record under `SHA-256(0x01 ‖ document hash)`,
/// - a clerk record under `SHA-256(0x02 ‖ clerk public key)`,
/// - the governance record (`ValidatorSchedule`) under `SHA-256(0x03)`,
/// - a governance proposal under `SHA-256(0x04 ‖ id u64)`,
/// - an authority record (added or changed by governance) under `SHA-256(0x05 ‖ authority id)`.
/// The last three exist only once governance was used, so a chain without it keeps its roots.
///
/// Records are never deleted (a revocation changes a record), so the tree only grows.
package enum LedgerStateTree {
    package static func key(document: Hash32) -> Hash32 { Hash32.sha256(parts: [0x01], document.bytes) }
    package static func key(clerk: PublicKey) -> Hash32 { Hash32.sha256(parts: [0x02], clerk.bytes) }
    package static let scheduleKey = Hash32.sha256([0x03])
    package static func key(proposal id: UInt64) -> Hash32 {
        var writer = ByteWriter(capacity: 9)
        writer.u8(0x04)
        writer.u64(id)
        return Hash32.sha256(writer.bytes)
    }
    package static func key(authority id: Code) -> Hash32 { Hash32.sha256(parts: [0x05], Array(id.value.utf8)) }
    package static func valueHash(_ record: [UInt8]) -> Hash32 { Hash32.sha256(record) }

    /// The tree after one block (or the genesis): its root, the nodes it added (all at
    /// `version`, the block's height; 0 for the genesis), and the records those leaves commit to,
    /// by value hash (kept beside the leaves so proofs at any retained height can show them).
    package struct Update: Sendable {
        package var root: Hash32
        package var version: UInt64
        package var nodes: [Hash32: SparseMerkleTree.Node]
        package var records: [Hash32: [UInt8]]
        /// Nodes of the parent's tree that this update replaced (`SparseMerkleTree.replaced`).
        package var replaced: Set<SparseMerkleTree.Link>
        /// A leaf rewritten unchanged, whose record the store copies (`SparseMerkleTree.carriedLeaf`).
        package var carriedLeaf: (valueHash: Hash32, from: UInt64)?

        package init(
            root: Hash32, version: UInt64, nodes: [Hash32: SparseMerkleTree.Node] = [:],
            records: [Hash32: [UInt8]] = [:], replaced: Set<SparseMerkleTree.Link> = [],
            carriedLeaf: (valueHash: Hash32, from: UInt64)? = nil
        ) {
            self.root = root
            self.version = version
            self.nodes = nodes
            self.records = records
            self.replaced = replaced
            self.carriedLeaf = carriedLeaf
        }

        /// Where the new root is stored.
        package var rootLink: SparseMerkleTree.Link { .root(root, version: version) }
    }

    /// The tree under `root` (nodes read through `reader`) with every record `changes` wrote,
    /// new nodes at `version` (the height of the block being executed).
    package static func update(
        root: SparseMerkleTree.Link, version: UInt64, reader: any MerkleNodeReader,
        documents: some Collection<DocumentRecord>,
        clerks: some Collection<ClerkRecord>, governance: [(key: Hash32, record: [UInt8])] = []
    ) throws(GovChainError) -> Update {
        var records: [Hash32: [UInt8]] = [:]
        var entries: [(key: Hash32, valueHash: Hash32)] = []
        entries.reserveCapacity(documents.count + clerks.count)
        for record in documents {
            let bytes = record.encoded
            let valueHash = valueHash(bytes)
            records[valueHash] = bytes
            entries.append((key(document: record.document), valueHash))
        }
        for record in clerks {
            let bytes = record.encoded
            let valueHash = valueHash(bytes)
            records[valueHash] = bytes
            entries.append((key(clerk: record.key), valueHash))
        }
        for (key, bytes) in governance {
            let valueHash = valueHash(bytes)
            records[valueHash] = bytes
            entries.append((key, valueHash))
        }
        var tree = SparseMerkleTree(root: root, version: version, reader: reader)
        try tree.set(entries)
        return Update(
            root: tree.root.hash, version: version, nodes: tree.written, records: records, replaced: tree.replaced,
            carriedLeaf: tree.carriedLeaf)
    }

    /// The tree after a block's state changes.
    package static func update(
        root: SparseMerkleTree.Link, version: UInt64, reader: any MerkleNodeReader, changes: LedgerOverlay
    ) throws(GovChainError) -> Update {
        try update(
            root: root, version: version, reader: reader, documents: changes.documents.values,
            clerks: changes.clerks.values, governance: governanceEntries(changes))
    }

    /// The governance records `changes` wrote, as tree entries (key, encoded record).
    package static func governanceEntries(_ changes: LedgerOverlay) -> [(key: Hash32, record: [UInt8])] {
        var entries: [(key: Hash32, record: [UInt8])] = []
        if let schedule = changes.schedule { entries.append((scheduleKey, schedule.encoded)) }
        for record in changes.proposals.values { entries.append((key(proposal: record.id), record.encoded)) }
        for record in changes.authorities.values { entries.append((key(authority: record.id), record.encoded)) }
        return entries
    }

    /// The genesis state (its initial clerks) as a tree: the state before block 1.
    package static func genesis(_ genesis: Genesis) -> Update {
        let state = LedgerRules(genesis: genesis).genesisState()
        // An empty reader cannot fail: every node read is one the update wrote.
        return (try? update(root: SparseMerkleTree.emptyRoot, version: 0, reader: MemoryMerkleNodes(), changes: state))
            ?? Update(root: SparseMerkleTree.placeholder, version: 0)
    }
}
