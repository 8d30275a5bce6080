/// The ledger state as one authenticated map: what a version-2 block header's `stateRoot`
/// commits to (docs/PROTOCOL.md, "State tree"; docs/ARCHITECTURE.md says why this structure).
///
/// Entries, each a `SparseMerkleTree` key and the SHA-256 of a record's canonical encoding:
/// - a document record under `SHA-256(0x01 ‖ document hash)`,
/// - a clerk record under `SHA-256(0x02 ‖ clerk public key)`.
///
/// Records are never deleted (a revocation changes a record), so the tree only grows.
package enum LedgerStateTree {
    package static func key(document: Hash32) -> Hash32 { Hash32.sha256(parts: [0x01], document.bytes) }
    package static func key(clerk: PublicKey) -> Hash32 { Hash32.sha256(parts: [0x02], clerk.bytes) }
    package static func valueHash(_ record: [UInt8]) -> Hash32 { Hash32.sha256(record) }

    /// The tree after one block (or the genesis): its root, the nodes it added, and the records
    /// those leaves commit to, by value hash (kept so proofs at any retained height can show them).
    package struct Update: Sendable {
        package var root: Hash32
        package var nodes: [Hash32: SparseMerkleTree.Node]
        package var records: [Hash32: [UInt8]]
        /// Nodes of the parent's tree that this update replaced (`SparseMerkleTree.replaced`).
        package var replaced: Set<Hash32>

        package init(
            root: Hash32, nodes: [Hash32: SparseMerkleTree.Node] = [:], records: [Hash32: [UInt8]] = [:],
            replaced: Set<Hash32> = []
        ) {
            self.root = root
            self.nodes = nodes
            self.records = records
            self.replaced = replaced
        }
    }

    /// The tree under `root` (nodes read through `reader`) with every record `changes` wrote.
    package static func update(
        root: Hash32, reader: any MerkleNodeReader, documents: some Collection<DocumentRecord>,
        clerks: some Collection<ClerkRecord>
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
        var tree = SparseMerkleTree(root: root, reader: reader)
        try tree.set(entries)
        return Update(root: tree.root, nodes: tree.written, records: records, replaced: tree.replaced)
    }

    /// The tree after a block's state changes.
    package static func update(
        root: Hash32, reader: any MerkleNodeReader, changes: LedgerOverlay
    ) throws(GovChainError) -> Update {
        try update(root: root, reader: reader, documents: changes.documents.values, clerks: changes.clerks.values)
    }

    /// The genesis state (its initial clerks) as a tree: the state before block 1.
    package static func genesis(_ genesis: Genesis) -> Update {
        let state = LedgerRules(genesis: genesis).genesisState()
        // An empty reader cannot fail: every node read is one the update wrote.
        return (try? update(root: SparseMerkleTree.emptyRoot, reader: MemoryMerkleNodes(), changes: state))
            ?? Update(root: SparseMerkleTree.emptyRoot)
    }
}
