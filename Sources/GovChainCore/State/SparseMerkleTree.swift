import Crypto

/// An authenticated map from 256-bit keys to 32-byte value hashes: a binary sparse Merkle tree
/// compacted as in Diem's Jellyfish Merkle tree (arity 2), groundwork for the state root of the
/// "trust no single node" issue.
///
/// Shape: a subtree holding no key is the placeholder (32 zero bytes); a subtree holding exactly
/// one key is that key's leaf, however deep it would sit in the full 256-level tree; any other
/// subtree is an internal node whose children split on the next key bit (bit 0 is the most
/// significant bit of byte 0). The shape depends only on the set of keys, never on the order of
/// insertion, so every validator computes the same root.
///
/// Hashes (domain-separated like RFC 9162's leaf and node prefixes, with a tag of their own):
/// `leaf = SHA-256(0x10 ‖ key ‖ valueHash)`, `internal = SHA-256(0x11 ‖ left ‖ right)`.
///
/// Work per update is O(depth) = O(log n) node reads and writes for random keys: only the nodes
/// on the key's path change. Nodes are content-addressed (stored by their hash), so every old
/// root stays readable as long as its nodes are kept. Pure: nodes come from a `MerkleNodeReader`
/// and new ones are returned to the caller to store (the block store writes them in the block's
/// synced batch).
package struct SparseMerkleTree: Sendable {
    package static let placeholder = Hash32.zero

    /// One stored node.
    package enum Node: Hashable, Sendable {
        case leaf(key: Hash32, valueHash: Hash32)
        case `internal`(left: Hash32, right: Hash32)

        /// SHA-256 of `encoded`, hashed from one 65-byte buffer (the tree hashes a node per level
        /// per changed key, so this is the state root's inner loop).
        package var hash: Hash32 {
            let (tag, first, second): (UInt8, Hash32, Hash32) =
                switch self {
                case .leaf(let key, let valueHash): (0x10, key, valueHash)
                case .internal(let left, let right): (0x11, left, right)
                }
            return withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
                buffer[0] = tag
                first.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
                second.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
                return Hash32(digest: SHA256.hash(data: UnsafeRawBufferPointer(buffer)))
            }
        }

        /// `0x10 ‖ key ‖ valueHash` or `0x11 ‖ left ‖ right`: 65 bytes.
        package var encoded: [UInt8] {
            switch self {
            case .leaf(let key, let valueHash): [0x10] + key.bytes + valueHash.bytes
            case .internal(let left, let right): [0x11] + left.bytes + right.bytes
            }
        }

        package init(decoding bytes: [UInt8]) throws(CodecError) {
            var reader = ByteReader(bytes)
            let tag = try reader.u8("smt.node.tag")
            let first = try reader.hash("smt.node.first")
            let second = try reader.hash("smt.node.second")
            try reader.finish()
            switch tag {
            case 0x10: self = .leaf(key: first, valueHash: second)
            case 0x11: self = .internal(left: first, right: second)
            default: throw .unknownTag(field: "smt.node.tag", tag: tag)
            }
        }
    }

    /// The root before any key was inserted.
    package static let emptyRoot = placeholder

    let reader: any MerkleNodeReader
    /// Nodes made by updates and not yet stored, by hash.
    package private(set) var written: [Hash32: Node] = [:]
    /// Stored nodes that batch updates (`set(_:)`) replaced: no longer part of the new root's
    /// tree, only of older roots. Nodes never come back once replaced (a key's record only moves
    /// forward, and keys are never removed), so a store may delete these once it no longer serves
    /// the older roots.
    package private(set) var replaced: Set<Hash32> = []
    package private(set) var root: Hash32

    package init(root: Hash32, reader: any MerkleNodeReader) {
        self.root = root
        self.reader = reader
    }

    func node(_ hash: Hash32) throws(GovChainError) -> Node {
        if let node = written[hash] { return node }
        guard let node = try reader.merkleNode(hash) else {
            throw GovChainError(
                code: .storeCorrupt, message: "The state tree node \(hash.hex) is missing from the store.")
        }
        return node
    }

    private mutating func put(_ node: Node) -> Hash32 {
        let hash = node.hash
        written[hash] = node
        return hash
    }

    // MARK: - Updates

    /// Sets `key` to `valueHash` (inserting it or replacing its value): a batch of one.
    package mutating func set(_ key: Hash32, to valueHash: Hash32) throws(GovChainError) {
        try set([(key, valueHash)])
    }

    /// Sets every key of `entries` (the last value wins for a key given twice) in one pass: each
    /// node on the union of their paths is read once and written once, so `written` holds only
    /// nodes of the new tree — what a block's batch stores. Same root as setting them one by one.
    package mutating func set(_ entries: [(key: Hash32, valueHash: Hash32)]) throws(GovChainError) {
        var latest: [Hash32: Hash32] = [:]
        for entry in entries { latest[entry.key] = entry.valueHash }
        let sorted = latest.map { (key: $0.key, valueHash: $0.value) }.sorted { $0.key < $1.key }
        root = try update(root, depth: 0, sorted[...])
        replaced.subtract(written.keys)  // a node rewritten as it was is not replaced
    }

    private typealias Entries = ArraySlice<(key: Hash32, valueHash: Hash32)>

    /// `subtree` at `depth` with `entries` (sorted, distinct, all on this subtree's path) set.
    private mutating func update(_ subtree: Hash32, depth: Int, _ entries: Entries) throws(GovChainError) -> Hash32 {
        if entries.isEmpty { return subtree }
        if subtree == Self.placeholder { return build(depth: depth, entries) }
        if written[subtree] == nil { replaced.insert(subtree) }
        switch try node(subtree) {
        case .leaf(let key, let valueHash):
            guard !entries.contains(where: { $0.key == key }) else { return build(depth: depth, entries) }
            var merged = Array(entries)
            let position = merged.firstIndex { !($0.key < key) } ?? merged.count
            merged.insert((key, valueHash), at: position)
            return build(depth: depth, merged[...])
        case .internal(let left, let right):
            let cut = Self.firstWithBit(depth, in: entries)
            return put(
                .internal(
                    left: try update(left, depth: depth + 1, entries[..<cut]),
                    right: try update(right, depth: depth + 1, entries[cut...])))
        }
    }

    /// A fresh subtree at `depth` holding exactly `entries` (at least one).
    private mutating func build(depth: Int, _ entries: Entries) -> Hash32 {
        if entries.count == 1, let only = entries.first { return put(.leaf(key: only.key, valueHash: only.valueHash)) }
        // Two distinct keys differ below bit 256, so depth stays < 256 here.
        let cut = Self.firstWithBit(depth, in: entries)
        let left = cut == entries.startIndex ? Self.placeholder : build(depth: depth + 1, entries[..<cut])
        let right = cut == entries.endIndex ? Self.placeholder : build(depth: depth + 1, entries[cut...])
        return put(.internal(left: left, right: right))
    }

    /// The index of the first entry whose bit `depth` is set (entries are sorted, so every
    /// entry before it has the bit clear).
    private static func firstWithBit(_ depth: Int, in entries: Entries) -> Int {
        entries.firstIndex { bit($0.key, depth) } ?? entries.endIndex
    }

    /// Bit `index` of `key`, most significant bit of byte 0 first.
    static func bit(_ key: Hash32, _ index: Int) -> Bool {
        key.byte(index / 8) & (0x80 >> UInt8(index % 8)) != 0
    }

    // MARK: - Reads and proofs

    /// The value hash stored for `key`, if any.
    package func value(_ key: Hash32) throws(GovChainError) -> Hash32? {
        let proof = try self.proof(key)
        guard case .leaf(let found, let valueHash)? = proof.terminal, found == key else { return nil }
        return valueHash
    }

    /// A proof that `key` holds its value, or that it holds none, under `root`.
    package func proof(_ key: Hash32) throws(GovChainError) -> SparseMerkleProof {
        var siblings: [Hash32] = []
        var subtree = root
        var depth = 0
        while subtree != Self.placeholder {
            switch try node(subtree) {
            case .leaf(let found, let valueHash):
                return SparseMerkleProof(siblings: siblings, terminal: .leaf(key: found, valueHash: valueHash))
            case .internal(let left, let right):
                let goRight = Self.bit(key, depth)
                siblings.append(goRight ? left : right)
                subtree = goRight ? right : left
                depth += 1
            }
        }
        return SparseMerkleProof(siblings: siblings, terminal: nil)
    }
}

/// Where the tree's nodes are read from (the block store; a dictionary in tests).
package protocol MerkleNodeReader: Sendable {
    func merkleNode(_ hash: Hash32) throws(GovChainError) -> SparseMerkleTree.Node?
}

/// Nodes in memory.
package struct MemoryMerkleNodes: MerkleNodeReader {
    package var nodes: [Hash32: SparseMerkleTree.Node]
    package init(_ nodes: [Hash32: SparseMerkleTree.Node] = [:]) { self.nodes = nodes }
    package func merkleNode(_ hash: Hash32) throws(GovChainError) -> SparseMerkleTree.Node? { nodes[hash] }
}
