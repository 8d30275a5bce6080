import ArgumentParser
import Foundation
import GovChainCore
import GovChainStorage

/// `govchain bench-ledger`: what one validator spends per anchor to execute and store blocks,
/// in this process, on a real LevelDB ledger in a temporary directory (no consensus, no network,
/// no other node sharing the cores), and how that changes as the ledger grows. Signatures are
/// made beforehand and count as checked at admission, as in a node; so this is the per-anchor
/// work beside the signature ceiling (issue 12) and the state root's share of it (issue 9).
struct BenchLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ledger",
        abstract: "Measure a validator's work per anchor (rules, state tree, synced store) on a growing ledger.")

    @Option(help: "Anchors to store in all.")
    var anchors: Int = 200_000

    @Option(help: "Anchors per block.")
    var block: Int = 1_000

    @Option(help: "Print a line every this many anchors.")
    var every: Int = 50_000

    @Option(help: "Directory for the ledger (a fresh temporary one by default; removed afterwards).")
    var directory: String?

    func run() async throws {
        try await Output.run {
            guard anchors > 0, block > 0, block <= 5_000, every > 0 else {
                throw GovChainError(
                    code: .invalidArgument, message: "--anchors and --every must be positive, --block 1 to 5000.")
            }
            let path =
                directory
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("govchain-bench-ledger-\(UUID())").path
            defer { if directory == nil { try? FileManager.default.removeItem(atPath: path) } }
            let bench = try LedgerBench(directory: path)
            print("bench-ledger: \(anchors) anchors in blocks of \(block), ledger at \(path)")
            print(
                "  anchors  rules µs  state µs  store µs  total µs    CPU µs  nodes/anchor  reads/anchor  disk KiB/anchor"
            )
            var stored = 0
            var window = LedgerBench.Timing()
            var cpu = LedgerBench.cpuSeconds()
            while stored < anchors {
                let count = min(block, anchors - stored)
                window.add(try bench.appendBlock(count))
                stored += count
                if stored % every == 0 || stored == anchors {
                    let disk = Double(LedgerBench.directoryBytes(path)) / 1024 / Double(stored)
                    let now = LedgerBench.cpuSeconds()
                    print(window.line(anchors: stored, cpu: now - cpu, disk: disk))
                    window = LedgerBench.Timing()
                    cpu = now
                }
            }
        }
    }
}

/// One validator's ledger, fed blocks of fresh anchors by one clerk.
private final class LedgerBench {
    let validator: SigningKey
    let clerk: SigningKey
    let type: Code
    let authority: Code
    let genesis: Genesis
    let store: BlockStore
    let executor: BlockExecutor
    var next = 0

    /// Microseconds spent per stage over some blocks, and what they wrote and read.
    struct Timing {
        var rules = Duration.zero
        var state = Duration.zero
        var store = Duration.zero
        var anchors = 0
        var nodes = 0
        var reads: UInt64 = 0

        mutating func add(_ other: Timing) {
            rules += other.rules
            state += other.state
            store += other.store
            anchors += other.anchors
            nodes += other.nodes
            reads += other.reads
        }

        /// - Parameter cpu: the process's CPU seconds meanwhile, LevelDB's compaction thread
        ///   included (signing the anchors too: `bench-verify` measures that side).
        func line(anchors total: Int, cpu: Double, disk: Double) -> String {
            func perAnchor(_ value: Double) -> Double { value / Double(max(1, anchors)) }
            func us(_ seconds: Double) -> String { String(format: "%.1f", perAnchor(seconds * 1_000_000)) }
            let columns: [(Int, String)] = [
                (9, "\(total)"), (10, us(BenchRun.seconds(rules))), (10, us(BenchRun.seconds(state))),
                (10, us(BenchRun.seconds(store))), (10, us(BenchRun.seconds(rules + state + store))), (10, us(cpu)),
                (14, String(format: "%.1f", perAnchor(Double(nodes)))),
                (14, String(format: "%.2f", perAnchor(Double(reads)))),
                (17, String(format: "%.2f", disk)),
            ]
            return columns.map { width, text in String(repeating: " ", count: max(0, width - text.count)) + text }
                .joined()
        }
    }

    init(directory: String) throws {
        validator = try SigningKey(seed: [UInt8](repeating: 1, count: 32))
        clerk = try SigningKey(seed: [UInt8](repeating: 4, count: 32))
        type = try CodeArguments.code("birth-certificate", "document type")
        authority = try CodeArguments.code("aachen", "authority")
        genesis = try Genesis(
            validating: GenesisFile(
                chain_id: "bench-ledger", genesis_time: "2026-01-01T00:00:00Z", consensus: .init(),
                validators: [
                    .init(
                        name: "Aachen", public_key: validator.publicKey.hex, peer_address: "127.0.0.1:1", power: 1)
                ],
                authorities: [
                    .init(
                        id: authority.value, name: "Stadt Aachen",
                        public_key: (try SigningKey(seed: [UInt8](repeating: 2, count: 32))).publicKey.hex,
                        document_types: [type.value])
                ],
                initial_clerks: [
                    .init(
                        authority: authority.value, public_key: clerk.publicKey.hex,
                        document_types: [type.value])
                ]))
        store = try BlockStore(directory: directory, genesis: genesis)
        executor = BlockExecutor(rules: LedgerRules(genesis: genesis))
    }

    /// Signs `count` fresh anchors (not timed), then executes, roots and stores them as the next
    /// block, timing each stage.
    func appendBlock(_ count: Int) throws(GovChainError) -> Timing {
        let height = store.height.next
        let time = Timestamp(rawValue: genesis.genesisTime.rawValue + height.rawValue * 10)
        let transactions = (next..<next + count).map { i in
            Transaction(
                body: .anchorDocument(
                    .init(
                        document: Hash32.sha256(Array("bench-ledger \(i)".utf8)), documentType: type,
                        authority: authority)),
                time: time, nonce: 0, chainId: genesis.chainId, key: clerk)
        }
        next += count
        let head = store.head
        var block = Block.make(
            chainId: genesis.chainId, height: height, time: time, previousHash: head?.hash ?? .zero,
            lastCommit: try head.flatMap { head throws(GovChainError) in try store.commit(at: head.height) },
            transactions: transactions, validators: genesis.validators, proposer: 0)
        var timing = Timing(anchors: count)
        let started = ContinuousClock.now
        let changes = try executor.execute(block, over: store, signaturesVerified: true)
        let ruled = ContinuousClock.now
        let readsBefore = store.stateNodeReads
        let state = try store.nextState(after: changes)
        let rooted = ContinuousClock.now
        timing.reads = store.stateNodeReads &- readsBefore
        timing.nodes = state.nodes.count
        block.header.stateRoot = state.root
        let commit = Commit(precommits: [
            Vote.sign(
                type: .precommit, height: height, round: 0, block: block.hash, validator: 0,
                chainId: genesis.chainId, key: validator)
        ])
        let signed = ContinuousClock.now
        try store.append(block, commit: commit, executed: ExecutedBlock(changes: changes, state: state))
        let appended = ContinuousClock.now
        timing.rules = ruled - started
        timing.state = rooted - ruled
        timing.store = appended - signed
        return timing
    }

    /// User and system CPU seconds of this process, all threads.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Bytes of the files under `path` (the ledger on disk).
    static func directoryBytes(_ path: String) -> Int {
        let files = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []
        return files.reduce(0) { sum, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "/" + file)[.size] as? Int) ?? 0
            return sum + size
        }
    }
}
