import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore
import GovChainFiles
import GovChainPrint

/// Options every clerk command shares: the key that signs and the node that receives.
struct ClerkOptions: ParsableArguments {
    @Option(help: "The clerk's private key (PEM).")
    var key: String

    @Option(
        help:
            "Four eyes: sign only and write the transaction to this file; a second clerk of the same authority co-signs and submits it with `govchain cosign FILE`."
    )
    var out: String?

    @OptionGroup var node: NodeOptions
    @OptionGroup var output: OutputOptions
}

/// The chain the node runs.
func nodeChain(of client: NodeClient) async throws(GovChainError) -> ChainID {
    guard let chainId = ChainID(try await client.status().chain_id) else {
        throw GovChainError(code: .nodeBadAnswer, message: "The node reports an invalid chain id.")
    }
    return chainId
}

/// Signs `body` with the clerk key for the node's chain, submits it, and waits for the commit.
func submitSigned(
    _ body: TransactionBody, key: SigningKey, client: NodeClient
) async throws(GovChainError) -> SubmitResponse {
    let transaction = Transaction(
        body: body, time: currentTime(), nonce: UInt64.random(in: 0...UInt64.max),
        chainId: try await nodeChain(of: client), key: key)
    return try await submitWithRetries(transaction, client: client)
}

/// Submits and waits for the commit; a node at capacity says when to come back, and a clerk's
/// command waits and says so.
func submitWithRetries(_ transaction: Transaction, client: NodeClient) async throws(GovChainError) -> SubmitResponse {
    try await client.submit(transaction, attempts: 6) { error, seconds, attempt in
        FileHandle.standardError.write(
            Data("\(error.message)\nRetrying in \(seconds) s (attempt \(attempt + 1) of 6)…\n".utf8))
    }
}

/// A document command's signing step: submits and waits for the commit, or with `--out` writes
/// the transaction for a second clerk to co-sign (four eyes) and returns nil.
func signOrPrepare(
    _ body: TransactionBody, key: SigningKey, client: NodeClient, options: ClerkOptions
) async throws(GovChainError) -> SubmitResponse? {
    guard let out = options.out else { return try await submitSigned(body, key: key, client: client) }
    let chainId = try await nodeChain(of: client)
    let pending = Transaction.Pending(
        body: body, time: currentTime(), nonce: UInt64.random(in: 0...UInt64.max), chainId: chainId, key: key)
    try PendingTransactionFile.write(pending, chainId: chainId, to: out)
    return nil
}

/// The two lines every ledger-changing command ends with.
func printCommitted(_ result: SubmitResponse) {
    print("  block         \(result.height.map(String.init) ?? "pending")")
    print("  transaction   \(result.tx_hash)")
}

/// `--json` output of a revoke or supersede: the node's answer, or where the prepared file went.
func jsonResult(_ result: SubmitResponse?, _ options: ClerkOptions) {
    if let result { return Output.json(result) }
    Output.json(["status": "prepared", "file": options.out ?? ""])
}

/// What a document command prints instead when it only prepared a transaction (`--out`).
func printPrepared(_ options: ClerkOptions) {
    print("  prepared      \(options.out ?? "") (signed by you, not yet submitted)")
    print("  next          a second clerk of the same authority checks and submits it:")
    print("                govchain cosign \(options.out ?? "") --key SECOND-CLERK.key --node \(options.node.node)")
    print("                (within the chain's transaction window, see `govchain cosign --help`)")
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

    @Flag(
        inversion: .prefixedNo,
        help:
            "Anchor SHA-256(salt ‖ document hash) with a fresh random 16-byte salt, so nobody can guess the document and look it up (default: on for the types the authority marks as templated in the genesis)."
    )
    var salt: Bool?

    @Option(help: "Write a QR code with the verify link to this file (.svg or .png), for the printed document.")
    var qr: String?

    @Option(help: "The verify page a QR code leads to, e.g. https://verify.soest.de (default: the node's URL).")
    var verifyUrl: String?

    @OptionGroup var clerk: ClerkOptions

    /// What `anchor --json` prints: the node's answer, and what the clerk must keep.
    struct JSONOutput: Codable {
        /// Nil when only prepared (`--out`).
        var tx_hash: String?
        var status: String
        var height: UInt64?
        var index: UInt32?
        var document: String
        /// The ledger is keyed by this: the document hash, or SHA-256(salt ‖ document hash).
        var ledger_key: String
        var salt: String?
        var verify_url: String
    }

    func run() async throws {
        try await Output.run {
            let document = try Files.sha256(file)
            let documentType = try CodeArguments.code(type, "--type")
            if receipt != nil, clerk.out != nil {
                throw GovChainError(
                    code: .invalidArgument,
                    message:
                        "--receipt needs the commit: with --out, the second clerk asks for it (govchain cosign --receipt)."
                )
            }
            let key = try Files.signingKey(clerk.key)
            let client = NodeClient(clerk.node.node)
            let authorityId = try await resolveAuthority(authority, key: key, client: client)
            var salted = salt ?? false
            // The authority as in force on the ledger: its salted types, and whether this type
            // needs a second clerk (then say so before signing, not after a refusal).
            let inForce = try await client.authority(authorityId)
            if salt == nil { salted = inForce.salted_document_types.contains(documentType.value) }
            if clerk.out == nil, inForce.four_eyes_document_types.contains(documentType.value) {
                throw GovChainError(
                    code: .cosignatureRequired,
                    message:
                        "\(inForce.name) requires a second clerk's signature (four eyes) on \(documentType) documents: run this again with --out FILE, and have another clerk of \(authorityId) co-sign it with `govchain cosign FILE`."
                )
            }
            let documentSalt = salted ? DocumentSalt.random() : nil
            let hash = DocumentSalt.ledgerKey(document: document, salt: documentSalt)
            let link = VerifyLink.url(base: verifyUrl ?? clerk.node.node, document: document, salt: documentSalt)
            let now = currentTime()
            let from = try validFrom.map { text throws(GovChainError) in try time(text, now, "--valid-from") }
            let until = try validUntil.map { text throws(GovChainError) in try time(text, now, "--valid-until") }
            let body = TransactionBody.anchorDocument(
                .init(
                    document: hash, documentType: documentType, authority: authorityId,
                    reference: reference.map { Hash32.sha256(Array($0.utf8)) }, validFrom: from, validUntil: until))
            let result = try await signOrPrepare(body, key: key, client: client, options: clerk)
            var statusReceipt = false
            if let receipt {
                // A version-1 receipt where one exists; else (an authority or key governance
                // gave, a co-signed anchor) the status receipt, which proves the record itself.
                let bytes: Data
                do {
                    bytes = try await client.receipt(hash).canonicalJSON
                } catch let error as GovChainError where error.code == "receipt_unavailable" {
                    bytes = try await client.proof(.document, hash.hex).canonicalJSON
                    statusReceipt = true
                }
                try Files.create(receipt, String(decoding: bytes, as: UTF8.self), mode: 0o644)
            }
            if let qr { try Printing.writeQR(link, to: qr) }
            if clerk.output.json {
                Output.json(
                    JSONOutput(
                        tx_hash: result?.tx_hash, status: result?.status ?? "prepared", height: result?.height,
                        index: result?.index,
                        document: document.hex, ledger_key: hash.hex, salt: documentSalt?.hex, verify_url: link))
            } else {
                print(result == nil ? "Signed the anchor of \(file) for a second signature" : "Anchored \(file)")
                if let receipt {
                    print("  \(statusReceipt ? "status receipt" : "receipt       ") \(receipt)")
                }
                print("  document      \(document.hex)")
                if let documentSalt {
                    print("  salt          \(documentSalt.hex)")
                    print(
                        "                keep it with the document: checking it needs the salt (the QR code carries it)"
                    )
                    print("  ledger key    \(hash.hex) = SHA-256(salt ‖ document)")
                }
                print("  verify link   \(link)")
                if let qr { print("  QR code       \(qr)") }
                print("  type          \(documentType) for \(authorityId)")
                if let result { printCommitted(result) } else { printPrepared(clerk) }
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

    @Option(help: "The salt printed when the document was anchored (32 hex characters), for a salted anchor.")
    var salt: String?

    @OptionGroup var clerk: ClerkOptions

    func run() async throws {
        try await Output.run {
            let hash = DocumentSalt.ledgerKey(
                document: try Files.documentHash(fileOrHash: document), salt: try Printing.salt(salt))
            guard let reasonCode = RevocationReason(code: reason) else {
                throw GovChainError(
                    code: .invalidArgument,
                    message:
                        "--reason must be one of: \(RevocationReason.allCases.map(\.code).joined(separator: ", ")).")
            }
            let effectiveTime = try time(effective, currentTime(), "--effective")
            let key = try Files.signingKey(clerk.key)
            let result = try await signOrPrepare(
                .revokeDocument(.init(document: hash, reason: reasonCode, effective: effectiveTime)),
                key: key, client: NodeClient(clerk.node.node), options: clerk)
            if clerk.output.json {
                jsonResult(result, clerk)
            } else if let result {
                print("Revoked \(hash.hex): \(reasonCode), effective \(effectiveTime.rfc3339)")
                printCommitted(result)
            } else {
                print("Signed the revocation of \(hash.hex) (\(reasonCode)) for a second signature")
                printPrepared(clerk)
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

    @Option(help: "The old document's salt, if it was anchored salted.")
    var oldSalt: String?

    @Flag(
        inversion: .prefixedNo,
        help: "Anchor the new document salted (default: as the old document's type is marked in the genesis).")
    var salt: Bool?

    @Option(help: "Write a QR code for the new document (.svg or .png).")
    var qr: String?

    @Option(help: "The verify page a QR code leads to (default: the node's URL).")
    var verifyUrl: String?

    @OptionGroup var clerk: ClerkOptions

    func run() async throws {
        try await Output.run {
            let oldHash = DocumentSalt.ledgerKey(
                document: try Files.documentHash(fileOrHash: old), salt: try Printing.salt(oldSalt))
            let newDocument = try Files.documentHash(fileOrHash: new)
            let client = NodeClient(clerk.node.node)
            var salted = salt ?? false
            if salt == nil, let record = try await client.document(oldHash), let authority = Code(record.authority.id) {
                salted = try await client.authority(authority).salted_document_types.contains(record.document_type)
            }
            let newSalt = salted ? DocumentSalt.random() : nil
            let newHash = DocumentSalt.ledgerKey(document: newDocument, salt: newSalt)
            guard oldHash != newHash else {
                throw GovChainError(code: .invalidArgument, message: "The old and the new document are the same.")
            }
            let effectiveTime = try time(effective, currentTime(), "--effective")
            let key = try Files.signingKey(clerk.key)
            let result = try await signOrPrepare(
                .supersedeDocument(.init(old: oldHash, new: newHash, effective: effectiveTime)),
                key: key, client: client, options: clerk)
            let link = VerifyLink.url(base: verifyUrl ?? clerk.node.node, document: newDocument, salt: newSalt)
            if let qr { try Printing.writeQR(link, to: qr) }
            if clerk.output.json {
                jsonResult(result, clerk)
            } else {
                print(
                    result == nil
                        ? "Signed the supersession of \(oldHash.hex) for a second signature"
                        : "Superseded \(oldHash.hex)")
                print("  by            \(newDocument.hex), effective \(effectiveTime.rfc3339)")
                if let newSalt {
                    print("  salt          \(newSalt.hex) (of the new document: keep it with the document)")
                    print("  ledger key    \(newHash.hex) = SHA-256(salt ‖ document)")
                }
                print("  verify link   \(link)")
                if let result { printCommitted(result) } else { printPrepared(clerk) }
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
