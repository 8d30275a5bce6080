import ArgumentParser
import Foundation
import GovChainCore

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create and inspect Ed25519 keys (PEM: PKCS#8 private, SPKI public).",
        subcommands: [Generate.self, Show.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a key pair: FILE (private, mode 0600) and FILE.pub (public). Never overwrites.")

        @Option(help: "Where to write the private key; the public key goes to the same path plus .pub.")
        var out: String

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let key = SigningKey()
                try KeyWriter.write(key, to: out)
                if output.json {
                    Output.json([
                        "private_key_file": out, "public_key_file": out + ".pub", "public_key": key.publicKey.hex,
                    ])
                } else {
                    print("Wrote private key \(out) (mode 0600) and public key \(out).pub")
                    print("Public key: \(key.publicKey.hex)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public key (hex) of a private or public PEM key file.")

        @Argument(help: "A PEM key file.")
        var file: String

        func run() async throws {
            try await Output.run {
                let text = String(decoding: try Files.read(file, what: "key file"), as: UTF8.self)
                if text.contains("PRIVATE KEY") {
                    print(try SigningKey(pem: text).publicKey.hex)
                } else {
                    print(try PublicKey(pem: text).hex)
                }
            }
        }
    }
}

enum KeyWriter {
    /// Writes the private key (0600) and its public key (0644); refuses to overwrite either.
    static func write(_ key: SigningKey, to path: String) throws(GovChainError) {
        if FileManager.default.fileExists(atPath: path + ".pub") {
            throw GovChainError(
                code: .fileExists,
                message: "\(path).pub already exists; GovChain never overwrites a key file. Choose another --out.")
        }
        try Files.create(path, key.pem + "\n", mode: 0o600)
        try Files.create(path + ".pub", key.publicKey.pem + "\n", mode: 0o644)
    }
}
