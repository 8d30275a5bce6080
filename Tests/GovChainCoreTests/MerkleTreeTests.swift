import Testing

@testable import GovChainCore

/// RFC 9162 §2.1 (= RFC 6962) Merkle tree hash, with the Certificate Transparency reference vectors.
@Suite struct MerkleTreeTests {
    static let leaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ].map { Hex.decode($0)! }
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test(arguments: 0...8) func rootMatchesReference(size: Int) {
        #expect(MerkleTree.root(leaves: Array(Self.leaves.prefix(size))).hex == Self.roots[size])
    }

    /// Inclusion paths from the CT reference test data (leaf index is 0-based here).
    @Test(arguments: [
        (
            0, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        ),
        (
            5, 8,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1, 5,
            [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        ),
    ])
    func inclusionProofMatchesReference(index: Int, size: Int, expected: [String]) {
        let hashes = Self.leaves.prefix(size).map(MerkleTree.leafHash)
        let proof = MerkleTree.inclusionProof(index: index, leafHashes: Array(hashes))
        #expect(proof.map(\.hex) == expected)
        #expect(
            MerkleTree.verifyInclusion(
                leafHash: hashes[index], index: UInt64(index), treeSize: UInt64(size),
                proof: proof, root: Hash32(hex: Self.roots[size])!))
    }

    /// Every leaf of every tree up to 40 leaves proves; any change to the proof breaks it.
    @Test func everyProofVerifiesAndEveryTamperingFails() {
        for size in 1...40 {
            let hashes = (0..<size).map { MerkleTree.leafHash([UInt8($0), 7]) }
            let root = MerkleTree.root(leafHashes: hashes)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, leafHashes: hashes)
                let i = UInt64(index), n = UInt64(size)
                #expect(
                    MerkleTree.verifyInclusion(leafHash: hashes[index], index: i, treeSize: n, proof: proof, root: root)
                )
                #expect(
                    !MerkleTree.verifyInclusion(
                        leafHash: MerkleTree.leafHash([1, 2, 3]), index: i, treeSize: n, proof: proof, root: root))
                #expect(
                    !MerkleTree.verifyInclusion(
                        leafHash: hashes[index], index: i, treeSize: n, proof: proof + [root], root: root))
                #expect(
                    !MerkleTree.verifyInclusion(
                        leafHash: hashes[index], index: n, treeSize: n, proof: proof, root: root))
                if !proof.isEmpty {
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: hashes[index], index: i, treeSize: n, proof: Array(proof.dropLast()), root: root))
                    var bytes = proof[0].bytes
                    bytes[31] ^= 1
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: hashes[index], index: i, treeSize: n, proof: [Hash32(bytes)!] + proof.dropFirst(),
                            root: root))
                }
                if size > 1 {
                    let other = (index + 1) % size
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: hashes[index], index: UInt64(other), treeSize: n, proof: proof, root: root))
                }
            }
        }
    }
}
