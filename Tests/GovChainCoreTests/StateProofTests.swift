import Foundation
import GovChainCore
import Testing

/// State proofs (issue 9): each status a verifier can be shown — valid, revoked, superseded,
/// anchored by supersession, never anchored, and an older height — verifies against the genesis
/// alone, and every lie a node could tell fails with its reason. The same proofs are the
/// version-2 receipts in docs/vectors (rebuilt from fixed seeds here).
@Suite struct StateProofTests {
    let genesis = ReceiptChain.genesis

    static var valid: [(name: String, proof: StateProof, status: String)] {
        [
            ("state-birth-certificate-at-2", ReceiptChain.stateProof(ReceiptChain.birthCertificate, at: 2), "valid"),
            (
                "state-birth-certificate-revoked", ReceiptChain.stateProof(ReceiptChain.birthCertificate, at: 3),
                "revoked"
            ),
            (
                "state-parking-permit-superseded", ReceiptChain.stateProof(ReceiptChain.parkingPermit, at: 3),
                "superseded"
            ),
            ("state-new-parking-permit", ReceiptChain.stateProof(ReceiptChain.newParkingPermit, at: 3), "valid"),
            ("state-never-anchored", ReceiptChain.stateProof(ReceiptChain.neverAnchored, at: 3), "unknown"),
            (
                "state-cosigned-birth-certificate",
                ReceiptChain.stateProof(ReceiptChain.cosignedBirthCertificate, at: 4), "valid"
            ),
        ]
    }

    /// What a lying node might send instead: name, bytes, expected reason.
    static var lies: [(name: String, bytes: Data, reason: String)] {
        let revoked = ReceiptChain.stateProof(ReceiptChain.birthCertificate, at: 3)
        let before = ReceiptChain.stateProof(ReceiptChain.birthCertificate, at: 2)
        let other = ReceiptChain.stateProof(ReceiptChain.newParkingPermit, at: 3)
        var out: [(String, Data, String)] = []
        var p = revoked
        p.record = before.record
        out.append(("revoked-shown-valid", p.canonicalJSON, "the record is not the one the state tree holds"))
        p = revoked
        p.record = nil
        p.state_proof.leaf = nil
        out.append(("revocation-dropped", p.canonicalJSON, "the state path does not lead to the header's state root"))
        p = revoked
        p.record = other.record
        out.append(("other-documents-record", p.canonicalJSON, "the record is not the one the state tree holds"))
        p = revoked
        p.state_proof.siblings[0] = String(repeating: "0", count: 64)
        out.append(("bad-sibling", p.canonicalJSON, "the state path does not lead to the header's state root"))
        p = revoked
        var commit = Hex.decode(p.commit)!
        commit[commit.count - 1] ^= 1
        p.commit = Hex.encode(commit)
        out.append(
            (
                "bad-commit-signature", p.canonicalJSON,
                "the commit does not sign this header (The commit signature of Soest is invalid.)"
            ))
        p = revoked
        p.chain_id = "other-chain-1"
        out.append(
            (
                "other-chain", p.canonicalJSON,
                "The proof is for chain \"other-chain-1\" with genesis \(ReceiptChain.genesis.hash.hex.prefix(16))…, not the pinned nrw-vectors-1 (\(ReceiptChain.genesis.hash.hex.prefix(16))…)."
            ))
        var unknown = revoked.canonicalJSON
        unknown.replaceSubrange(0..<1, with: Data("{\"admin\":true,".utf8))
        out.append(("unknown-field", unknown, "The proof has an unknown field \"admin\"."))
        return out
    }

    /// The direct canonical writer and JSONEncoder agree byte for byte on every proof kind (with
    /// and without record and leaf, long and empty paths), and strings that need escaping fall
    /// back to the encoder.
    @Test func theDirectCanonicalWriterIsTheEncodersForm() throws {
        var proofs = Self.valid.map(\.proof)
        var empty = proofs[0]
        empty.state_proof = .init(siblings: [], leaf: nil)
        empty.record = nil
        proofs.append(empty)
        for proof in proofs {
            let direct = try #require(proof.plainCanonicalJSON())
            #expect(Data(direct) == proof.encodedCanonicalJSON)
        }
        var odd = proofs[0]
        odd.chain_id = "quote\"back\\slash/é\n"
        #expect(odd.plainCanonicalJSON() == nil)
        #expect(odd.canonicalJSON == odd.encodedCanonicalJSON)
        #expect(try StateProof(json: odd.canonicalJSON, canonical: true) == odd)
    }

    @Test func everyStatusVerifiesAgainstTheGenesisAlone() throws {
        for (name, proof, status) in Self.valid {
            let proven = try proof.verify(genesis: genesis)
            switch (proven.record, status) {
            case (.absent, "unknown"): break
            case (.document(let record), _):
                let actual: String =
                    switch record.status {
                    case .valid: "valid"
                    case .revoked: "revoked"
                    case .superseded: "superseded"
                    }
                #expect(actual == status, "\(name)")
            default: Issue.record("\(name): \(proven.record)")
            }
            #expect(proven.height.rawValue == proof.height)
            // The file form round-trips canonically.
            #expect(try StateProof(json: proof.canonicalJSON, canonical: true) == proof)
        }
        let permit = try ReceiptChain.stateProof(ReceiptChain.newParkingPermit, at: 3).verify(genesis: genesis)
        guard case .document(let record) = permit.record else {
            Issue.record("the new permit has no record")
            return
        }
        #expect(record.supersedes == ReceiptChain.parkingPermit, "a document anchored by supersession has a proof")
    }

    @Test(arguments: 0..<7) func everyLieFailsWithItsReason(index: Int) {
        let (name, bytes, reason) = Self.lies[index]
        do {
            _ = try StateProof(json: bytes, canonical: true).verify(genesis: genesis)
            Issue.record("\(name) verified")
        } catch {
            let message =
                error.message.hasPrefix("The proof does not hold: ")
                ? String(error.message.dropFirst("The proof does not hold: ".count).dropLast()) : error.message
            #expect(message == reason, "\(name)")
        }
    }

    /// Any changed byte of a proof file either breaks it or is caught (every position, one mask).
    @Test func everySingleByteChangeIsDetected() {
        let original = ReceiptChain.stateProof(ReceiptChain.birthCertificate, at: 3).canonicalJSON
        var accepted: [Int] = []
        for offset in 0..<original.count {
            var bytes = original
            bytes[offset] ^= 0x01
            if let proof = try? StateProof(json: bytes, canonical: true),
                let proven = try? proof.verify(genesis: genesis), proof.subject == ReceiptChain.birthCertificate.hex,
                case .document(let record) = proven.record, case .revoked = record.status
            {
                accepted.append(offset)
            }
        }
        #expect(accepted.isEmpty, "changed bytes at \(accepted) still verified")
    }

    @Test func batchUpdatesGiveTheRootOfSingleOnes() throws {
        var single = SparseMerkleTree(root: SparseMerkleTree.emptyRoot, reader: MemoryMerkleNodes())
        var entries: [(key: Hash32, valueHash: Hash32)] = []
        for i in 0..<300 {
            let entry = (
                key: Hash32.sha256(Array("key \(i % 250)".utf8)), valueHash: Hash32.sha256(Array("v \(i)".utf8))
            )
            try single.set(entry.key, to: entry.valueHash)
            entries.append(entry)
        }
        var batch = SparseMerkleTree(root: SparseMerkleTree.emptyRoot, reader: MemoryMerkleNodes())
        try batch.set(entries)
        #expect(batch.root.hash == single.root.hash)
        // Onto an existing tree, in two batches, with the stored nodes only.
        var first = SparseMerkleTree(root: SparseMerkleTree.emptyRoot, reader: MemoryMerkleNodes())
        try first.set(Array(entries[..<150]))
        var second = SparseMerkleTree(root: first.root, reader: MemoryMerkleNodes(first.written))
        try second.set(Array(entries[150...]))
        #expect(second.root.hash == single.root.hash)
        // A batch writes exactly the nodes of the new tree (no intermediate ones): every written
        // node is reachable from the root, and every reachable node was written.
        var reachable = 0
        var stack = [batch.root]
        while let link = stack.popLast() {
            if link.isPlaceholder { continue }
            reachable += 1
            if case .internal(let left, let right)? = batch.written[link.hash] { stack += [left, right] }
        }
        #expect(reachable == batch.written.count)
        #expect(single.written.count > batch.written.count, "one-by-one writes replaced nodes")
    }

    /// Receipts made before header version 2 (a v1 header, no state root) keep verifying.
    @Test func versionOneHeaderReceiptsKeepVerifying() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/vectors/v1-headers")
        let genesis = try Genesis(json: try Data(contentsOf: dir.appendingPathComponent("genesis.json")))
        let receipt = try Receipt(
            json: try Data(contentsOf: dir.appendingPathComponent("receipt-birth-certificate.json")))
        let header = try BlockHeader(decoding: Hex.decode(receipt.anchor.block_header)!)
        #expect(header.version == 1)
        #expect(try ReceiptVerifier(genesis: genesis).verify(receipt).document == ReceiptChain.birthCertificate)
    }

    @Test("a co-signed (four-eyes) record proves both clerks")
    func cosignedRecordNamesBothClerks() throws {
        let proof = ReceiptChain.stateProof(ReceiptChain.cosignedBirthCertificate, at: 4)
        let hex = try #require(proof.record)
        let record = try DocumentRecord(decoding: try #require(Hex.decode(hex)))
        #expect(record.clerk == ReceiptChain.genesisClerk.publicKey)
        #expect(record.cosigner == ReceiptChain.supervisor.publicKey)
        #expect(try proof.verify(genesis: genesis).height == 4)
    }

    /// docs/vectors/state-*.json and tampered-state-*.json are what this code produces.
    /// Regenerate with GOVCHAIN_WRITE_VECTORS=1 swift test --filter StateProofTests.
    @Test func committedVectorsMatch() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/vectors")
        var files: [(String, Data)] = []
        var expected = ""
        for (name, proof, status) in Self.valid {
            files.append(("\(name).json", proof.canonicalJSON))
            expected += "\(name).json\t\(status)\t\(proof.subject)\n"
        }
        for (name, bytes, reason) in Self.lies {
            files.append(("tampered-state-\(name).json", bytes))
            expected += "tampered-state-\(name).json\tinvalid\t\(reason)\n"
        }
        files.append(("expected-state.tsv", Data(expected.utf8)))
        if ProcessInfo.processInfo.environment["GOVCHAIN_WRITE_VECTORS"] == "1" {
            for (name, bytes) in files { try bytes.write(to: dir.appendingPathComponent(name)) }
        }
        for (name, bytes) in files {
            #expect(try Data(contentsOf: dir.appendingPathComponent(name)) == bytes, "docs/vectors/\(name) is stale")
        }
    }
}
