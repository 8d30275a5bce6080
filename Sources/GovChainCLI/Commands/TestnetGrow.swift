import ArgumentParser
import Foundation
import GovChainCore
import GovChainFiles
import GovChainStorage

/// `govchain testnet grow`: appends signed blocks straight into the ledgers of a stopped local
/// network, using the validator keys `testnet init` wrote. For the block-sync benchmark
/// (Scripts/bench-sync): a chain of thousands of real, fully signed blocks in seconds.
struct TestnetGrow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grow",
        abstract: "Append N signed blocks to the ledgers of a stopped local network (for sync benchmarks).")

    @Option(help: "Directory of a network made by `govchain testnet init` (all its nodes stopped).")
    var dir: String

    @Option(help: "How many blocks to append.")
    var blocks: Int

    @Option(help: "Anchors per block (signed by the first authority's clerk).")
    var txsPerBlock: Int = 1

    @Option(help: "Comma-separated validator names whose ledgers are NOT grown (e.g. the node that must sync).")
    var skip: String = ""

    func run() async throws {
        try await Output.run {
            let genesis = try Genesis.load(contentsOf: dir + "/genesis.json")
            let skipped = Set(TestnetPlan.split(skip).map(TestnetPlan.slug))
            var keys: [SigningKey] = []
            var stores: [BlockStore] = []
            for validator in genesis.validators.validators {
                let home = dir + "/" + TestnetPlan.slug(validator.name)
                keys.append(try Files.signingKey(home + "/config/validator.key"))
                if !skipped.contains(TestnetPlan.slug(validator.name)) {
                    stores.append(try BlockStore(directory: home + "/data/ledger", genesis: genesis))
                }
            }
            guard let first = stores.first, let authority = genesis.authorities.first else {
                throw GovChainError(code: .invalidArgument, message: "Nothing to grow.")
            }
            let clerk = try Files.signingKey(dir + "/" + authority.id.value + "/keys/clerk.key")
            let executor = BlockExecutor(rules: LedgerRules(genesis: genesis))
            let salt = UInt64.random(in: 0...UInt64.max)
            for n in 0..<blocks {
                let head = first.head
                let height = first.height.next
                let time = Timestamp(
                    rawValue: max(head?.time.rawValue ?? genesis.genesisTime.rawValue, genesis.genesisTime.rawValue) + 1
                )
                let transactions = (0..<txsPerBlock).map { i -> Transaction in
                    var seed = ByteWriter()
                    seed.u64(salt); seed.u64(UInt64(n)); seed.u64(UInt64(i))
                    return Transaction(
                        body: .anchorDocument(
                            .init(
                                document: Hash32.sha256(seed.bytes), documentType: Code("birth-certificate")!,
                                authority: authority.id)),
                        time: time, nonce: UInt64(i), chainId: genesis.chainId, key: clerk)
                }
                let (block, executed) = try executor.seal(
                    Block.make(
                        chainId: genesis.chainId, height: height, time: time, previousHash: head?.hash ?? .zero,
                        lastCommit: try head.flatMap { try first.commit(at: $0.height) }, transactions: transactions,
                        validators: genesis.validators, proposer: ValidatorIndex(UInt16(n % keys.count))),
                    over: first, parentRoot: first.stateTreeRoot, nodes: first, signaturesVerified: true)
                let commit = Commit(
                    precommits: keys.enumerated().map { i, key in
                        Vote.sign(
                            type: .precommit, height: height, round: 0, block: block.hash,
                            validator: ValidatorIndex(UInt16(i)), chainId: genesis.chainId,
                            key: key)
                    })
                for store in stores {
                    try store.append(block, commit: commit, executed: executed)
                }
            }
            print("Grew \(stores.count) ledger(s) to height \(first.height)")
        }
    }
}
