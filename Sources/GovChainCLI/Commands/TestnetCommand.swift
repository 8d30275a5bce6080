import ArgumentParser
import Foundation
import GovChainCore

struct TestnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testnet", abstract: "Create a local network: genesis, keys and one home per node.",
        subcommands: [Init.self, TestnetGrow.self, TestnetJoin.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write DIR/genesis.json, DIR/nodes.json and DIR/<name>/ with keys and config for each municipality.")

        @Option(help: "Directory to create the network in (must not hold a network yet).")
        var dir: String

        @Option(help: "Comma-separated validator names (1 to 10).")
        var validators: String = TestnetPlan.modelMunicipalities.joined(separator: ",")

        @Option(
            help:
                "Comma-separated authority names (default: the validators). Each gets an authority key and a ready clerk."
        )
        var authorities: String?

        @Option(help: "First API port; node i listens for its API on P+i and for peers on P+100+i.")
        var basePort: Int = 8080

        @Option(help: "Chain id of the new network.")
        var chainId: String = "govchain-local-1"

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let plan = try TestnetPlan(
                    directory: dir, validatorNames: TestnetPlan.split(validators),
                    authorityNames: authorities.map(TestnetPlan.split), basePort: basePort, chainId: chainId,
                    now: currentTime())
                let nodes = try plan.write()
                if output.json {
                    Output.json(nodes)
                } else {
                    print(
                        "Created a \(plan.validatorNames.count)-validator network for \(plan.authorityNames.joined(separator: ", ")) in \(dir)"
                    )
                    for node in nodes { print("  \(node.name): API \(node.api_url), home \(node.home)") }
                    print("Clerk keys: \(dir)/<name>/keys/clerk.key   Authority keys: \(dir)/<name>/keys/authority.key")
                }
            }
        }
    }
}
