import GovChainCore

/// The LevelDB key layout (docs/ARCHITECTURE.md, "Storage"). One prefix per record kind;
/// heights are big-endian so keys sort in chain order.
enum StoreKey {
    static let chainId = Array("m/chain_id".utf8)
    static let schema = Array("m/schema".utf8)
    static let genesisHash = Array("m/genesis".utf8)
    static let head = Array("m/head".utf8)

    static func block(_ height: Height) -> [UInt8] { Array("b/".utf8) + bigEndian(height.rawValue) }
    static func commit(_ height: Height) -> [UInt8] { Array("c/".utf8) + bigEndian(height.rawValue) }
    static func blockHash(_ hash: Hash32) -> [UInt8] { Array("h/".utf8) + hash.bytes }
    static func transaction(_ id: Hash32) -> [UInt8] { Array("t/".utf8) + id.bytes }
    static func document(_ hash: Hash32) -> [UInt8] { Array("d/".utf8) + hash.bytes }
    /// Recorded equivocations by `DuplicateVoteEvidence.slot` → height of the block holding them.
    static func evidence(_ slot: Hash32) -> [UInt8] { Array("e/".utf8) + slot.bytes }
    static func clerk(_ key: PublicKey) -> [UInt8] { Array("k/".utf8) + key.bytes }
    /// The encoded header of the block at a height (proofs read headers, not whole blocks).
    static func header(_ height: Height) -> [UInt8] { Array("H/".utf8) + bigEndian(height.rawValue) }
    /// A state tree node by version then hash: `s/<u64 version><node hash>`. Ordered by the
    /// height that wrote them, a block's nodes land together at the end of the key range, so
    /// LevelDB's compactions do not rewrite the whole tree (issue 12).
    static func stateNode(_ link: SparseMerkleTree.Link) -> [UInt8] {
        versioned(stateNodePrefix, link.version, link.hash)
    }
    private static let stateNodePrefix = Array("s/".utf8)
    /// A record's encoding (what a state leaf commits to), beside its leaf:
    /// `r/<u64 leaf version><value hash>`.
    static func stateRecord(_ version: UInt64, _ valueHash: Hash32) -> [UInt8] {
        versioned(stateRecordPrefix, version, valueHash)
    }
    private static let stateRecordPrefix = Array("r/".utf8)
    /// A state node that block `height` replaced: `x/<u64 height><u64 version><node hash>` →
    /// empty. Pruning (`state_retention_heights`) deletes the nodes listed under a height once it
    /// is too old.
    static func staleNode(_ height: Height, _ link: SparseMerkleTree.Link) -> [UInt8] {
        versioned(staleNodes(height), link.version, link.hash)
    }
    static func staleNodes(_ height: Height) -> [UInt8] { Array("x/".utf8) + bigEndian(height.rawValue) }
    /// The link a stale-node key names (its last 40 bytes), nil when it is not one.
    static func staleLink(_ key: [UInt8]) -> SparseMerkleTree.Link? {
        guard key.count == 2 + 8 + 8 + 32 else { return nil }
        var reader = ByteReader(Array(key.suffix(40)))
        guard let version = try? reader.u64("version"), let hash = try? reader.hash("hash") else { return nil }
        return SparseMerkleTree.Link(hash: hash, version: version)
    }
    /// Pruning progress: every node replaced at a height up to this one is deleted.
    static let statePrunedThrough = Array("m/state_pruned_through".utf8)
    /// The state root of the genesis (height 0).
    static let genesisStateRoot = Array("m/genesis_state_root".utf8)
    /// Index of clerks by authority: `a/<authority>/<clerk key>` → empty.
    static func authorityClerk(_ authority: Code, _ key: PublicKey) -> [UInt8] {
        authorityClerks(authority) + key.bytes
    }
    static func authorityClerks(_ authority: Code) -> [UInt8] { Array("a/\(authority.value)/".utf8) }
    /// A governance record (validator schedule, proposal, authority) by its state-tree key.
    static func governance(_ treeKey: Hash32) -> [UInt8] { Array("g/".utf8) + treeKey.bytes }
    /// A validator set governance made, by its hash (headers name sets by hash).
    static func validatorSet(_ hash: Hash32) -> [UInt8] { Array("v/".utf8) + hash.bytes }
    /// A height whose block is signed by another set than its parent: `w/<u64 height>` → empty.
    static func setChange(_ height: Height) -> [UInt8] { setChanges + bigEndian(height.rawValue) }
    static let setChanges = Array("w/".utf8)
    /// Free-form metadata owned by other modules (e.g. consensus signing state).
    static func meta(_ name: String) -> [UInt8] { Array("m/x/\(name)".utf8) }

    /// `prefix ‖ u64 version ‖ hash` in one allocation (state nodes and records: two keys per
    /// changed tree node, the hottest keys the store writes).
    private static func versioned(_ prefix: [UInt8], _ version: UInt64, _ hash: Hash32) -> [UInt8] {
        var writer = ByteWriter(capacity: prefix.count + 40)
        writer.raw(prefix)
        writer.u64(version)
        hash.withUnsafeBytes { writer.raw($0) }
        return writer.bytes
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: 8)
        writer.u64(value)
        return writer.bytes
    }
}
