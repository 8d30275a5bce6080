import Foundation
import GovChainFiles
import Testing

@testable import GovChainCore

@Suite struct GenesisTests {
    @Test func validGenesisLoads() throws {
        let genesis = try Genesis(json: Fixtures.genesisFile().jsonData())
        #expect(genesis.chainId.value == "test-chain")
        #expect(genesis.authorities.map(\.id.value) == ["aachen", "soest"])
        #expect(genesis.initialClerks.count == 2)
        #expect(genesis.genesisTime.rawValue == 1_767_225_600_000)
        #expect(genesis == Fixtures.genesis)
    }

    /// The example network in Genesis/ must always load.
    @Test func shippedGenesisLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let genesis = try Genesis.load(contentsOf: root.appendingPathComponent("Genesis/nrw-modellkommunen.json").path)
        #expect(
            genesis.validators.validators.map(\.name) == ["Aachen", "Gelsenkirchen", "Paderborn", "Soest", "Wuppertal"])
        #expect(genesis.authorities.count == 5)
        #expect(
            genesis.authorities.allSatisfy {
                $0.saltedDocumentTypes == [Code("parking-permit")!, Code("residence-confirmation")!]
            })
        // Genesis/README.md publishes this hash, so a verifier written from the docs can check its own.
        let readme = try String(contentsOf: root.appendingPathComponent("Genesis/README.md"), encoding: .utf8)
        #expect(
            readme.contains("`\(genesis.hash.hex)`"), "Genesis/README.md must state genesis_hash \(genesis.hash.hex)")
    }

    static let breakages: [(String, @Sendable (inout GenesisFile) -> Void)] = [
        ("chain_id", { $0.chain_id = "Chain With Spaces" }),
        ("chain_id", { $0.chain_id = nil }),
        ("genesis_time", { $0.genesis_time = "yesterday" }),
        ("validators", { $0.validators = [] }),
        ("validators[0].public_key", { $0.validators![0].public_key = "abcd" }),
        ("validators[0].peer_address", { $0.validators![0].peer_address = "localhost" }),
        ("validators[0].power", { $0.validators![0].power = 0 }),
        ("validators[0].name", { $0.validators![0].name = "" }),
        ("authorities[1].id", { $0.authorities![1].id = "aachen" }),
        ("authorities[0].document_types", { $0.authorities![0].document_types = [] }),
        (
            "authorities[0].document_types[1]",
            { $0.authorities![0].document_types = ["birth-certificate", "Bad Type"] }
        ),
        ("authorities[1].public_key", { $0.authorities![1].public_key = $0.authorities![0].public_key }),
        ("initial_clerks[0].authority", { $0.initial_clerks![0].authority = "berlin" }),
        ("initial_clerks[1].document_types", { $0.initial_clerks![1].document_types = ["building-permit"] }),
        ("consensus.max_block_txs", { $0.consensus!.max_block_txs = 0 }),
    ]

    @Test(arguments: 0..<breakages.count) func eachBadFieldIsNamed(index: Int) {
        let (field, breakIt) = Self.breakages[index]
        var file = Fixtures.genesisFile()
        breakIt(&file)
        do {
            _ = try Genesis(validating: file)
            Issue.record("genesis with a bad \(field) was accepted")
        } catch {
            #expect(error.code == "genesis_invalid")
            #expect(error.message.contains("genesis field \(field):"), "message was: \(error.message)")
        }
    }

    @Test func malformedJSONIsAClearError() {
        #expect(throws: GovChainError.self) { try Genesis(json: Data("{not json".utf8)) }
        do {
            _ = try Genesis(json: Data(#"{"chain_id": 5}"#.utf8))
        } catch {
            #expect(error.cause?.contains("chain_id") == true)
        }
    }

    /// A field the genesis does not define is refused wherever it is (fail closed), with its path.
    @Test func unknownFieldsAreRefusedWithTheirPath() throws {
        let valid = Fixtures.genesisFile().jsonData()
        #expect(try Genesis(json: valid).hash == Fixtures.genesis.hash)
        let object = try JSONSerialization.jsonObject(with: valid) as! [String: Any]
        func withField(_ change: (inout [String: Any]) -> Void) throws -> Data {
            var copy = object
            change(&copy)
            return try JSONSerialization.data(withJSONObject: copy)
        }
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("admin", { $0["admin"] = true }),
            ("consensus.max_txs", { $0["consensus"] = ["max_txs": 5] }),
            (
                "validators[0].weight",
                { o in
                    var list = o["validators"] as! [[String: Any]]
                    list[0]["weight"] = 3
                    o["validators"] = list
                }
            ),
            (
                "authorities[0].salted_types",
                { o in
                    var list = o["authorities"] as! [[String: Any]]
                    list[0]["salted_types"] = ["parking-permit"]
                    o["authorities"] = list
                }
            ),
        ]
        for (path, change) in cases {
            let data = try withField(change)
            do throws(GovChainError) {
                _ = try Genesis(json: data)
                Issue.record("\(path) was accepted")
            } catch {
                #expect(error.code == .genesisInvalid && error.message.contains("\"\(path)\""), "\(error.message)")
            }
        }
    }

    @Test func genesisHashCoversContent() throws {
        var file = Fixtures.genesisFile()
        file.authorities![0].name = "Stadt Aachen (neu)"
        #expect(try Genesis(validating: file).hash != Fixtures.genesis.hash)
    }

    /// Salted types enter the hash as a trailer, only when some authority has them: a genesis
    /// without them (and every receipt citing it) keeps its hash; order and duplicates do not matter.
    @Test func saltedTypesEnterTheHashOnlyWhenGiven() throws {
        let types = Fixtures.genesisFile().authorities![0].document_types!
        var empty = Fixtures.genesisFile()
        empty.authorities![0].salted_document_types = []
        #expect(try Genesis(validating: empty).hash == Fixtures.genesis.hash)
        var one = Fixtures.genesisFile()
        one.authorities![0].salted_document_types = [types[0]]
        let salted = try Genesis(validating: one)
        #expect(salted.hash != Fixtures.genesis.hash)
        #expect(salted.authorities[0].saltedDocumentTypes == [Code(types[0])!])
        var twice = Fixtures.genesisFile()
        twice.authorities![0].salted_document_types = [types[0], types[0]]
        #expect(try Genesis(validating: twice).hash == salted.hash)
        var other = Fixtures.genesisFile()
        other.authorities![1].salted_document_types = [types[0]]
        #expect(try Genesis(validating: other).hash != salted.hash)
        var foreign = Fixtures.genesisFile()
        foreign.authorities![0].salted_document_types = ["not-issued-here"]
        #expect(throws: GovChainError.self) { try Genesis(validating: foreign) }
    }
}

@Suite struct CommitTests {
    static let keys = (10..<14).map { Fixtures.key(UInt8($0)) }
    static let validators = ValidatorSet(
        keys.enumerated().map { i, key in
            Validator(
                name: ["Aachen", "Gelsenkirchen", "Paderborn", "Soest"][i], publicKey: key.publicKey,
                peerAddress: "127.0.0.1:1", power: 1)
        })
    let block = Hash32.sha256([1])

    func commit(signers: [Int], round: Round = 0) -> Commit {
        Commit(
            precommits: signers.map {
                Vote.sign(
                    type: .precommit, height: 5, round: round, block: block, validator: ValidatorIndex(UInt16($0)),
                    chainId: Fixtures.chainId,
                    key: Self.keys[$0])
            })
    }

    func verify(_ commit: Commit, block: Hash32? = nil, height: Height = 5) throws(GovChainError) {
        try commit.verify(
            blockHash: block ?? self.block, height: height, validators: Self.validators, chainId: Fixtures.chainId)
    }

    @Test func quorumIsMoreThanTwoThirds() throws {
        #expect(Self.validators.quorumPower == 3)
        try verify(commit(signers: [0, 1, 2]))
        try verify(commit(signers: [0, 1, 2, 3], round: 4))
        #expect(throws: GovChainError.self) { try verify(commit(signers: [0, 3])) }
    }

    @Test func badSignatureNamesTheValidator() {
        var forged = commit(signers: [0, 1, 3])
        forged.signatures[2].signature = forged.signatures[0].signature
        do {
            try verify(forged)
            Issue.record("forged commit accepted")
        } catch {
            #expect(error.message == "The commit signature of Soest is invalid.")
        }
    }

    @Test func wrongBlockOrHeightIsRefused() {
        #expect(throws: GovChainError.self) { try verify(commit(signers: [0, 1, 2]), block: Hash32.sha256([2])) }
        #expect(throws: GovChainError.self) { try verify(commit(signers: [0, 1, 2]), height: 6) }
        var unknown = commit(signers: [0, 1, 2])
        unknown.signatures[2].validator = 9
        #expect(throws: GovChainError.self) { try verify(unknown) }
    }

    @Test func equivocationIsEvidence() throws {
        let a = Vote.sign(
            type: .prevote, height: 5, round: 1, block: block, validator: 2, chainId: Fixtures.chainId,
            key: Self.keys[2])
        let b = Vote.sign(
            type: .prevote, height: 5, round: 1, block: nil, validator: 2, chainId: Fixtures.chainId, key: Self.keys[2])
        let evidence = try #require(DuplicateVoteEvidence(a, b))
        #expect(evidence.first == b)  // nil sorts first: one canonical form
        try evidence.verify(validators: Self.validators, chainId: Fixtures.chainId)
        #expect(DuplicateVoteEvidence(a, a) == nil)
        let otherRound = Vote.sign(
            type: .prevote, height: 5, round: 2, block: nil, validator: 2, chainId: Fixtures.chainId, key: Self.keys[2])
        #expect(DuplicateVoteEvidence(a, otherRound) == nil)
    }
}
