/// A proof about one key of a `SparseMerkleTree`, checkable with nothing but the root.
///
/// `siblings` are the hashes beside the key's path, from the root down; `terminal` is what the
/// path ends in: a leaf (the key's own, proving membership, or another key's that shares the
/// path, proving absence) or nothing (an empty subtree, proving absence).
///
/// Verification recomputes the root bottom-up: start from the terminal's hash (the placeholder
/// when there is none), and for depth d = siblings.count − 1 … 0 combine with `siblings[d]` on the
/// side given by bit d of the key. For an absence proof with a leaf, that leaf's key must differ
/// from the queried key but agree with it on the first `siblings.count` bits: otherwise the
/// leaf would not sit on the queried key's path.
package struct SparseMerkleProof: Hashable, Sendable {
    package var siblings: [Hash32]
    package var terminal: SparseMerkleTree.Node?

    package init(siblings: [Hash32], terminal: SparseMerkleTree.Node?) {
        self.siblings = siblings
        self.terminal = terminal
    }

    /// What the proof shows about a key.
    package enum Claim: Hashable, Sendable {
        case present(valueHash: Hash32)
        case absent
    }

    /// The claim this proof makes for `key` under `root`, or nil when it proves nothing (wrong
    /// root, a leaf off the key's path, an internal node as terminal, more than 256 siblings).
    package func verify(key: Hash32, root: Hash32) -> Claim? {
        guard siblings.count <= 256 else { return nil }
        var hash = SparseMerkleTree.placeholder
        var claim = Claim.absent
        switch terminal {
        case nil:
            break
        case .leaf(let leafKey, let valueHash)?:
            if leafKey == key {
                claim = .present(valueHash: valueHash)
            } else {
                guard
                    (0..<siblings.count).allSatisfy({
                        SparseMerkleTree.bit(leafKey, $0) == SparseMerkleTree.bit(key, $0)
                    })
                else { return nil }
            }
            hash = terminal!.hash
        case .internal?:
            return nil
        }
        for depth in stride(from: siblings.count - 1, through: 0, by: -1) {
            let sibling = siblings[depth]
            hash =
                SparseMerkleTree.bit(key, depth)
                ? SparseMerkleTree.Node.internalHash(left: sibling, right: hash)
                : SparseMerkleTree.Node.internalHash(left: hash, right: sibling)
        }
        return hash == root ? claim : nil
    }
}
