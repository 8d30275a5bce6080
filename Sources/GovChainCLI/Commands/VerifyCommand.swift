import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check whether a document is anchored and still valid.",
        discussion: "Exit codes: 0 valid, 2 unknown, 3 revoked, superseded or expired, 4 invalid, 1 other errors.")

    @Argument(help: "The document file to check.")
    var file: String?

    @Option(help: "The document's SHA-256 as 64 hex characters, instead of a file.")
    var hash: String?

    @Option(help: "Verify offline from this receipt (needs --genesis); no network is used.")
    var receipt: String?

    @Option(help: "The genesis file of the chain, for offline verification.")
    var genesis: String?

    @OptionGroup var node: NodeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (file == nil) != (hash == nil) else {
            throw ValidationError("Give either a document FILE or --hash HEX (exactly one).")
        }
        guard (receipt == nil) == (genesis == nil) else {
            throw ValidationError("Offline verification needs both --receipt and --genesis.")
        }
    }

    /// The hash to check: of FILE, or --hash.
    func documentHash() throws(GovChainError) -> Hash32 {
        if let file { return try Files.sha256(file) }
        return try Hash32.parse(hash ?? "", what: "--hash ")
    }

    func run() async throws {
        if let receipt, let genesis {
            let hash: Hash32
            do { hash = try documentHash() } catch {
                Output.error(error)
                throw Exit.other
            }
            throw ExitCode(
                OfflineVerification.run(
                    receiptPath: receipt, genesisPath: genesis, documentHash: hash, json: output.json))
        }
        try await Output.run {
            let documentHash = try documentHash()
            let client = NodeClient(node.node)
            guard let document = try await client.document(documentHash) else {
                if output.json {
                    Output.json(["document": documentHash.hex, "status": "unknown"])
                } else {
                    print("UNKNOWN: no document with this hash is anchored (asked \(node.node)).")
                    print("  document      \(documentHash.hex)")
                }
                throw Exit.unknown
            }
            if output.json {
                Output.json(document)
            } else {
                Output.describe(document).forEach { print($0) }
            }
            throw Output.exitCode(forStatus: document.status)
        }
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
