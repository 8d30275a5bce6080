/// The Merkle tree hash and inclusion proofs of RFC 9162 §2.1 (the same tree as RFC 6962).
///
/// `MTH({}) = SHA-256()`, `MTH({d0}) = SHA-256(0x00 ‖ d0)`, and for n > 1 with k the largest
/// power of two below n: `MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))`.
/// The leaf/node prefixes keep a leaf from ever being mistaken for an inner node.
package enum MerkleTree {
    package static func leafHash(_ leaf: [UInt8]) -> Hash32 { Hash32.sha256(parts: [0x00], leaf) }

    package static func nodeHash(_ left: Hash32, _ right: Hash32) -> Hash32 {
        Hash32.sha256(parts: [0x01], left.bytes, right.bytes)
    }

    /// The root over leaves given as their leaf hashes.
    package static func root(leafHashes: [Hash32]) -> Hash32 {
        if leafHashes.isEmpty { return Hash32.sha256([]) }
        return subtreeRoot(leafHashes[...])
    }

    /// The root over raw leaves.
    package static func root(leaves: [[UInt8]]) -> Hash32 { root(leafHashes: leaves.map(leafHash)) }

    /// The audit path `PATH(m, D[n])` of RFC 9162 §2.1.3.1 for leaf `index`.
    package static func inclusionProof(index: Int, leafHashes: [Hash32]) -> [Hash32] {
        precondition(index >= 0 && index < leafHashes.count, "leaf \(index) outside a tree of \(leafHashes.count)")
        return path(index, leafHashes[...])
    }

    /// Verifies an inclusion proof by the algorithm of RFC 9162 §2.1.3.2.
    package static func verifyInclusion(
        leafHash: Hash32, index: UInt64, treeSize: UInt64, proof: [Hash32], root: Hash32
    ) -> Bool {
        guard index < treeSize else { return false }
        var fn = index
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    // MARK: - Recursion of §2.1.1

    private static func split(_ count: Int) -> Int {
        var k = 1
        while k << 1 < count { k <<= 1 }
        return k
    }

    private static func subtreeRoot(_ hashes: ArraySlice<Hash32>) -> Hash32 {
        if hashes.count == 1 { return hashes[hashes.startIndex] }
        let k = split(hashes.count)
        let middle = hashes.startIndex + k
        return nodeHash(subtreeRoot(hashes[..<middle]), subtreeRoot(hashes[middle...]))
    }

    private static func path(_ index: Int, _ hashes: ArraySlice<Hash32>) -> [Hash32] {
        if hashes.count <= 1 { return [] }
        let k = split(hashes.count)
        let middle = hashes.startIndex + k
        if index < k {
            return path(index, hashes[..<middle]) + [subtreeRoot(hashes[middle...])]
        }
        return path(index - k, hashes[middle...]) + [subtreeRoot(hashes[..<middle])]
    }
}
