import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a document's status from a proof: trusting no node, only the genesis.",
        discussion: """
            Online, every answer is a state proof checked against the genesis (--genesis FILE, or the \
            one pinned on first use); the newest proven block must be younger than --max-age. \
            Offline, --receipt R --genesis G checks a saved receipt (version 1 or 2).
            Exit codes: 0 valid, 2 unknown (proven never anchored), 3 revoked, superseded, expired or \
            not yet valid, 4 invalid (a proof or receipt that does not check out), 5 stale (the newest \
            proof is older than --max-age), 1 other errors.
            """)

    @OptionGroup var document: DocumentToCheck

    @Option(help: "Verify offline from this receipt (needs --genesis); no network is used.")
    var receipt: String?

    @Option(help: "The chain's genesis file (online: instead of the pinned one; offline: required).")
    var genesis: String?

    @Option(help: "Refuse a proof whose block is older than this (e.g. 90s, 5m, 1h; online default 5m).")
    var maxAge: String?

    @Option(help: "Node API URL(s), comma-separated; every one is asked and the highest proven height wins.")
    var node: String = ProcessInfo.processInfo.environment["GOVCHAIN_NODE"] ?? "http://127.0.0.1:8080"

    @Flag(help: "Pin the genesis of a chain not pinned yet, though others are (trust on first use).")
    var pinNewChain = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard receipt == nil || genesis != nil else {
            throw ValidationError("Offline verification needs both --receipt and --genesis.")
        }
        if let maxAge, Self.seconds(maxAge) == nil {
            throw ValidationError("--max-age \"\(maxAge)\" is not a duration such as 90s, 5m, 1h or 1d.")
        }
    }

    /// "90", "90s", "5m", "2h", "1d" → seconds.
    static func seconds(_ text: String) -> UInt64? {
        let units: [Character: UInt64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let last = text.last, let unit = units[last] else { return UInt64(text) }
        guard let value = UInt64(text.dropLast()) else { return nil }
        let (seconds, overflow) = value.multipliedReportingOverflow(by: unit)
        return overflow ? nil : seconds
    }

    func run() async throws {
        let documentHash: Hash32
        do throws(GovChainError) { documentHash = try document.resolve().ledgerKey } catch {
            Output.error(error)
            throw Exit.other
        }
        if let receipt, let genesis {
            throw ExitCode(
                OfflineVerification.run(
                    receiptPath: receipt, genesisPath: genesis, documentHash: documentHash, json: output.json,
                    maxAgeSeconds: maxAge.flatMap(Self.seconds)))
        }
        let outcome = await OnlineVerification.run(
            documentHash: documentHash, nodes: node.split(separator: ",").map { String($0) }, genesisFile: genesis,
            maxAgeSeconds: maxAge.flatMap(Self.seconds) ?? 300, now: currentTime(), allowNewChain: pinNewChain)
        throw ExitCode(outcome.report(json: output.json))
    }
}

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Read the ledger through a node.",
        subcommands: [Status.self, BlockQuery.self, DocumentQuery.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Chain id, latest block, mempool.")
        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let status = try await NodeClient(node.node).status()
                if output.json { return Output.json(status) }
                print("chain         \(status.chain_id)")
                print("node          \(status.node)")
                print("latest block  \(status.latest_height)\(status.latest_time.map { " at \($0)" } ?? "")")
                if let hash = status.latest_hash { print("block hash    \(hash)") }
                print("waiting txs   \(status.mempool_size)")
                print("validators    \(status.validators.joined(separator: ", "))")
                print("genesis hash  \(status.genesis_hash)")
            }
        }
    }

    struct BlockQuery: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "block", abstract: "A block by height, or 'latest'.")
        @Argument(help: "Block height or latest.")
        var height: String
        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let block = try await NodeClient(node.node).block(height)
                if output.json { return Output.json(block) }
                print("block         \(block.height)  \(block.hash)")
                print("time          \(block.time)")
                print("proposer      \(block.proposer)")
                print("previous      \(block.previous_hash)")
                print("tx root       \(block.tx_root)")
                print("signed by     \(block.commit.map(\.name).joined(separator: ", ")) (round \(block.commit_round))")
                print("transactions  \(block.tx_count)")
                for tx in block.transactions.prefix(50) { print("  \(tx.tx_hash)  \(tx.kind)") }
                if block.transactions.count > 50 { print("  … \(block.transactions.count - 50) more (use --json)") }
            }
        }
    }

    struct DocumentQuery: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "document", abstract: "A document's ledger record by SHA-256.")
        @Argument(help: "SHA-256 of the document (64 hex characters).")
        var hash: String
        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let documentHash = try Hash32.parse(hash, what: "")
                guard let document = try await NodeClient(node.node).document(documentHash) else {
                    Output.error(
                        GovChainError(code: .documentUnknown, message: "No document \(documentHash.hex) is anchored."))
                    throw Exit.unknown
                }
                if output.json { return Output.json(document) }
                Output.describe(document).forEach { print($0) }
            }
        }
    }
}
