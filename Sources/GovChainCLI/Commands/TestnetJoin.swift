import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore
import GovChainFiles

/// `govchain testnet join`: makes the home of a new validator beside a local network (the
/// network's genesis, a fresh validator key, node.json with its own ports), and says how the
/// others admit it (docs/GOVERNANCE.md, "Joining").
struct TestnetJoin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Make DIR/<name>/ for a new validator of a local network; governance then admits it.")

    @Option(help: "Directory of a network made by `govchain testnet init`.")
    var dir: String

    @Option(help: "The new validator's name, e.g. Köln.")
    var name: String

    @Option(help: "Its API port.")
    var apiPort: Int

    @Option(help: "Its peer port.")
    var peerPort: Int

    @OptionGroup var output: OutputOptions

    struct Result: Codable {
        var name: String
        var home: String
        var public_key: String
        var peer_address: String
        var api_url: String
    }

    func run() async throws {
        try await Output.run {
            let genesisPath = dir + "/genesis.json"
            let genesisBytes = try Files.read(genesisPath, what: "network genesis")
            let genesis = try Genesis(json: genesisBytes, source: genesisPath)
            guard !name.isEmpty, name.utf8.count <= Validator.nameBytesMax,
                genesis.validators.index(named: name) == nil
            else {
                throw GovChainError(
                    code: .invalidArgument, message: "--name must be 1 to 64 bytes and not a genesis validator's name.")
            }
            guard (1...65_535).contains(apiPort), (1...65_535).contains(peerPort) else {
                throw GovChainError(code: .invalidArgument, message: "--api-port and --peer-port must be TCP ports.")
            }
            let home = dir + "/" + TestnetPlan.slug(name)
            guard !FileManager.default.fileExists(atPath: home) else {
                throw GovChainError(code: .fileExists, message: "\(home) exists already.")
            }
            try TestnetPlan.makeDirectory(home + "/config")
            try TestnetPlan.writeFile(home + "/config/genesis.json", genesisBytes)
            let key = SigningKey()
            try Files.create(home + "/config/validator.key", key.pem + "\n", mode: 0o600)
            let peer = "127.0.0.1:\(peerPort)"
            var config = NodeConfig(name: name, api_address: "127.0.0.1:\(apiPort)")
            config.peer_listen_address = peer
            try config.write(home: home)
            let result = Result(
                name: name, home: home, public_key: key.publicKey.hex, peer_address: peer,
                api_url: "http://127.0.0.1:\(apiPort)")
            if output.json { return Output.json(result) }
            print("Made \(home) for validator \(name) (key \(key.publicKey.hex)).")
            print("Admit it (a validator proposes, others approve until more than two thirds of the power agree):")
            print(
                "  govchain governance propose add-validator --name '\(name)' --public-key \(key.publicKey.hex) --peer-address \(peer) --key <validator.key> --node <url>"
            )
            print("  govchain governance approve <id> --key <validator.key> --node <url>")
            print(
                "Then start it: govchaind start --home \(home)   (it catches up, and signs from the height the set names it)"
            )
        }
    }
}
