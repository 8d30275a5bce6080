import Foundation
import Testing

@testable import GovChainCore
@testable import GovChainStorage

/// The block store on a real LevelDB in a temporary directory.
@Suite struct BlockStoreTests {
    static let validator = try! SigningKey(seed: [UInt8](repeating: 1, count: 32))
    static let clerk = try! SigningKey(seed: [UInt8](repeating: 4, count: 32))
    static let genesis = try! Genesis(
        validating: GenesisFile(
            chain_id: "store-test", genesis_time: "2026-01-01T00:00:00Z", consensus: .init(),
            validators: [
                .init(name: "Aachen", public_key: validator.publicKey.hex, peer_address: "127.0.0.1:1", power: 1)
            ],
            authorities: [
                .init(
                    id: "aachen", name: "Stadt Aachen",
                    public_key: (try! SigningKey(seed: [UInt8](repeating: 2, count: 32))).publicKey.hex,
                    document_types: ["birth-certificate"])
            ],
            initial_clerks: [
                .init(authority: "aachen", public_key: clerk.publicKey.hex, document_types: ["birth-certificate"])
            ]))

    /// `milliseconds` after the genesis time (2026-01-01T00:00:00Z).
    static func at(_ milliseconds: UInt64) -> Timestamp { Timestamp(rawValue: 1_767_225_600_000 + milliseconds) }

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govchain-store-\(UUID().uuidString)")
        .path

    func anchor(_ text: String) -> Transaction {
        Transaction(
            body: .anchorDocument(
                .init(
                    document: Hash32.sha256(Array(text.utf8)), documentType: Code("birth-certificate")!,
                    authority: Code("aachen")!)),
            time: Self.at(0), nonce: 0, chainId: Self.genesis.chainId, key: Self.clerk)
    }

    /// Makes, executes and appends the next block; returns it.
    @discardableResult
    func appendNext(_ store: BlockStore, _ transactions: [Transaction]) throws -> Block {
        let (block, commit, changes) = try next(store, transactions)
        try store.append(block, commit: commit, executed: changes)
        return block
    }

    func next(
        _ store: BlockStore, _ transactions: [Transaction], time: Timestamp? = nil
    ) throws -> (Block, Commit, ExecutedBlock) {
        let head = store.head
        let height = store.height.next
        let (block, executed) = try BlockExecutor(rules: LedgerRules(genesis: Self.genesis)).seal(
            Block.make(
                chainId: Self.genesis.chainId, height: height, time: time ?? Self.at(height.rawValue * 1000),
                previousHash: head?.hash ?? .zero, lastCommit: try head.flatMap { try store.commit(at: $0.height) },
                transactions: transactions, validators: Self.genesis.validators, proposer: 0),
            over: store, parentRoot: store.stateTreeRoot, nodes: store)
        return (block, sign(block), executed)
    }

    func sign(_ block: Block, key: SigningKey = validator) -> Commit {
        Commit(precommits: [
            Vote.sign(
                type: .precommit, height: block.header.height, round: 0, block: block.hash, validator: 0,
                chainId: Self.genesis.chainId, key: key)
        ])
    }

    @Test func appendsAndReopens() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var hashes: [Hash32] = []
        do {
            let store = try BlockStore(directory: directory, genesis: Self.genesis)
            #expect(store.head == nil)
            #expect(try store.clerk(Self.clerk.publicKey)?.isActive == true)  // genesis state
            hashes.append(try appendNext(store, [anchor("a"), anchor("b")]).hash)
            hashes.append(try appendNext(store, []).hash)
            hashes.append(try appendNext(store, [anchor("c")]).hash)
        }
        let reopened = try BlockStore(directory: directory, genesis: Self.genesis)
        #expect(reopened.height == 3)
        #expect(reopened.head?.hash == hashes[2])
        for (i, hash) in hashes.enumerated() {
            #expect(try reopened.block(at: Height(UInt64(i + 1)))?.hash == hash)
            #expect(try reopened.height(ofBlock: hash) == Height(UInt64(i + 1)))
            #expect(try reopened.commit(at: Height(UInt64(i + 1)))?.blockHash == hash)
        }
        let doc = try #require(try reopened.document(Hash32.sha256(Array("c".utf8))))
        #expect(doc.anchoredHeight == 3)
        #expect(try reopened.transactionLocation(anchor("b").id) == TransactionLocation(height: 1, index: 1))
        #expect(try reopened.transaction(anchor("b").id)?.0 == anchor("b"))
        #expect(try reopened.block(at: 4) == nil)
        #expect(try reopened.clerks(of: Code("aachen")!).map(\.key) == [Self.clerk.publicKey])
    }

    @Test func refusesBlocksThatDoNotExtendTheHead() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlockStore(directory: directory, genesis: Self.genesis)
        let (first, firstCommit, firstChanges) = try next(store, [anchor("a")])
        try store.append(first, commit: firstCommit, executed: firstChanges)
        // The same height again: never overwritten.
        #expect(throws: GovChainError.self) { try store.append(first, commit: firstCommit, executed: firstChanges) }
        // A wrong previous hash.
        let (good, _, goodChanges) = try next(store, [])
        var wrongPrevious = good
        wrongPrevious.header.previousHash = Hash32.sha256([9])
        #expect(throws: GovChainError.self) {
            try store.append(wrongPrevious, commit: sign(wrongPrevious), executed: goodChanges)
        }
        // A commit signed by a key that is not a validator, and a commit for another block.
        #expect(throws: GovChainError.self) {
            try store.append(good, commit: sign(good, key: Self.clerk), executed: goodChanges)
        }
        #expect(throws: GovChainError.self) { try store.append(good, commit: firstCommit, executed: goodChanges) }
        // A time that does not move forward.
        let (stale, _, staleChanges) = try next(store, [], time: Self.at(1000))
        #expect(throws: GovChainError.self) { try store.append(stale, commit: sign(stale), executed: staleChanges) }
        // Refusals wrote nothing; the right block still goes in.
        #expect(store.height == 1)
        try store.append(good, commit: sign(good), executed: goodChanges)
        #expect(store.height == 2)
    }

    @Test("an equivocation recorded in one block is refused in a later one")
    func evidenceIsRecordedOnce() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlockStore(directory: directory, genesis: Self.genesis)
        func vote(_ block: Hash32?) -> Vote {
            Vote.sign(
                type: .prevote, height: 1, round: 0, block: block, validator: 0, chainId: Self.genesis.chainId,
                key: Self.validator)
        }
        let evidence = try #require(DuplicateVoteEvidence(vote(nil), vote(Hash32.sha256([1]))))
        func make(_ height: Height, evidence list: [DuplicateVoteEvidence]) throws -> (Block, ExecutedBlock) {
            let head = store.head
            return try BlockExecutor(rules: LedgerRules(genesis: Self.genesis)).seal(
                Block.make(
                    chainId: Self.genesis.chainId, height: height, time: Self.at(height.rawValue * 1000),
                    previousHash: head?.hash ?? .zero,
                    lastCommit: try head.flatMap { try store.commit(at: $0.height) }, transactions: [],
                    validators: Self.genesis.validators, proposer: 0, evidence: list),
                over: store, parentRoot: store.stateTreeRoot, nodes: store)
        }
        let (first, firstChanges) = try make(1, evidence: [evidence])
        try store.append(first, commit: sign(first), executed: firstChanges)
        #expect(try store.hasEvidence(evidence))
        let (again, againChanges) = try make(2, evidence: [evidence])
        #expect(
            performing: { try store.append(again, commit: sign(again), executed: againChanges) },
            throws: { ($0 as? GovChainError)?.code == "store_refused" })
        #expect(store.height == 1)
    }

    @Test func refusesForeignFoldersAndChains() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        #expect(
            performing: { try BlockStore(directory: directory, genesis: Self.genesis) },
            throws: { ($0 as? GovChainError)?.code == "store_not_govchain" })
        try FileManager.default.removeItem(atPath: directory)

        _ = try BlockStore(directory: directory, genesis: Self.genesis)
        var other = GenesisFile(
            chain_id: "other-chain", genesis_time: "2026-01-01T00:00:00Z", consensus: .init(),
            validators: [
                .init(name: "Aachen", public_key: Self.validator.publicKey.hex, peer_address: "127.0.0.1:1", power: 1)
            ],
            authorities: [
                .init(
                    id: "aachen", name: "Stadt Aachen", public_key: Self.clerk.publicKey.hex,
                    document_types: ["birth-certificate"])
            ],
            initial_clerks: [])
        let otherGenesis = try Genesis(validating: other)
        #expect(
            performing: { try BlockStore(directory: directory, genesis: otherGenesis) },
            throws: { ($0 as? GovChainError)?.code == "store_wrong_chain" })
        other.chain_id = "store-test"
        let sameChainOtherGenesis = try Genesis(validating: other)
        #expect(
            performing: { try BlockStore(directory: directory, genesis: sameChainOtherGenesis) },
            throws: { ($0 as? GovChainError)?.code == "store_wrong_genesis" })

        let file = directory + "-file"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(
            performing: { try BlockStore(directory: file, genesis: Self.genesis) },
            throws: { ($0 as? GovChainError)?.code == "store_not_govchain" })
    }

    @Test func levelDBErrorsSurfaceAsGovChainErrors() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Opening a missing database without create: LevelDB's own text comes through.
        do {
            _ = try LevelDB(path: directory + "/missing", create: false)
            Issue.record("opened a database that does not exist")
        } catch {
            #expect(error.code == "storage_error")
            #expect(error.cause?.isEmpty == false)
        }
    }

    @Test func aLedgerInUseIsReportedAsSuch() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try LevelDB(path: directory, create: true)
        defer { withExtendedLifetime(first) {} }
        #expect(
            performing: { try LevelDB(path: directory, create: true) },
            throws: { ($0 as? GovChainError)?.code == "storage_locked" })
    }

    /// One batch per block: the paired facts (block ↔ indices ↔ state) hold after every append.
    @Test func everyIndexIsWrittenWithItsBlock() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlockStore(directory: directory, genesis: Self.genesis)
        for round in 0..<20 {
            try appendNext(store, (0..<5).map { anchor("doc \(round) \($0)") })
        }
        for height in 1...20 {
            let block = try #require(try store.block(at: Height(UInt64(height))))
            for (index, tx) in block.transactions.enumerated() {
                #expect(
                    try store.transactionLocation(tx.id)
                        == TransactionLocation(height: Height(UInt64(height)), index: UInt32(index)))
                guard case .anchorDocument(let body) = tx.body else { continue }
                #expect(try store.document(body.document)?.anchorTx == tx.id)
            }
        }
        let scanned = try store.db.scan(prefix: Array("b/".utf8), limit: 100)
        #expect(scanned.count == 20)
    }

    @Test func metadataIsDurable() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let store = try BlockStore(directory: directory, genesis: Self.genesis)
            try store.setMetadata("signing", [1, 2, 3])
        }
        #expect(try BlockStore(directory: directory, genesis: Self.genesis).metadata("signing") == [1, 2, 3])
    }
}

extension BlockStoreTests {
    /// `state_retention_heights`: the nodes a block replaced are deleted `retention` blocks later,
    /// so disk stays bounded; every root in the window stays fully provable, older ones are refused.
    @Test func stateRetentionPrunesReplacedNodesOnly() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pruned = directory + "/pruned"
        let document = LedgerStateTree.key(document: Hash32.sha256(Array("retained 0 0".utf8)))
        let root = try pruneTwelveBlocks(into: pruned, document: document)  // closes its stores
        // The pruning progress is stored: reopened without retention, the node does not claim
        // the heights whose nodes are gone.
        try reopenWithoutRetention(pruned, root: root, document: document)
    }

    func pruneTwelveBlocks(into pruned: String, document: Hash32) throws -> Hash32 {
        let all = try BlockStore(directory: directory + "/kept", genesis: Self.genesis)
        let store = try BlockStore(directory: pruned, genesis: Self.genesis, stateRetentionHeights: 3)
        // Every block anchors new documents, so the upper levels of the tree are replaced each time.
        for round in 0..<12 {
            for target in [all, store] { try appendNext(target, (0..<8).map { anchor("retained \(round) \($0)") }) }
        }
        #expect(store.oldestProvableHeight == 9)
        func nodes(_ store: BlockStore) throws -> Int { try store.db.scan(prefix: Array("s/".utf8), limit: .max).count }
        #expect(try nodes(store) < nodes(all), "pruning deleted replaced nodes")
        for height in 9...12 {
            let (proof, record) = try #require(try store.stateProof(document, at: Height(UInt64(height))))
            let root = try #require(try store.stateRoot(at: Height(UInt64(height))))
            guard case .present(let valueHash)? = proof.verify(key: document, root: root) else {
                Issue.record("no membership proof at height \(height)")
                continue
            }
            #expect(record.map(LedgerStateTree.valueHash) == valueHash)
        }
        #expect(
            performing: { try store.stateProof(document, at: 8) },
            throws: { ($0 as? GovChainError)?.code == "height_unavailable" })
        // The unpruned store still proves everything.
        #expect(try all.stateProof(document, at: 1) != nil)
        return store.stateRoot
    }

    @Test(
        "state nodes and records are keyed by the height that wrote them (an empty block writes its root only); every height proves from a cold cache"
    )
    func versionedStateKeys() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let documents = (1...4).map { height in (0..<6).map { Hash32.sha256(Array("versioned \(height) \($0)".utf8)) } }
        func transactions(_ height: Int) -> [Transaction] {
            height % 2 == 1 ? (0..<6).map { anchor("versioned \(height) \($0)") } : []
        }
        do {
            let store = try BlockStore(directory: directory, genesis: Self.genesis)
            for height in 1...4 { try appendNext(store, transactions(height)) }
            func versions(_ prefix: String) throws -> [UInt64: Int] {
                var counts: [UInt64: Int] = [:]
                for entry in try store.db.scan(prefix: Array(prefix.utf8), limit: .max) {
                    #expect(entry.key.count == 2 + 8 + 32)
                    var reader = ByteReader(Array(entry.key[2..<10]))
                    counts[try reader.u64("version"), default: 0] += 1
                }
                return counts
            }
            let nodes = try versions("s/")
            #expect(Set(nodes.keys) == [0, 1, 2, 3, 4], "the genesis clerk at 0, then one version per block")
            #expect(nodes[2] == 1 && nodes[4] == 1, "an empty block rewrites its root and nothing else")
            #expect(try versions("r/") == [0: 1, 1: 6, 3: 6], "records beside their leaves")
        }
        // Reopened: the node cache is cold, so every proof reads its nodes by version from LevelDB.
        let reopened = try BlockStore(directory: directory, genesis: Self.genesis)
        for height in 1...4 {
            let root = try #require(try reopened.stateRoot(at: Height(UInt64(height))))
            for (anchoredAt, batch) in documents.enumerated() where anchoredAt % 2 == 0 {
                for document in batch {
                    let key = LedgerStateTree.key(document: document)
                    let (proof, record) = try #require(try reopened.stateProof(key, at: Height(UInt64(height))))
                    if anchoredAt + 1 <= height {
                        guard case .present(let valueHash)? = proof.verify(key: key, root: root) else {
                            Issue.record("no membership proof at height \(height)")
                            continue
                        }
                        #expect(record.map(LedgerStateTree.valueHash) == valueHash)
                    } else {
                        #expect(proof.verify(key: key, root: root) == .absent && record == nil)
                    }
                }
            }
        }
    }

    @Test(
        "a tree that is one leaf (the genesis clerk) survives empty blocks: its record moves with the rewritten root, pruning included"
    )
    func loneLeafRootAcrossEmptyBlocks() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clerk = LedgerStateTree.key(clerk: Self.clerk.publicKey)
        do {
            let store = try BlockStore(directory: directory, genesis: Self.genesis, stateRetentionHeights: 1)
            for _ in 1...3 { try appendNext(store, []) }
            // The leaf the new document pushes down keeps its link, written by block 3.
            try appendNext(store, [anchor("after empty blocks")])
        }
        let reopened = try BlockStore(directory: directory, genesis: Self.genesis, stateRetentionHeights: 1)
        for height in [3, 4] {
            let root = try #require(try reopened.stateRoot(at: Height(UInt64(height))))
            let (proof, record) = try #require(try reopened.stateProof(clerk, at: Height(UInt64(height))))
            guard case .present(let valueHash)? = proof.verify(key: clerk, root: root) else {
                Issue.record("no membership proof for the clerk at height \(height)")
                continue
            }
            #expect(record.map(LedgerStateTree.valueHash) == valueHash, "height \(height)")
        }
    }

    func reopenWithoutRetention(_ path: String, root: Hash32, document: Hash32) throws {
        let reopened = try BlockStore(directory: path, genesis: Self.genesis)
        #expect(reopened.stateRoot == root)
        #expect(reopened.oldestProvableHeight == 9)
        #expect(
            performing: { try reopened.stateProof(document, at: 8) },
            throws: { ($0 as? GovChainError)?.code == "height_unavailable" })
        #expect(try reopened.stateProof(document, at: 9) != nil)
    }
}
