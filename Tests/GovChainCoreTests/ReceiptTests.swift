import Foundation
import GovChainFiles
import Synchronization
import Testing

@testable import GovChainCore

/// A small five-validator chain built in memory with fixed seeds and times, so its receipts are
/// byte-for-byte reproducible: they are the test vectors of docs/RECEIPTS.md.
enum ReceiptChain {
    static let cities = ["Aachen", "Gelsenkirchen", "Paderborn", "Soest", "Wuppertal"]
    static let validatorKeys = (0..<5).map { try! SigningKey(seed: [UInt8](repeating: UInt8(0x10 + $0), count: 32)) }
    static let authorityKeys = (0..<5).map { try! SigningKey(seed: [UInt8](repeating: UInt8(0x20 + $0), count: 32)) }
    static let genesisClerk = try! SigningKey(seed: [UInt8](repeating: 0x30, count: 32))
    static let registeredClerk = try! SigningKey(seed: [UInt8](repeating: 0x31, count: 32))
    /// A second Aachen clerk, registered in block 4, who co-signs (four eyes).
    static let supervisor = try! SigningKey(seed: [UInt8](repeating: 0x32, count: 32))
    static let cosignedBirthCertificate = Hash32.sha256(Array("Geburtsurkunde Nr. 2/2026, Standesamt Aachen".utf8))
    static let types = ["birth-certificate", "building-permit", "parking-permit"]

    static let genesisFile = GenesisFile(
        chain_id: "nrw-vectors-1", genesis_time: "2026-12-01T00:00:00Z", consensus: .init(),
        validators: (0..<5).map {
            .init(
                name: cities[$0], public_key: validatorKeys[$0].publicKey.hex, peer_address: "127.0.0.1:\(26600 + $0)",
                power: 1)
        },
        authorities: (0..<5).map {
            .init(
                id: cities[$0].lowercased(), name: "Stadt \(cities[$0])", public_key: authorityKeys[$0].publicKey.hex,
                document_types: types)
        },
        initial_clerks: [
            .init(authority: "aachen", public_key: genesisClerk.publicKey.hex, document_types: ["birth-certificate"])
        ])
    static let genesisJSON = genesisFile.jsonData() + Data("\n".utf8)
    static let genesis = try! Genesis(json: genesisJSON)
    static let chainId = genesis.chainId

    static let birthCertificate = Hash32.sha256(Array("Geburtsurkunde Nr. 1/2026, Standesamt Aachen".utf8))
    static let parkingPermit = Hash32.sha256(Array("Bewohnerparkausweis Soest 2027".utf8))

    static func tx(_ body: TransactionBody, _ key: SigningKey, _ nonce: UInt64) -> Transaction {
        Transaction(
            body: body, time: Timestamp(rawValue: 1_796_083_200_000 + nonce), nonce: nonce, chainId: chainId, key: key)
    }

    /// Blocks 1 and 2 with their commits: block 1 registers a Soest clerk, block 2 anchors a
    /// birth certificate (genesis clerk of Aachen) and a parking permit (the registered clerk).
    static let blocks: [(Block, Commit)] = {
        let register = tx(
            .registerClerk(
                .init(
                    authority: Code("soest")!, clerk: registeredClerk.publicKey,
                    documentTypes: [Code("parking-permit")!])), authorityKeys[3], 1)
        let birth = tx(
            .anchorDocument(
                .init(
                    document: birthCertificate, documentType: Code("birth-certificate")!, authority: Code("aachen")!,
                    reference: Hash32.sha256(Array("AZ 51-2026-0001".utf8)))), genesisClerk, 2)
        let permit = tx(
            .anchorDocument(
                .init(
                    document: parkingPermit, documentType: Code("parking-permit")!, authority: Code("soest")!,
                    validFrom: 1_798_761_600_000, validUntil: 1_830_297_600_000)), registeredClerk, 3)
        let blockTime = { (height: UInt64) in Timestamp(rawValue: 1_796_083_260_000 + height * 1000) }
        // Block 3: the birth certificate is revoked, the parking permit superseded by a new one.
        let revoke = tx(
            .revokeDocument(.init(document: birthCertificate, reason: .issuedInError, effective: blockTime(3))),
            genesisClerk, 4)
        let supersede = tx(
            .supersedeDocument(.init(old: parkingPermit, new: newParkingPermit, effective: blockTime(3))),
            registeredClerk, 5)
        // Block 4: Aachen registers a second clerk, and a birth certificate is anchored by the
        // genesis clerk and co-signed by the second one (a version-2 transaction and record).
        let registerSupervisor = tx(
            .registerClerk(
                .init(
                    authority: Code("aachen")!, clerk: supervisor.publicKey,
                    documentTypes: [Code("birth-certificate")!])), authorityKeys[0], 6)
        let cosigned = Transaction.Pending(
            body: .anchorDocument(
                .init(
                    document: cosignedBirthCertificate, documentType: Code("birth-certificate")!,
                    authority: Code("aachen")!)),
            time: Timestamp(rawValue: 1_796_083_200_007), nonce: 7, chainId: chainId, key: genesisClerk
        ).cosigned(chainId: chainId, key: supervisor)
        var result: [(Block, Commit)] = []
        var previous: (Block, Commit)?
        var ledger = MemoryLedger(genesis: genesis)
        let executor = BlockExecutor(rules: LedgerRules(genesis: genesis))
        for (height, transactions) in [
            (Height(1), [register]), (Height(2), [birth, permit]), (Height(3), [revoke, supersede]),
            (Height(4), [registerSupervisor, cosigned]),
        ] {
            let (block, executed) = try! executor.seal(
                Block.make(
                    chainId: chainId, height: height, time: blockTime(height.rawValue),
                    previousHash: previous?.0.hash ?? .zero, lastCommit: previous?.1, transactions: transactions,
                    validators: genesis.validators, proposer: ValidatorIndex(UInt16(height.rawValue % 5))),
                over: ledger, parentRoot: ledger.root, nodes: ledger.nodes)
            ledger.apply(executed)
            states.withLock { $0[height] = ledger }
            // Four of five sign (Wuppertal is offline): exactly the quorum.
            let commit = Commit(
                precommits: (0..<4).map {
                    Vote.sign(
                        type: .precommit, height: height, round: 0, block: block.hash,
                        validator: ValidatorIndex(UInt16($0)), chainId: chainId,
                        key: validatorKeys[$0])
                })
            result.append((block, commit))
            previous = (block, commit)
        }
        return result
    }()

    /// The ledger after each block (state tree nodes and records included), for state proofs.
    static let states = Mutex<[Height: MemoryLedger]>([:])

    static let newParkingPermit = Hash32.sha256(Array("Bewohnerparkausweis Soest 2028".utf8))
    static let neverAnchored = Hash32.sha256(Array("Nie verankert".utf8))

    /// The state proof for `document` as of block `height` (blocks 2 to 4).
    static func stateProof(_ document: Hash32, at height: Height) -> StateProof {
        _ = blocks
        let ledger = states.withLock { $0[height]! }
        let (block, commit) = blocks[Int(height.rawValue) - 1]
        let key = LedgerStateTree.key(document: document)
        let root = SparseMerkleTree.Link(hash: block.header.stateRoot, version: height.rawValue)
        let proof = try! SparseMerkleTree(root: root, reader: ledger.nodes).proof(key)
        var record: [UInt8]?
        if case .leaf(let found, let valueHash)? = proof.terminal, found == key { record = ledger.records[valueHash] }
        return StateProof(
            kind: .document, chainId: chainId, genesisHash: genesis.hash, subject: document.bytes,
            header: block.header, commit: commit, proof: proof, record: record)
    }

    static var birthReceipt: Receipt {
        Receipt(
            chain_id: chainId.value, genesis_hash: genesis.hash.hex, document: birthCertificate.hex,
            anchor: .init(block: blocks[1].0, index: 0, commit: blocks[1].1),
            clerk_authorisation: .init(kind: "genesis", registration: nil))
    }

    static var permitReceipt: Receipt {
        Receipt(
            chain_id: chainId.value, genesis_hash: genesis.hash.hex, document: parkingPermit.hex,
            anchor: .init(block: blocks[1].0, index: 1, commit: blocks[1].1),
            clerk_authorisation: .init(
                kind: "registration", registration: .init(block: blocks[0].0, index: 0, commit: blocks[0].1)))
    }

    /// Tampered variants for docs/vectors: name, bytes, expected reason.
    static var tampered: [(String, Data, String)] {
        var out: [(String, Data, String)] = []
        var r = birthReceipt
        r.chain_id = "other-chain-1"
        out.append(
            ("wrong-chain", r.canonicalJSON, "receipt is for chain other-chain-1, genesis is for chain nrw-vectors-1"))
        r = birthReceipt
        var commit = Hex.decode(r.anchor.commit)!
        commit[commit.count - 1] ^= 0x01  // last byte of the last signature (Soest)
        r.anchor.commit = Hex.encode(commit)
        out.append(
            ("bad-commit-signature", r.canonicalJSON, "anchor block 2: The commit signature of Soest is invalid."))
        r = birthReceipt
        r.anchor.proof[0] = Hash32.sha256([0]).hex
        out.append(("bad-proof", r.canonicalJSON, "the anchor inclusion proof does not reach the block's txRoot"))
        r = birthReceipt
        r.document = parkingPermit.hex
        out.append(
            (
                "other-document", r.canonicalJSON,
                "the receipt's transaction anchors \(birthCertificate.hex), not \(parkingPermit.hex)"
            ))
        r = permitReceipt
        r.clerk_authorisation = .init(kind: "genesis", registration: nil)
        out.append(
            (
                "clerk-not-authorised", r.canonicalJSON,
                "the clerk key \(registeredClerk.publicKey.hex.prefix(16))… is not an initial clerk in the genesis"
            ))
        out.append(
            (
                "truncated", birthReceipt.canonicalJSON.prefix(200),
                "the receipt is not valid receipt JSON (truncated or damaged?)"
            ))
        var pretty = birthReceipt.canonicalJSON
        pretty.insert(UInt8(ascii: " "), at: 1)
        out.append(
            ("not-canonical", pretty, "the receipt is not in canonical form (a field, a key or the layout was changed)")
        )
        return out
    }
}

@Suite struct ReceiptTests {
    let verifier = ReceiptVerifier(genesis: ReceiptChain.genesis)

    @Test func validReceiptsVerify() throws {
        let birth = try verifier.verify(
            try Receipt(json: ReceiptChain.birthReceipt.canonicalJSON), documentHash: ReceiptChain.birthCertificate)
        #expect(birth.authority.name == "Stadt Aachen")
        #expect(birth.height == 2)
        #expect(birth.signers == ["Aachen", "Gelsenkirchen", "Paderborn", "Soest"])
        #expect(birth.clerkRegisteredAt == nil)
        let permit = try verifier.verify(ReceiptChain.permitReceipt)
        #expect(permit.clerkRegisteredAt == 1)
        #expect(permit.validUntil == 1_830_297_600_000)
        #expect(permit.authority.id == Code("soest"))
    }

    @Test func theBlocksAreARealChain() throws {
        let (first, firstCommit) = ReceiptChain.blocks[0]
        let (second, _) = ReceiptChain.blocks[1]
        #expect(second.header.previousHash == first.hash)
        #expect(second.lastCommit == firstCommit)
        try second.validateBasic()
    }

    @Test(arguments: 0..<7) func tamperedVariantsFailWithTheirReason(index: Int) {
        let (name, bytes, reason) = ReceiptChain.tampered[index]
        do {
            _ = try verifier.verify(try Receipt(json: bytes))
            Issue.record("tampered receipt \(name) verified")
        } catch {
            #expect(error.code == "receipt_invalid")
            #expect(error.message == reason, "\(name)")
        }
    }

    @Test func aFileThatIsNotTheDocumentIsRefused() {
        #expect(throws: GovChainError.self) {
            try verifier.verify(ReceiptChain.birthReceipt, documentHash: Hash32.sha256([1]))
        }
    }

    @Test func anotherGenesisIsRefused() throws {
        var file = ReceiptChain.genesisFile
        file.authorities![0].name = "Stadt Aachen (Kopie)"
        let other = ReceiptVerifier(genesis: try Genesis(validating: file))
        #expect(
            performing: { try other.verify(ReceiptChain.birthReceipt) },
            throws: { ($0 as? GovChainError)?.message.contains("different genesis") == true })
    }

    /// Any single changed byte — every position, several bit patterns — makes the receipt fail.
    @Test(arguments: [UInt8(0x01), 0x02, 0x20, 0x80])
    func everySingleByteChangeIsDetected(mask: UInt8) {
        for receipt in [ReceiptChain.birthReceipt, ReceiptChain.permitReceipt] {
            let original = receipt.canonicalJSON
            var accepted: [Int] = []
            for offset in 0..<original.count {
                var bytes = original
                bytes[offset] ^= mask
                if (try? verifier.verify(try Receipt(json: bytes))) != nil { accepted.append(offset) }
            }
            #expect(accepted.isEmpty, "changed bytes at \(accepted) still verified")
        }
    }

    /// The committed vectors in docs/vectors are exactly what this code produces and expects.
    /// Regenerate with GOVCHAIN_WRITE_VECTORS=1 swift test --filter ReceiptTests.
    @Test func committedVectorsMatch() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("docs/vectors")
        var files: [(String, Data)] = [
            ("genesis.json", ReceiptChain.genesisJSON),
            ("receipt-birth-certificate.json", ReceiptChain.birthReceipt.canonicalJSON),
            ("receipt-parking-permit.json", ReceiptChain.permitReceipt.canonicalJSON),
        ]
        var expected = ""
        for (name, bytes, reason) in ReceiptChain.tampered {
            files.append(("tampered-\(name).json", bytes))
            expected += "tampered-\(name).json\tinvalid\t\(reason)\n"
        }
        files.append(
            (
                "expected.tsv",
                Data(
                    ("receipt-birth-certificate.json\tvalid\t\nreceipt-parking-permit.json\tvalid\t\n" + expected).utf8)
            ))
        if ProcessInfo.processInfo.environment["GOVCHAIN_WRITE_VECTORS"] == "1" {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (name, bytes) in files { try bytes.write(to: dir.appendingPathComponent(name)) }
        }
        for (name, bytes) in files {
            #expect(try Data(contentsOf: dir.appendingPathComponent(name)) == bytes, "docs/vectors/\(name) is stale")
        }
        // And the committed genesis + receipts verify as documented.
        let genesis = try Genesis.load(contentsOf: dir.appendingPathComponent("genesis.json").path)
        let receipt = try Receipt(
            json: try Data(contentsOf: dir.appendingPathComponent("receipt-birth-certificate.json")))
        #expect(try ReceiptVerifier(genesis: genesis).verify(receipt).document == ReceiptChain.birthCertificate)
    }
}
