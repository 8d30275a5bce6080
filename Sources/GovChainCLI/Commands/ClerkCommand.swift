import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

struct ClerkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clerk", abstract: "Manage an authority's clerks (signed with the authority key).",
        subcommands: [Register.self, Revoke.self, List.self, FourEyes.self])

    struct AuthorityOptions: ParsableArguments {
        @Option(help: "The authority id, e.g. aachen.")
        var authority: String

        @Option(help: "The authority's private key (PEM).")
        var authorityKey: String

        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions

        func code() throws(GovChainError) -> Code {
            guard let code = Code(authority) else {
                throw GovChainError(
                    code: .invalidArgument, message: "--authority \"\(authority)\" is not an authority id.")
            }
            return code
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Authorise a clerk key for some document types.")

        @Option(help: "The clerk's public key: a .pub PEM file or 64 hex characters.")
        var clerk: String

        @Option(help: "Comma-separated document types, e.g. birth-certificate,residence-confirmation.")
        var types: String

        @OptionGroup var options: AuthorityOptions

        func run() async throws {
            try await Output.run {
                let clerkKey = try ClerkCommand.publicKey(clerk)
                let codes = try CodeArguments.codes(types, "--types")
                guard (1...TransactionBody.RegisterClerk.documentTypesMax).contains(Set(codes).count) else {
                    throw GovChainError(
                        code: .invalidArgument,
                        message:
                            "--types must name 1 to \(TransactionBody.RegisterClerk.documentTypesMax) document types.")
                }
                let result = try await submitSigned(
                    .registerClerk(.init(authority: try options.code(), clerk: clerkKey, documentTypes: codes)),
                    key: try Files.signingKey(options.authorityKey), client: NodeClient(options.node.node))
                if options.output.json { return Output.json(result) }
                print(
                    "Registered clerk \(clerkKey.hex) for \(options.authority): \(codes.map(\.value).joined(separator: ", "))"
                )
                printCommitted(result)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw a clerk's authorisation; its earlier anchors stay valid.")

        @Option(help: "The clerk's public key: a .pub PEM file or 64 hex characters.")
        var clerk: String

        @OptionGroup var options: AuthorityOptions

        func run() async throws {
            try await Output.run {
                let clerkKey = try ClerkCommand.publicKey(clerk)
                let result = try await submitSigned(
                    .revokeClerk(.init(authority: try options.code(), clerk: clerkKey)),
                    key: try Files.signingKey(options.authorityKey), client: NodeClient(options.node.node))
                if options.output.json { return Output.json(result) }
                print(
                    "Revoked clerk \(clerkKey.hex) of \(options.authority) in block \(result.height.map(String.init) ?? "pending")"
                )
            }
        }
    }

    struct FourEyes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "four-eyes",
            abstract: "Require a second clerk's signature on anchor, revoke and supersede of some document types.",
            discussion: """
                Replaces the authority's list: `--types building-permit,business-registration` puts those \
                types under four eyes, `--types none` lifts the rule. Clerks then prepare with `--out FILE` \
                and a second clerk co-signs with `govchain cosign FILE`.
                """)

        @Option(help: "Comma-separated document types, or none.")
        var types: String

        @OptionGroup var options: AuthorityOptions

        func run() async throws {
            try await Output.run {
                let codes = types == "none" ? [] : try CodeArguments.codes(types, "--types")
                let result = try await submitSigned(
                    .setFourEyes(.init(authority: try options.code(), documentTypes: codes)),
                    key: try Files.signingKey(options.authorityKey), client: NodeClient(options.node.node))
                if options.output.json { return Output.json(result) }
                print(
                    codes.isEmpty
                        ? "\(options.authority): no document type needs a second signature any more"
                        : "\(options.authority): \(codes.map(\.value).joined(separator: ", ")) now need a second clerk's signature (four eyes)"
                )
                printCommitted(result)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an authority's clerks.")

        @Option(help: "The authority id, e.g. aachen.")
        var authority: String

        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let clerks = try await NodeClient(node.node).clerks(of: authority)
                if output.json { return Output.json(clerks) }
                if clerks.isEmpty { print("\(authority) has no clerks.") }
                for clerk in clerks {
                    let since = clerk.registered_height == 0 ? "genesis" : "block \(clerk.registered_height)"
                    let status = clerk.revoked_height.map { "revoked in block \($0)" } ?? "active"
                    print(
                        "\(clerk.public_key)  \(status), since \(since): \(clerk.document_types.joined(separator: ", "))"
                    )
                }
            }
        }
    }

    static func publicKey(_ text: String) throws(GovChainError) -> PublicKey {
        if let key = PublicKey(hex: text) { return key }
        let pem = String(decoding: try Files.read(text, what: "public key file"), as: UTF8.self)
        return try PublicKey(pem: pem)
    }
}
