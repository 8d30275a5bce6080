import Crypto

/// An authenticated map from 256-bit keys to 32-byte value hashes: a binary sparse Merkle tree
/// compacted as in Diem's Jellyfish Merkle tree (arity 2), the ledger's state root (issue 9).
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
/// Storage is versioned, as Jellyfish's node keys are: a node is found by its `Link`, the hash
/// and the version (block height) that wrote it, and an internal node stores its children's
/// versions beside their hashes. Nodes written by one block therefore sit together in a store
/// ordered by version, instead of scattered over the whole key range by their hashes (issue 12:
/// that scatter made LevelDB compact the whole tree on every flush). Versions never enter a hash:
/// roots and proofs are the same as without them.
///
/// Work per update is O(depth) = O(log n) node reads and writes for random keys: only the nodes
/// on the key's path change. Every old root stays readable as long as its nodes are kept. Pure:
/// nodes come from a `MerkleNodeReader` and new ones are returned to the caller to store (the
/// block store writes them in the block's synced batch).
package struct SparseMerkleTree: Sendable {
    package static let placeholder = Hash32.zero

    /// Where a node is stored: its hash and the version that wrote it. A placeholder child has
    /// version 0 and is never read.
    package struct Link: Hashable, Sendable {
        package var hash: Hash32
        package var version: UInt64

        package init(hash: Hash32, version: UInt64) {
            self.hash = hash
            self.version = version
        }

        package static let placeholder = Link(hash: SparseMerkleTree.placeholder, version: 0)
        package var isPlaceholder: Bool { hash == SparseMerkleTree.placeholder }

        /// A node's hash is SHA-256 of its contents, which nobody can steer into a chosen first
        /// word (a leaf's key is a document hash from outside; its node hash is not), so the first
        /// word and the version are enough for the hasher: the node cache and an update's sets
        /// hash a link a dozen times per anchor (issue 9's cost), 16 bytes instead of 40.
        package func hash(into hasher: inout Hasher) {
            hasher.combine(hash.leadingWord)
            hasher.combine(version)
        }

        /// Where the root `hash` written at `version` is stored (the empty tree's root is the
        /// placeholder, which no version stores).
        package static func root(_ hash: Hash32, version: UInt64) -> Link {
            hash == SparseMerkleTree.placeholder ? .placeholder : Link(hash: hash, version: version)
        }
    }

    /// One stored node.
    package enum Node: Hashable, Sendable {
        case leaf(key: Hash32, valueHash: Hash32)
        case `internal`(left: Link, right: Link)

        /// SHA-256 of the node's first 65 stored bytes (`0x10 ‖ key ‖ valueHash` or
        /// `0x11 ‖ left ‖ right`; versions are not hashed).
        package var hash: Hash32 {
            switch self {
            case .leaf(let key, let valueHash): Self.hash(tag: 0x10, key, valueHash)
            case .internal(let left, let right): Self.hash(tag: 0x11, left.hash, right.hash)
            }
        }

        /// The hash of an internal node with these children (what proofs recompute).
        package static func internalHash(left: Hash32, right: Hash32) -> Hash32 { hash(tag: 0x11, left, right) }

        /// Hashed from one 65-byte buffer: the tree hashes a node per level per changed key, so
        /// this is the state root's inner loop.
        private static func hash(tag: UInt8, _ first: Hash32, _ second: Hash32) -> Hash32 {
            withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
                buffer[0] = tag
                first.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
                second.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
                return Hash32(digest: SHA256.hash(data: UnsafeRawBufferPointer(buffer)))
            }
        }

        /// How the store keeps a node: `0x10 ‖ key ‖ valueHash` (65 bytes) or
        /// `0x11 ‖ left ‖ right ‖ u64 left version ‖ u64 right version` (81 bytes).
        package var encoded: [UInt8] {
            switch self {
            case .leaf(let key, let valueHash):
                var writer = ByteWriter(capacity: 65)
                writer.u8(0x10)
                key.withUnsafeBytes { writer.raw($0) }
                valueHash.withUnsafeBytes { writer.raw($0) }
                return writer.bytes
            case .internal(let left, let right):
                var writer = ByteWriter(capacity: 81)
                writer.u8(0x11)
                left.hash.withUnsafeBytes { writer.raw($0) }
                right.hash.withUnsafeBytes { writer.raw($0) }
                writer.u64(left.version)
                writer.u64(right.version)
                return writer.bytes
            }
        }

        package init(decoding bytes: [UInt8]) throws(CodecError) {
            var reader = ByteReader(bytes)
            let tag = try reader.u8("smt.node.tag")
            let first = try reader.hash("smt.node.first")
            let second = try reader.hash("smt.node.second")
            switch tag {
            case 0x10:
                self = .leaf(key: first, valueHash: second)
            case 0x11:
                let left = try reader.u64("smt.node.left_version")
                let right = try reader.u64("smt.node.right_version")
                self = .internal(left: Link(hash: first, version: left), right: Link(hash: second, version: right))
            default:
                throw .unknownTag(field: "smt.node.tag", tag: tag)
            }
            try reader.finish()
        }
    }

    /// The root before any key was inserted.
    package static let emptyRoot = Link.placeholder

    let reader: any MerkleNodeReader
    /// The version every node written by this tree gets (the height of the block it executes).
    package let version: UInt64
    /// Nodes made by updates and not yet stored, by hash (all at `version`).
    package private(set) var written: [Hash32: Node] = [:]
    /// Stored nodes that updates replaced: no longer part of the new root's tree, only of older
    /// roots. A link never comes back once replaced (every write has a new version), so a store
    /// may delete these once it no longer serves the older roots.
    package private(set) var replaced: Set<Link> = []
    /// A leaf rewritten at `version` though its value did not change: only the root, when the
    /// whole tree is one leaf and the batch left it alone. A store keeps records beside their
    /// leaves, so it copies this leaf's record from the old version (`from`).
    package private(set) var carriedLeaf: (valueHash: Hash32, from: UInt64)?
    package private(set) var root: Link

    /// The tree under `root`, writing new nodes at `version` (after the root's own version).
    package init(root: Link, version: UInt64, reader: any MerkleNodeReader) {
        self.root = root
        self.version = version
        self.reader = reader
    }

    /// The tree under `root`, for reading and proofs (an update writes at the next version).
    package init(root: Link, reader: any MerkleNodeReader) {
        self.init(root: root, version: root.version &+ 1, reader: reader)
    }

    func node(_ link: Link) throws(GovChainError) -> Node {
        if link.version == version, let node = written[link.hash] { return node }
        guard let node = try reader.merkleNode(link) else {
            throw GovChainError(
                code: .storeCorrupt,
                message: "The state tree node \(link.hash.hex) (version \(link.version)) is missing from the store.")
        }
        return node
    }

    private mutating func put(_ node: Node) -> Link {
        let hash = node.hash
        written[hash] = node
        return Link(hash: hash, version: version)
    }

    private mutating func replace(_ link: Link) {
        if link.version != version { replaced.insert(link) }
    }

    // MARK: - Updates

    /// Sets `key` to `valueHash` (inserting it or replacing its value): a batch of one.
    package mutating func set(_ key: Hash32, to valueHash: Hash32) throws(GovChainError) {
        try set([(key, valueHash)])
    }

    /// Sets every key of `entries` (the last value wins for a key given twice) in one pass: each
    /// node on the union of their paths is read once and written once, so `written` holds only
    /// nodes of the new tree — what a block's batch stores. Same root as setting them one by one.
    ///
    /// The root is always written at `version`, even when nothing changed: the root of block h
    /// is then found at version h, with no index from heights to versions (a root that is a lone
    /// leaf is then `carriedLeaf`).
    package mutating func set(_ entries: [(key: Hash32, valueHash: Hash32)]) throws(GovChainError) {
        var latest: [Hash32: Hash32] = [:]
        for entry in entries { latest[entry.key] = entry.valueHash }
        let sorted = latest.map { (key: $0.key, valueHash: $0.value) }.sorted { $0.key < $1.key }
        // About one node per level below the batch's shared top, per key: no rehashing as they grow.
        written.reserveCapacity(written.count + sorted.count * 12)
        replaced.reserveCapacity(replaced.count + sorted.count * 12)
        root = try update(root, depth: 0, sorted[...])
        if !root.isPlaceholder, root.version != version {
            let unchanged = try node(root)
            if case .leaf(_, let valueHash) = unchanged { carriedLeaf = (valueHash, root.version) }
            replace(root)
            root = put(unchanged)
        }
    }

    private typealias Entries = ArraySlice<(key: Hash32, valueHash: Hash32)>

    /// `subtree` at `depth` with `entries` (sorted, distinct, all on this subtree's path) set.
    private mutating func update(_ subtree: Link, depth: Int, _ entries: Entries) throws(GovChainError) -> Link {
        if entries.isEmpty { return subtree }
        if subtree.isPlaceholder { return build(depth: depth, entries, keeping: nil) }
        switch try node(subtree) {
        case .leaf(let key, _):
            // A leaf's hash does not depend on its depth: when new keys push it down, it stays
            // where it is stored (same link), unless one of them replaces its value.
            if entries.contains(where: { $0.key == key }) {
                replace(subtree)
                return build(depth: depth, entries, keeping: nil)
            }
            return build(depth: depth, entries, keeping: (key, subtree))
        case .internal(let left, let right):
            replace(subtree)
            let cut = Self.firstWithBit(depth, in: entries)
            return put(
                .internal(
                    left: try update(left, depth: depth + 1, entries[..<cut]),
                    right: try update(right, depth: depth + 1, entries[cut...])))
        }
    }

    /// A fresh subtree at `depth` holding exactly `entries` and the stored leaf `kept` (at least
    /// one of them; `kept`'s key is not among `entries`).
    private mutating func build(depth: Int, _ entries: Entries, keeping kept: (key: Hash32, link: Link)?) -> Link {
        if entries.isEmpty { return kept?.link ?? Link.placeholder }
        if kept == nil, entries.count == 1, let only = entries.first {
            return put(.leaf(key: only.key, valueHash: only.valueHash))
        }
        // Two distinct keys differ below bit 256, so depth stays < 256 here.
        let cut = Self.firstWithBit(depth, in: entries)
        let keptGoesRight = kept.map { Self.bit($0.key, depth) }
        let left = build(depth: depth + 1, entries[..<cut], keeping: keptGoesRight == false ? kept : nil)
        let right = build(depth: depth + 1, entries[cut...], keeping: keptGoesRight == true ? kept : nil)
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
    package func proof(_ key: Hash32) throws(GovChainError) -> SparseMerkleProof { try locate(key).proof }

    /// `proof(_:)` with the link of the leaf the path ends in (where a store keeps its record).
    package func locate(_ key: Hash32) throws(GovChainError) -> (proof: SparseMerkleProof, leaf: Link?) {
        var siblings: [Hash32] = []
        var subtree = root
        var depth = 0
        while !subtree.isPlaceholder {
            switch try node(subtree) {
            case .leaf(let found, let valueHash):
                return (
                    SparseMerkleProof(siblings: siblings, terminal: .leaf(key: found, valueHash: valueHash)), subtree
                )
            case .internal(let left, let right):
                let goRight = Self.bit(key, depth)
                siblings.append(goRight ? left.hash : right.hash)
                subtree = goRight ? right : left
                depth += 1
            }
        }
        return (SparseMerkleProof(siblings: siblings, terminal: nil), nil)
    }
}

/// Where the tree's nodes are read from (the block store; a dictionary in tests).
package protocol MerkleNodeReader: Sendable {
    func merkleNode(_ link: SparseMerkleTree.Link) throws(GovChainError) -> SparseMerkleTree.Node?
}

/// Nodes in memory, by hash alone (a node's hash fixes its content; versions only place it in a
/// store).
package struct MemoryMerkleNodes: MerkleNodeReader {
    package var nodes: [Hash32: SparseMerkleTree.Node]
    package init(_ nodes: [Hash32: SparseMerkleTree.Node] = [:]) { self.nodes = nodes }
    package func merkleNode(_ link: SparseMerkleTree.Link) throws(GovChainError) -> SparseMerkleTree.Node? {
        nodes[link.hash]
    }
}
