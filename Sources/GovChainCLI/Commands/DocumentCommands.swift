import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

/// Options every clerk command shares: the key that signs and the node that receives.
struct ClerkOptions: ParsableArguments {
    @Option(help: "The clerk's private key (PEM).")
    var key: String

    @OptionGroup var node: NodeOptions
    @OptionGroup var output: OutputOptions
}

/// Signs `body` with the clerk key for the node's chain, submits it, and waits for the commit.
func submitSigned(
    _ body: TransactionBody, key: SigningKey, client: NodeClient
) async throws(GovChainError) -> SubmitResponse {
    let status = try await client.status()
    guard let chainId = ChainID(status.chain_id) else {
        throw GovChainError(code: .nodeBadAnswer, message: "The node reports an invalid chain id.")
    }
    let transaction = Transaction(
        body: body, time: currentTime(), nonce: UInt64.random(in: 0...UInt64.max), chainId: chainId, key: key)
    // A node at capacity says when to come back; a clerk's command waits and says so.
    return try await client.submit(transaction, attempts: 6) { error, seconds, attempt in
        FileHandle.standardError.write(
            Data("\(error.message)\nRetrying in \(seconds) s (attempt \(attempt + 1) of 6)…\n".utf8))
    }
}

/// The two lines every ledger-changing command ends with.
func printCommitted(_ result: SubmitResponse) {
    print("  block         \(result.height.map(String.init) ?? "pending")")
    print("  transaction   \(result.tx_hash)")
}

struct AnchorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor",
        abstract: "Anchor the SHA-256 of an issued document (the file never leaves this machine).")

    @Argument(help: "The issued document file.")
    var file: String

    @Option(help: "Document type, e.g. birth-certificate.")
    var type: String

    @Option(help: "Authority id the clerk acts for (default: looked up from the clerk's registration).")
    var authority: String?

    @Option(help: "A case reference; only its SHA-256 is put on the ledger.")
    var reference: String?

    @Option(help: "Start of validity (YYYY-MM-DD or RFC 3339).")
    var validFrom: String?

    @Option(help: "End of validity (YYYY-MM-DD or RFC 3339); verification reports 'expired' after it.")
    var validUntil: String?

    @Option(help: "After the commit, write the offline-verifiable receipt to this file.")
    var receipt: String?

    @OptionGroup var clerk: ClerkOptions

    func run() async throws {
        try await Output.run {
            let hash = try Files.sha256(file)
            guard let documentType = Code(type) else {
                throw GovChainError(
                    code: .invalidArgument, message: "--type \"\(type)\" may use only a-z, 0-9 and '-'.")
            }
            let key = try Files.signingKey(clerk.key)
            let client = NodeClient(clerk.node.node)
            let authorityId = try await resolveAuthority(authority, key: key, client: client)
            let now = currentTime()
            let from = try validFrom.map { text throws(GovChainError) in try time(text, now, "--valid-from") }
            let until = try validUntil.map { text throws(GovChainError) in try time(text, now, "--valid-until") }
            let body = TransactionBody.anchorDocument(
                .init(
                    document: hash, documentType: documentType, authority: authorityId,
                    reference: reference.map { Hash32.sha256(Array($0.utf8)) }, validFrom: from, validUntil: until))
            let result = try await submitSigned(body, key: key, client: client)
            if let receipt {
                let proof = try await client.receipt(hash)
                try Files.create(receipt, String(decoding: proof.canonicalJSON, as: UTF8.self), mode: 0o644)
            }
            if clerk.output.json {
                Output.json(result)
            } else {
                print("Anchored \(file)")
                if let receipt { print("  receipt       \(receipt)") }
                print("  document      \(hash.hex)")
                print("  type          \(documentType) for \(authorityId)")
                printCommitted(result)
            }
        }
    }
}

struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an anchored document.")

    @Argument(help: "The document file, or its SHA-256 as 64 hex characters.")
    var document: String

    @Option(help: "Reason: \(RevocationReason.allCases.map(\.code).joined(separator: ", ")).")
    var reason: String

    @Option(help: "When the revocation takes effect (YYYY-MM-DD, RFC 3339, or now).")
    var effective: String = "now"

    @OptionGroup var clerk: ClerkOptions

    func run() async throws {
        try await Output.run {
            let hash = try Files.documentHash(fileOrHash: document)
            guard let reasonCode = RevocationReason(code: reason) else {
                throw GovChainError(
                    code: .invalidArgument,
                    message:
                        "--reason must be one of: \(RevocationReason.allCases.map(\.code).joined(separator: ", ")).")
            }
            let effectiveTime = try time(effective, currentTime(), "--effective")
            let key = try Files.signingKey(clerk.key)
            let result = try await submitSigned(
                .revokeDocument(.init(document: hash, reason: reasonCode, effective: effectiveTime)),
                key: key, client: NodeClient(clerk.node.node))
            if clerk.output.json {
                Output.json(result)
            } else {
                print("Revoked \(hash.hex): \(reasonCode), effective \(effectiveTime.rfc3339)")
                printCommitted(result)
            }
        }
    }
}

struct SupersedeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supersede",
        abstract: "Replace an anchored document by a new one (the new one is anchored by this).")

    @Argument(help: "The old document (file or SHA-256 hex).")
    var old: String

    @Argument(help: "The new document (file or SHA-256 hex).")
    var new: String

    @Option(help: "When the replacement takes effect (YYYY-MM-DD, RFC 3339, or now).")
    var effective: String = "now"

    @OptionGroup var clerk: ClerkOptions

    func run() async throws {
        try await Output.run {
            let oldHash = try Files.documentHash(fileOrHash: old)
            let newHash = try Files.documentHash(fileOrHash: new)
            guard oldHash != newHash else {
                throw GovChainError(code: .invalidArgument, message: "The old and the new document are the same.")
            }
            let effectiveTime = try time(effective, currentTime(), "--effective")
            let key = try Files.signingKey(clerk.key)
            let result = try await submitSigned(
                .supersedeDocument(.init(old: oldHash, new: newHash, effective: effectiveTime)),
                key: key, client: NodeClient(clerk.node.node))
            if clerk.output.json {
                Output.json(result)
            } else {
                print("Superseded \(oldHash.hex)")
                print("  by            \(newHash.hex), effective \(effectiveTime.rfc3339)")
                printCommitted(result)
            }
        }
    }
}

func time(_ text: String, _ now: Timestamp, _ option: String) throws(GovChainError) -> Timestamp {
    guard let value = parseTime(text, now: now) else {
        throw GovChainError(
            code: .invalidArgument,
            message: "\(option) \"\(text)\" is not a date (YYYY-MM-DD), an RFC 3339 time, or now.")
    }
    return value
}

func resolveAuthority(_ given: String?, key: SigningKey, client: NodeClient) async throws(GovChainError) -> Code {
    if let given {
        guard let code = Code(given) else {
            throw GovChainError(code: .invalidArgument, message: "--authority \"\(given)\" is not an authority id.")
        }
        return code
    }
    let record: ClerkResponse
    do {
        record = try await client.clerk(key.publicKey)
    } catch  where error.code == "clerk_unknown" {
        throw GovChainError(
            code: .clerkNotRegistered,
            message:
                "This key is not a registered clerk on the node's chain; an authority must register it first (govchain clerk register)."
        )
    }
    guard let code = Code(record.authority.id) else {
        throw GovChainError(code: .nodeBadAnswer, message: "The node returned an invalid authority id.")
    }
    return code
}
