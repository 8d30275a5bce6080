import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore
import Synchronization

/// `govchain bench`: an open-loop load generator. Pre-signs anchors, submits them at a fixed rate
/// (batch endpoint, nodes in turn), follows the chain for commits, and reports committed
/// throughput and submit-to-commit latency.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure committed anchors/s and submit-to-commit latency against running nodes.")

    @Option(help: "Comma-separated node API URLs to submit to, in turn.")
    var nodes: String = "http://127.0.0.1:8080"

    @Option(help: "Anchors per second to submit (open loop: the schedule does not wait for answers).")
    var rate: Int = 1_000

    @Option(help: "Seconds to submit for.")
    var duration: Int = 10

    @Option(help: "How many clerks sign (taken from the network directory's clerk keys).")
    var clerks: Int = 5

    @Option(help: "Network directory made by `govchain testnet init` (for the clerk keys).")
    var network: String = ".govchain-local"

    @Option(help: "The signature ceiling in anchors/s (`govchain bench-verify`), to report committed/s against.")
    var ceiling: Int?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Output.run {
            let urls = nodes.split(separator: ",").map(String.init)
            guard !urls.isEmpty, rate > 0, duration > 0, clerks > 0 else {
                throw GovChainError(
                    code: .invalidArgument,
                    message: "--nodes, --rate, --duration and --clerks must be given and positive.")
            }
            let status = try await NodeClient(urls[0]).status()
            guard let chainId = ChainID(status.chain_id) else {
                throw GovChainError(code: .nodeBadAnswer, message: "Invalid chain id.")
            }
            let signers = try BenchPlan.clerks(directory: network, count: clerks)
            let total = rate * duration
            if !output.json { print("bench: signing \(total) anchors with \(signers.count) clerk(s)…") }
            let transactions = await BenchPlan.sign(count: total, clerks: signers, chainId: chainId)
            if !output.json { print("bench: submitting \(rate)/s for \(duration) s to \(urls.count) node(s)…") }
            let report = try await BenchRun(
                urls: urls, rate: rate, duration: duration, transactions: transactions,
                startHeight: status.latest_height
            ).run()
            if output.json { return Output.json(report) }
            print(report.summary)
            if let ceiling, ceiling > 0 {
                let share = Double(report.committed_per_s) * 100 / Double(ceiling)
                print(
                    "bench: \(report.committed_per_s) of the \(ceiling) anchors/s ceiling: \(String(format: "%.0f", share)) %, offered \(String(format: "%.0f", Double(rate) * 100 / Double(ceiling))) %"
                )
            }
        }
    }
}

/// The bench's result, printed as one summary line or as JSON.
struct BenchReport: Encodable {
    var submitted: Int
    var refused: Int
    var committed: Int
    var duration_s: Int
    /// From the first submission to the last commit.
    var window_s: Double
    var committed_per_s: Int
    var latency_ms_p50: Int
    var latency_ms_p95: Int
    var latency_ms_p99: Int
    var blocks: Int

    var summary: String {
        "committed \(committed_per_s) anchors/s over \(duration_s) s (\(committed) in \(window_s) s from first submit to last commit), latency p50 \(latency_ms_p50) ms, p95 \(latency_ms_p95) ms, p99 \(latency_ms_p99) ms"
            + " (\(submitted) submitted, \(refused) refused, \(blocks) blocks)"
    }
}

enum BenchPlan {
    struct Clerk: Sendable {
        var key: SigningKey
        var authority: Code
    }

    /// The first `count` clerk keys under `directory/<authority>/keys/clerk.key`.
    static func clerks(directory: String, count: Int) throws(GovChainError) -> [Clerk] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var result: [Clerk] = []
        for name in names where result.count < count {
            let path = "\(directory)/\(name)/keys/clerk.key"
            guard FileManager.default.fileExists(atPath: path), let authority = Code(name) else { continue }
            result.append(Clerk(key: try Files.signingKey(path), authority: authority))
        }
        guard !result.isEmpty else {
            throw GovChainError(
                code: .benchNoClerks,
                message:
                    "No clerk keys under \(directory)/<authority>/keys/clerk.key; pass --network DIR of a `govchain testnet init` network."
            )
        }
        return result
    }

    /// Signs `count` anchors of fresh random document hashes, on all cores.
    static func sign(count: Int, clerks: [Clerk], chainId: ChainID) async -> [Transaction] {
        let salt = UInt64.random(in: 0...UInt64.max)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return await withTaskGroup(of: (Int, [Transaction]).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var out: [Transaction] = []
                    var i = worker
                    while i < count {
                        let clerk = clerks[i % clerks.count]
                        var seed = ByteWriter()
                        seed.u64(salt)
                        seed.u64(UInt64(i))
                        let body = TransactionBody.anchorDocument(
                            .init(
                                document: Hash32.sha256(seed.bytes), documentType: Code("birth-certificate")!,
                                authority: clerk.authority))
                        out.append(
                            Transaction(
                                body: body, time: currentTime(), nonce: UInt64(i), chainId: chainId, key: clerk.key))
                        i += workers
                    }
                    return (worker, out)
                }
            }
            var parts = [[Transaction]](repeating: [], count: workers)
            for await (worker, part) in group { parts[worker] = part }
            var merged: [Transaction] = []
            merged.reserveCapacity(count)
            for i in 0..<count { merged.append(parts[i % workers][i / workers]) }
            return merged
        }
    }
}

/// One open-loop run: a sender on a fixed schedule and a follower reading committed blocks.
struct BenchRun {
    static let tickMs = 20
    let urls: [String]
    let rate: Int
    let duration: Int
    let transactions: [Transaction]
    let startHeight: UInt64

    final class Tracker: Sendable {
        let submittedAt = Mutex<[String: ContinuousClock.Instant]>([:])
        let latenciesMs = Mutex<[Double]>([])
        /// When the last matched commit was seen.
        let lastCommit = Mutex<ContinuousClock.Instant?>(nil)
        let refused = Mutex(0)
        let blocks = Mutex(0)
    }

    func run() async throws -> BenchReport {
        let tracker = Tracker()
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(duration)
        let follower = Task { await follow(tracker: tracker, until: deadline + .seconds(15)) }
        let perTick = max(1, rate * Self.tickMs / 1000)
        var sent = 0
        var tick = 0
        await withTaskGroup(of: Void.self) { group in
            while sent < transactions.count {
                let due = start + .milliseconds(tick * Self.tickMs)
                try? await Task.sleep(until: due, clock: clock)
                let batch = Array(transactions[sent..<min(sent + perTick, transactions.count)])
                sent += batch.count
                let url = urls[tick % urls.count]
                tick += 1
                group.addTask { await submit(batch, to: url, tracker: tracker) }
            }
        }
        // Let the tail commit, then stop following.
        while clock.now < deadline + .seconds(15) {
            let pending = tracker.submittedAt.withLock { $0.count }
            if pending == 0 { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
        follower.cancel()
        _ = await follower.value
        let latencies = tracker.latenciesMs.withLock { $0 }.sorted()
        func percentile(_ p: Double) -> Int {
            latencies.isEmpty ? 0 : Int(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))].rounded())
        }
        // Committed per second over the whole window in which commits happened: from the first
        // submission to the last commit (not just the submission period), so a backlog that
        // drains after the schedule ends does not count as throughput.
        let last = tracker.lastCommit.withLock { $0 } ?? deadline
        let window = max(Double(duration), Self.seconds(last - start))
        return BenchReport(
            submitted: transactions.count, refused: tracker.refused.withLock { $0 }, committed: latencies.count,
            duration_s: duration, window_s: (window * 10).rounded() / 10,
            committed_per_s: Int(Double(latencies.count) / window),
            latency_ms_p50: percentile(0.50), latency_ms_p95: percentile(0.95), latency_ms_p99: percentile(0.99),
            blocks: tracker.blocks.withLock { $0 })
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func submit(_ batch: [Transaction], to url: String, tracker: Tracker) async {
        var writer = ByteWriter(capacity: batch.count * 260)
        let now = ContinuousClock.now
        tracker.submittedAt.withLock { map in
            for transaction in batch {
                writer.longBytes(transaction.encoded)
                map[transaction.id.hex] = now
            }
        }
        do {
            let reply = try await HTTPClient.request(
                .POST, url + "/v1/transactions/batch", body: writer.bytes, contentType: "application/octet-stream")
            let results = (try? JSONDecoder().decode([BatchResult].self, from: Data(reply.body))) ?? []
            let refusedIds = results.filter { $0.status != "pending" }.map(\.tx_hash)
            tracker.refused.withLock { $0 += reply.status == 202 ? refusedIds.count : batch.count }
            tracker.submittedAt.withLock { map in
                if reply.status != 202 { batch.forEach { map[$0.id.hex] = nil } }
                refusedIds.forEach { map[$0] = nil }
            }
        } catch {
            tracker.refused.withLock { $0 += batch.count }
            tracker.submittedAt.withLock { map in batch.forEach { map[$0.id.hex] = nil } }
        }
    }

    /// Reads every new block from the first node and matches its transactions.
    private func follow(tracker: Tracker, until end: ContinuousClock.Instant) async {
        let client = NodeClient(urls[0])
        var next = startHeight + 1
        while !Task.isCancelled && ContinuousClock.now < end {
            guard let latest = try? await client.status().latest_height else {
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            while next <= latest, !Task.isCancelled {
                guard let block = try? await client.block(String(next)) else { break }
                let now = ContinuousClock.now
                tracker.blocks.withLock { $0 += 1 }
                tracker.submittedAt.withLock { map in
                    for transaction in block.transactions {
                        guard let sentAt = map.removeValue(forKey: transaction.tx_hash) else { continue }
                        let ms =
                            Double((now - sentAt).components.attoseconds) / 1e15 + Double(
                                (now - sentAt).components.seconds) * 1000
                        tracker.latenciesMs.withLock { $0.append(ms) }
                        tracker.lastCommit.withLock { $0 = now }
                    }
                }
                next += 1
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
