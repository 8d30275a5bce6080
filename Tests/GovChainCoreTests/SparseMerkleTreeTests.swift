import GovChainCore
import Testing

/// The authenticated map under the coming state root: membership and absence proofs for every
/// key, a root that depends only on the key set, known answers for small trees, and proofs that
/// fail when anything is changed.
@Suite("Sparse Merkle tree")
struct SparseMerkleTreeTests {
    typealias Node = SparseMerkleTree.Node

    /// Deterministic keys: SHA-256 of "k<i>".
    static func key(_ i: Int) -> Hash32 { Hash32.sha256(Array("k\(i)".utf8)) }
    static func value(_ i: Int, _ version: Int = 0) -> Hash32 { Hash32.sha256(Array("v\(i).\(version)".utf8)) }

    func tree(_ keys: [Int], version: Int = 0) throws -> SparseMerkleTree {
        var tree = SparseMerkleTree(root: SparseMerkleTree.emptyRoot, reader: MemoryMerkleNodes())
        for i in keys { try tree.set(Self.key(i), to: Self.value(i, version)) }
        return tree
    }

    /// A key whose bits start with `prefix` (for building exact shapes).
    static func key(bits prefix: [Bool], fill: UInt8 = 0) -> Hash32 {
        var bytes = [UInt8](repeating: fill, count: 32)
        for (i, bit) in prefix.enumerated() {
            if bit { bytes[i / 8] |= 0x80 >> UInt8(i % 8) } else { bytes[i / 8] &= ~(0x80 >> UInt8(i % 8)) }
        }
        return Hash32(bytes)!
    }

    @Test("known answers: empty, one leaf, two keys split at bit 0, two keys sharing two bits")
    func knownAnswers() throws {
        #expect(try tree([]).root.hash == .zero)
        let a = Self.key(bits: [false, false, true]), b = Self.key(bits: [false, false, false], fill: 0xff)
        let va = Hash32.sha256([1]), vb = Hash32.sha256([2])
        let leafA = Hash32.sha256(parts: [0x10], a.bytes, va.bytes)
        var one = SparseMerkleTree(root: .placeholder, reader: MemoryMerkleNodes())
        try one.set(a, to: va)
        #expect(one.root.hash == leafA)
        let c = Self.key(bits: [true], fill: 0)
        var split = one
        try split.set(c, to: vb)
        #expect(
            split.root.hash
                == Hash32.sha256(parts: [0x11], leafA.bytes, Hash32.sha256(parts: [0x10], c.bytes, vb.bytes).bytes))
        // a = 001…, b = 000…: they share two bits, so the leaves sit at depth 3.
        var deep = one
        try deep.set(b, to: vb)
        let leafB = Hash32.sha256(parts: [0x10], b.bytes, vb.bytes)
        let level2 = Hash32.sha256(parts: [0x11], leafB.bytes, leafA.bytes)
        let level1 = Hash32.sha256(parts: [0x11], level2.bytes, Hash32.zero.bytes)
        #expect(deep.root.hash == Hash32.sha256(parts: [0x11], level1.bytes, Hash32.zero.bytes))
        #expect(try deep.proof(a).siblings == [.zero, .zero, leafB])
    }

    @Test("every member proves its value and every non-member its absence, for trees of 0 to 300 keys")
    func proofsForEveryKey() throws {
        for size in [0, 1, 2, 3, 7, 64, 300] {
            let tree = try tree(Array(0..<size))
            for i in 0..<size {
                let proof = try tree.proof(Self.key(i))
                #expect(
                    proof.verify(key: Self.key(i), root: tree.root.hash) == .present(valueHash: Self.value(i)),
                    "size \(size), key \(i)")
                #expect(try tree.value(Self.key(i)) == Self.value(i))
            }
            for i in size..<(size + 50) {
                let proof = try tree.proof(Self.key(i))
                #expect(proof.verify(key: Self.key(i), root: tree.root.hash) == .absent, "size \(size), absent \(i)")
                #expect(try tree.value(Self.key(i)) == nil)
            }
            // Paths are short: about log2(n) + a few, never the naive 256.
            let depth = try (0..<size).map { try tree.proof(Self.key($0)).siblings.count }.max() ?? 0
            #expect(depth <= 2 * max(1, size.bitWidth - size.leadingZeroBitCount) + 4, "size \(size): depth \(depth)")
        }
    }

    @Test("the root depends on the key set only, not on insertion order; an update changes it and its proof")
    func orderIndependentAndUpdatable() throws {
        var generator = SplitMix(seed: 7)
        let keys = Array(0..<200)
        let reference = try tree(keys).root.hash
        for _ in 0..<5 {
            var shuffled = keys
            shuffled.shuffle(using: &generator)
            #expect(try tree(shuffled).root.hash == reference)
        }
        var updated = try tree(keys)
        try updated.set(Self.key(5), to: Self.value(5, 1))
        #expect(updated.root.hash != reference)
        let proof = try updated.proof(Self.key(5))
        #expect(proof.verify(key: Self.key(5), root: updated.root.hash) == .present(valueHash: Self.value(5, 1)))
        #expect(proof.verify(key: Self.key(5), root: reference) == nil, "an old root does not accept the new value")
        // Setting the same value again is a no-op on the root.
        try updated.set(Self.key(5), to: Self.value(5, 1))
        #expect(try updated.proof(Self.key(5)).verify(key: Self.key(5), root: updated.root.hash) != nil)
    }

    @Test("a changed sibling, value, key, terminal or root never verifies")
    func tamperedProofsFail() throws {
        let tree = try tree(Array(0..<100))
        let member = try tree.proof(Self.key(3))
        let absent = try tree.proof(Self.key(1_000))
        for proof in [member, absent] {
            for i in proof.siblings.indices {
                var changed = proof
                changed.siblings[i] = Hash32.sha256(changed.siblings[i].bytes)
                #expect(changed.verify(key: Self.key(3), root: tree.root.hash) == nil)
                #expect(changed.verify(key: Self.key(1_000), root: tree.root.hash) == nil)
            }
            var shorter = proof
            if !shorter.siblings.isEmpty { shorter.siblings.removeLast() }
            #expect(shorter.verify(key: Self.key(3), root: tree.root.hash) == nil)
        }
        var wrongValue = member
        wrongValue.terminal = .leaf(key: Self.key(3), valueHash: Self.value(4))
        #expect(wrongValue.verify(key: Self.key(3), root: tree.root.hash) == nil)
        // A member's proof does not prove another key present, nor (off its path) absent.
        #expect(member.verify(key: Self.key(4), root: tree.root.hash) != .present(valueHash: Self.value(3)))
        var asInternal = member
        asInternal.terminal = .internal(left: .placeholder, right: .placeholder)
        #expect(asInternal.verify(key: Self.key(3), root: tree.root.hash) == nil)
        #expect(member.verify(key: Self.key(3), root: Hash32.sha256([9])) == nil)
        // Claiming absence by dropping the member's leaf fails.
        var dropped = member
        dropped.terminal = nil
        #expect(dropped.verify(key: Self.key(3), root: tree.root.hash) == nil)
    }

    @Test(
        "leaves store in 65 bytes, internal nodes in 81 with their children's versions; the hash covers the first 65; unknown tags are refused"
    )
    func nodeCodec() throws {
        let leaf = Node.leaf(key: Self.key(1), valueHash: Self.value(1))
        let inner = Node.internal(left: SparseMerkleTree.Link(hash: Self.key(2), version: 0x0102), right: .placeholder)
        for (node, size) in [(leaf, 65), (inner, 81)] {
            #expect(node.encoded.count == size)
            #expect(try Node(decoding: node.encoded) == node)
            #expect(node.hash == Hash32.sha256(Array(node.encoded.prefix(65))))
        }
        #expect(Array(inner.encoded.suffix(16)) == [0, 0, 0, 0, 0, 0, 1, 2] + [UInt8](repeating: 0, count: 8))
        // The same children at other versions: another stored node, the same hash.
        let moved = Node.internal(left: SparseMerkleTree.Link(hash: Self.key(2), version: 9), right: .placeholder)
        #expect(moved != inner && moved.hash == inner.hash)
        #expect(throws: CodecError.self) { try Node(decoding: Array(inner.encoded.dropLast())) }
        #expect(throws: CodecError.self) { try Node(decoding: leaf.encoded + [0]) }
        var bad = leaf.encoded
        bad[0] = 0x12
        #expect(throws: CodecError.self) { try Node(decoding: bad) }
        #expect(throws: CodecError.self) { try Node(decoding: Array(leaf.encoded.dropLast())) }
    }

    @Test("a tree reopened from its stored nodes answers like the one that wrote them")
    func persistedNodes() throws {
        let written = try tree(Array(0..<50))
        let reopened = SparseMerkleTree(root: written.root, reader: MemoryMerkleNodes(written.written))
        for i in 0..<60 {
            #expect(try reopened.proof(Self.key(i)) == written.proof(Self.key(i)))
        }
        let missing = SparseMerkleTree(root: written.root, reader: MemoryMerkleNodes())
        #expect(throws: GovChainError.self) { try missing.proof(Self.key(1)) }
    }
}

/// Stored nodes found only by their exact link (hash and version), as the block store finds them.
struct VersionedNodes: MerkleNodeReader {
    var nodes: [SparseMerkleTree.Link: SparseMerkleTree.Node] = [:]
    func merkleNode(_ link: SparseMerkleTree.Link) throws(GovChainError) -> SparseMerkleTree.Node? { nodes[link] }

    mutating func add(_ written: [Hash32: SparseMerkleTree.Node], at version: UInt64) {
        for (hash, node) in written { nodes[SparseMerkleTree.Link(hash: hash, version: version)] = node }
    }

    /// Every link reachable from `root` (placeholders excluded).
    func reachable(from root: SparseMerkleTree.Link) -> Set<SparseMerkleTree.Link> {
        var seen: Set<SparseMerkleTree.Link> = []
        var stack = [root]
        while let link = stack.popLast() {
            guard !link.isPlaceholder, seen.insert(link).inserted else { continue }
            if case .internal(let left, let right)? = nodes[link] { stack += [left, right] }
        }
        return seen
    }
}

extension SparseMerkleTreeTests {
    @Test(
        "versioned storage: 40 blocks (some empty) found by link alone; each root at its block's version; replaced = exactly what left the tree"
    )
    func versionedBlocks() throws {
        var store = VersionedNodes()
        var reference = SparseMerkleTree(root: .placeholder, reader: MemoryMerkleNodes())
        var root = SparseMerkleTree.Link.placeholder
        var generator = SplitMix(seed: 12)
        var next = 0
        var present: [Int: Int] = [:]  // key → value version
        for version in UInt64(1)...40 {
            // Empty blocks, new keys (pushing leaves down), and changed values of old keys.
            var entries: [(key: Hash32, valueHash: Hash32)] = []
            if version % 7 != 0 {
                for _ in 0..<Int(generator.next() % 12) {
                    next += 1
                    present[next] = 0
                    entries.append((Self.key(next), Self.value(next)))
                }
                for _ in 0..<Int(generator.next() % 4) where next > 0 {
                    let old = Int(generator.next() % UInt64(next)) + 1
                    present[old, default: 0] += 1
                    entries.append((Self.key(old), Self.value(old, present[old]!)))
                }
            }
            var tree = SparseMerkleTree(root: root, version: version, reader: store)
            try tree.set(entries)
            try reference.set(entries)
            #expect(tree.root.hash == reference.root.hash, "version \(version): same root hash as unversioned")
            if !tree.root.isPlaceholder {
                #expect(tree.root.version == version, "the root is written at its block's version, even when unchanged")
            }
            #expect(tree.written.isEmpty == tree.root.isPlaceholder)
            let before = store.reachable(from: root)
            store.add(tree.written, at: version)
            let after = store.reachable(from: tree.root)
            #expect(tree.replaced == before.subtracting(after), "version \(version): replaced is what left the tree")
            #expect(
                after.subtracting(before).allSatisfy { $0.version == version }, "only new nodes are at the new version")
            root = tree.root
        }
        // Every key proves its latest value through versioned lookups; absent keys prove absence.
        let reader = SparseMerkleTree(root: root, reader: store)
        for (i, valueVersion) in present {
            let (proof, leaf) = try reader.locate(Self.key(i))
            #expect(proof.verify(key: Self.key(i), root: root.hash) == .present(valueHash: Self.value(i, valueVersion)))
            #expect(
                leaf != nil && store.nodes[leaf!] == .leaf(key: Self.key(i), valueHash: Self.value(i, valueVersion)))
        }
        #expect(try reader.proof(Self.key(next + 1)).verify(key: Self.key(next + 1), root: root.hash) == .absent)
        // A node looked up at another version than its own is not found: versions are real.
        var shifted = root
        shifted.version += 1
        #expect(throws: GovChainError.self) { try SparseMerkleTree(root: shifted, reader: store).proof(Self.key(1)) }
    }
}

/// A seeded generator for shuffles.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
