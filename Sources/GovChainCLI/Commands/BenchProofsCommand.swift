import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore
import Synchronization

/// `govchain bench-proofs`: how fast a node serves state proofs and how long checking one takes
/// in the verifier (issue 9's cost targets: ≥ 5 000 proofs/s per node, ≤ 2 ms to verify one).
/// Documents come from the latest blocks (membership proofs) plus as many random hashes
/// (absence proofs); requests run on `--concurrency` connections in parallel.
struct BenchProofsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-proofs", abstract: "Measure state proofs served per second and the time to verify one.")

    @Option(help: "The node API URL.")
    var node: String = "http://127.0.0.1:8080"

    @Option(help: "How many proofs to request.")
    var count: Int = 20_000

    @Option(help: "Requests in flight at once.")
    var concurrency: Int = 16

    @Option(help: "The chain's genesis file (to verify the proofs).")
    var genesis: String

    @Option(
        help:
            "Also write the proof paths used, one per line, to this file, and the anchored documents' paths to FILE.documents (for wrk)."
    )
    var pathsOut: String?

    func run() async throws {
        try await Output.run {
            guard count > 0, concurrency > 0 else {
                throw GovChainError(code: .invalidArgument, message: "--count and --concurrency must be positive.")
            }
            let genesis = try Genesis(json: try Files.read(self.genesis, what: "genesis file"), source: self.genesis)
            let client = NodeClient(node)
            let status = try await client.status()
            var documents: [String] = []
            var height = status.latest_height
            while height > 0, documents.count < 2_000 {
                let block = try await client.block(String(height))
                documents += block.transactions.compactMap { $0.kind == "anchorDocument" ? $0.documents?.first : nil }
                height -= 1
            }
            let present = documents.count
            documents += (0..<max(present, 100)).map { Hash32.sha256(Array("absent \($0)".utf8)).hex }
            if let pathsOut {
                // Proofs of present and absent documents; reads of anchored ones (a 404 is an error to wrk).
                for (file, chosen, suffix) in [
                    (pathsOut, documents[...], "/proof"), (pathsOut + ".documents", documents.prefix(present), ""),
                ] {
                    let text = chosen.map { "/v1/documents/\($0)\(suffix)\n" }.joined()
                    guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8)) else {
                        throw GovChainError(code: .fileWriteFailed, message: "Cannot write the paths file \(file).")
                    }
                }
            }
            print(
                "bench-proofs: \(present) anchored and \(documents.count - present) absent documents, chain height \(status.latest_height)"
            )

            // Served: `count` requests over `concurrency` workers.
            let (all, node, count) = (documents, self.node, self.count)
            let next = Counter()
            let bytes = Counter()
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            let i = next.add(1)
                            guard i < count else { return }
                            let reply = try await HTTPClient.request(
                                .GET, node + "/v1/documents/\(all[i % all.count])/proof")
                            guard reply.status == 200 else {
                                throw GovChainError(
                                    code: .nodeError, message: "The node answered HTTP \(reply.status).")
                            }
                            bytes.add(reply.body.count)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seconds = BenchRun.seconds(ContinuousClock.now - start)
            print(
                "bench-proofs: served \(count) proofs in \(String(format: "%.2f", seconds)) s: \(Int(Double(count) / seconds)) proofs/s, \(bytes.add(0) / count) bytes each on average"
            )

            // Verified: what `govchain verify` does with one answer (parse + check), in this process.
            var proofs: [Data] = []
            for document in documents.prefix(200) {
                proofs.append(
                    Data(try await HTTPClient.request(.GET, node + "/v1/documents/\(document)/proof").body))
            }
            let rounds = 5
            let verifyStart = ContinuousClock.now
            for _ in 0..<rounds {
                for data in proofs { _ = try StateProof(json: data, canonical: false).verify(genesis: genesis) }
            }
            let perProof = BenchRun.seconds(ContinuousClock.now - verifyStart) * 1000 / Double(rounds * proofs.count)
            print(
                "bench-proofs: verifying one proof (parse, commit signatures, path, record) takes \(String(format: "%.3f", perProof)) ms"
            )

            // Offline: what `govchain verify FILE --receipt R --genesis G` does with one receipt.
            var receipts: [Data] = []
            for document in documents.prefix(min(present, 200)) {
                let reply = try await HTTPClient.request(.GET, node + "/v1/documents/\(document)/receipt")
                if reply.status == 200 { receipts.append(Data(reply.body)) }
            }
            if !receipts.isEmpty {
                let verifier = ReceiptVerifier(genesis: genesis)
                let receiptStart = ContinuousClock.now
                for _ in 0..<rounds {
                    for data in receipts { _ = try verifier.verify(try Receipt(json: data)) }
                }
                let perReceipt =
                    BenchRun.seconds(ContinuousClock.now - receiptStart) * 1000 / Double(rounds * receipts.count)
                print(
                    "bench-proofs: verifying one receipt offline (parse, commit signatures, inclusion, clerk) takes \(String(format: "%.3f", perReceipt)) ms"
                )
            }
        }
    }
}

/// A shared count; `add` returns the value before adding.
private final class Counter: Sendable {
    private let value = Mutex(0)

    func add(_ n: Int) -> Int {
        value.withLock { value in
            defer { value += n }
            return value
        }
    }
}
