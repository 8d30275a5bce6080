import Foundation
import GovChainAPI
import GovChainConsensus
import GovChainCore
import GovChainNetwork

/// The plain build's commands: replay inputs, and write the seed corpora.
enum FuzzCommandLine {
    static func main(_ arguments: [String]) {
        switch (arguments.dropFirst().first, arguments.count) {
        case ("replay", 3...):
            guard let target = FuzzTarget(rawValue: arguments[2]) else { usage() }
            for path in arguments.dropFirst(3) {
                guard let data = FileManager.default.contents(atPath: path) else { usage("cannot read \(path)") }
                if let failure = target.run(Array(data)) {
                    FileHandle.standardError.write(Data("govchain-fuzz: \(path): \(failure)\n".utf8))
                    exit(1)
                }
            }
            print("replayed \(arguments.count - 3) input(s) on \(target.rawValue): no failure")
        case ("seeds", 3):
            do {
                try writeSeeds(repository: URL(fileURLWithPath: arguments[2]))
            } catch {
                usage("\(error)")
            }
        default:
            usage()
        }
    }

    static func usage(_ problem: String? = nil) -> Never {
        if let problem { FileHandle.standardError.write(Data("govchain-fuzz: \(problem)\n".utf8)) }
        FileHandle.standardError.write(
            Data(
                """
                usage: govchain-fuzz replay TARGET FILE…   (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))
                       govchain-fuzz seeds REPOSITORY      (writes Tests/Fuzz/corpus/<target>/)

                """.utf8))
        exit(2)
    }

    /// Valid inputs for every target, from docs/vectors and from values built here with fixed keys.
    static func writeSeeds(repository: URL) throws {
        let vectors = repository.appendingPathComponent("docs/vectors")
        var seeds: [FuzzTarget: [[UInt8]]] = [:]
        func add(_ target: FuzzTarget, _ bytes: [UInt8]) { seeds[target, default: []].append(bytes) }
        func json(_ name: String) throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: vectors.appendingPathComponent(name)))
            guard let object = object as? [String: Any] else { throw SeedError("\(name) is not a JSON object") }
            return object
        }
        /// The bytes of hex field `key` of `object` (from `name`), or a clear error.
        func hex(_ object: [String: Any], _ key: String, in name: String) throws -> [UInt8] {
            guard let text = object[key] as? String, let bytes = Hex.decode(text) else {
                throw SeedError("\(name): \"\(key)\" is missing or not hex")
            }
            return bytes
        }
        for name in ["receipt-birth-certificate.json", "receipt-parking-permit.json"] {
            let receipt = try json(name)
            add(.receipt, Array(try Data(contentsOf: vectors.appendingPathComponent(name))))
            guard let anchor = receipt["anchor"] as? [String: Any] else { throw SeedError("\(name) has no anchor") }
            add(.transaction, try hex(anchor, "transaction", in: name))
            add(.header, try hex(anchor, "block_header", in: name))
            add(.commit, try hex(anchor, "commit", in: name))
        }
        for name in [
            "state-birth-certificate-revoked.json", "state-never-anchored.json", "state-new-parking-permit.json",
            "state-cosigned-birth-certificate.json",
        ] {
            let proof = try json(name)
            add(.stateProof, Array(try Data(contentsOf: vectors.appendingPathComponent(name))))
            if proof["record"] != nil { add(.record, try hex(proof, "record", in: name)) }
        }
        add(.genesis, Array(try Data(contentsOf: vectors.appendingPathComponent("genesis.json"))))
        add(.genesis, Array(try Data(contentsOf: repository.appendingPathComponent("Genesis/nrw-modellkommunen.json"))))
        add(.nodeConfig, Array(NodeConfig(name: "Aachen", api_address: "127.0.0.1:8080").jsonData))

        // Consensus values signed with fixed keys.
        let key = try SigningKey(seed: [UInt8](repeating: 7, count: 32))
        let chainId = ChainID("fuzz-1")!
        add(.pem, Array(key.pem.utf8))
        add(.pem, Array(key.publicKey.pem.utf8))
        let transaction = try Transaction(decoding: seeds[.transaction]![0])
        let header = try BlockHeader(decoding: seeds[.header]![0])
        let commit = try Commit(decoding: seeds[.commit]![0])
        let block = Block(header: header, transactions: [transaction], lastCommit: commit)
        add(.block, block.encoded)
        let prevote = Vote.sign(
            type: .prevote, height: Height(3), round: Round(1), block: block.hash, validator: ValidatorIndex(2),
            chainId: chainId, key: key)
        let nilPrecommit = Vote.sign(
            type: .precommit, height: Height(3), round: Round(0), block: nil, validator: ValidatorIndex(0),
            chainId: chainId, key: key)
        add(.vote, prevote.encoded)
        add(.vote, nilPrecommit.encoded)
        let proposal = Proposal.sign(
            height: header.height, round: Round(1), validRound: Round(0), block: block, proposer: ValidatorIndex(1),
            chainId: chainId, key: key)
        add(.proposal, proposal.encoded)
        add(.consensusMessage, ConsensusMessage.proposal(proposal).encoded)
        add(.consensusMessage, ConsensusMessage.vote(prevote).encoded)
        let messages: [NodeMessage] = [
            .consensus(.vote(nilPrecommit)), .transactions([transaction.encoded]), .status(Height(9)),
            .blockRequest(from: Height(2), count: 16), .block(block, commit),
        ]
        for message in messages { add(.nodeMessage, message.encoded) }
        // Peer frames: length ‖ body, a hello then a payload, as a link carries them.
        let hello = PeerFrame.hello(Hello(chainId: chainId, genesisHash: Hash32.sha256([1]), sender: ValidatorIndex(1)))
        var stream: [UInt8] = []
        for frame in [hello, PeerFrame.payload(NodeMessage.status(Height(4)).encoded)] {
            let body = frame.body
            stream += withUnsafeBytes(of: UInt32(body.count).bigEndian, Array.init) + body
        }
        add(.peerFrame, stream)
        // Governance transactions (kinds 6–8), one per action, signed with the fixed key.
        let other = try SigningKey(seed: [UInt8](repeating: 8, count: 32)).publicKey
        let actions: [GovernanceAction] = [
            .addValidator(Validator(name: "Köln", publicKey: other, peerAddress: "10.0.0.6:26656", power: 2)),
            .removeValidator(other), .setPower(other, power: 3), .rotateValidatorKey(old: other, new: key.publicKey),
            .addAuthority(
                AuthorityRecord(
                    id: Code("koeln")!, name: "Stadt Köln", publicKey: other,
                    documentTypes: [Code("birth-certificate")!, Code("parking-permit")!],
                    saltedDocumentTypes: [Code("parking-permit")!])),
            .rotateAuthorityKey(Code("koeln")!, new: key.publicKey),
            .setAuthorityTypes(Code("koeln")!, documentTypes: [Code("birth-certificate")!], salted: []),
        ]
        let bodies: [TransactionBody] =
            actions.map { .proposeGovernance(.init(action: $0, expiresAt: Height(100))) } + [
                .voteGovernance(.init(proposal: 1, approve: true)), .voteGovernance(.init(proposal: 2, approve: false)),
                .withdrawGovernance(.init(proposal: 3)),
                .setFourEyes(.init(authority: Code("aachen")!, documentTypes: [Code("birth-certificate")!])),
            ]
        for (i, body) in bodies.enumerated() {
            add(
                .transaction,
                Transaction(
                    body: body, time: Timestamp(rawValue: 1_767_225_600_000), nonce: UInt64(i), chainId: chainId,
                    key: key
                ).encoded)
        }

        // A co-signed (four-eyes) anchor, version 2, and its pending part alone.
        let pending = Transaction.Pending(
            body: .anchorDocument(
                .init(
                    document: Hash32.sha256([9]), documentType: Code("birth-certificate")!, authority: Code("aachen")!)),
            time: Timestamp(rawValue: 1_767_225_600_000), nonce: 99, chainId: chainId, key: key)
        add(
            .transaction,
            pending.cosigned(chainId: chainId, key: try SigningKey(seed: [UInt8](repeating: 8, count: 32))).encoded)
        add(.transaction, pending.encoded)

        for target in FuzzTarget.allCases {
            let dir = repository.appendingPathComponent("Tests/Fuzz/corpus/\(target.rawValue)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (i, seed) in (seeds[target] ?? []).enumerated() {
                if let failure = target.run(seed) { throw SeedError("seed \(i + 1) of \(target.rawValue): \(failure)") }
                try Data(seed).write(to: dir.appendingPathComponent("seed-\(i + 1)"))
            }
            print("\(target.rawValue): \(seeds[target]?.count ?? 0) seed(s)")
        }
    }
}

/// Why the seed corpora could not be written (a damaged vector file).
struct SeedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
