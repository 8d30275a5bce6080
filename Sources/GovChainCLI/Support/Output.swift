import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

/// Documented exit codes of `govchain` (README, "Exit codes").
enum Exit {
    static let valid = ExitCode(0)
    static let other = ExitCode(1)
    static let unknown = ExitCode(2)
    static let revokedOrSuperseded = ExitCode(3)
    static let invalid = ExitCode(4)
    /// The newest proof is older than `--max-age`.
    static let stale = ExitCode(5)
}

/// Shared options: where the node is, and whether to print JSON.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print machine-readable JSON instead of text.")
    var json = false
}

struct NodeOptions: ParsableArguments {
    @Option(help: "URL of a GovChain node's API (default: $GOVCHAIN_NODE or http://127.0.0.1:8080).")
    var node: String = ProcessInfo.processInfo.environment["GOVCHAIN_NODE"] ?? "http://127.0.0.1:8080"
}

enum Output {
    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }

    static func error(_ error: GovChainError) {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
    }

    /// Runs a command body; a `GovChainError` is printed plainly and exits 1, so no user ever
    /// sees a Swift type name.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as GovChainError {
            Output.error(error)
            throw Exit.other
        }
    }

    /// Human-readable lines about a document's status, for `verify` and `query document`.
    static func describe(_ doc: DocumentResponse) -> [String] {
        var lines: [String] = []
        let headline: String
        switch doc.status {
        case "valid": headline = "VALID"
        case "revoked": headline = "REVOKED"
        case "superseded": headline = "SUPERSEDED"
        case "expired": headline = "EXPIRED"
        case "not_yet_valid": headline = "NOT YET VALID"
        default: headline = doc.status.uppercased()
        }
        lines.append("\(headline): \(doc.document_type) issued by \(doc.authority.name) (\(doc.authority.id))")
        lines.append("  document      \(doc.document)")
        lines.append("  anchored      \(doc.anchored.time) in block \(doc.anchored.height)")
        lines.append("                by clerk \(doc.anchored.clerk.prefix(16))…\(cosigned(doc.anchored.cosigner))")
        if let from = doc.valid_from { lines.append("  valid from    \(from)") }
        if let until = doc.valid_until { lines.append("  valid until   \(until)") }
        if let old = doc.supersedes { lines.append("  replaces      \(old)") }
        if let revocation = doc.revocation {
            lines.append("  revoked       \(revocation.reason_text), effective \(revocation.effective)")
            lines.append(
                "                recorded in block \(revocation.height) by clerk \(revocation.clerk.prefix(16))…\(cosigned(revocation.cosigner))"
            )
        }
        if let superseded = doc.superseded_by {
            lines.append("  replaced by   \(superseded.by)")
            lines.append("                effective \(superseded.effective), recorded in block \(superseded.height)")
            lines.append("                by clerk \(superseded.clerk.prefix(16))…\(cosigned(superseded.cosigner))")
        }
        lines.append("  transaction   \(doc.anchored.tx_hash)")
        return lines
    }

    /// ", co-signed by clerk …" for a four-eyes transaction, else nothing.
    private static func cosigned(_ cosigner: String?) -> String {
        cosigner.map { ", co-signed by clerk \($0.prefix(16))…" } ?? ""
    }

    static func exitCode(forStatus status: String) -> ExitCode {
        switch status {
        case "valid": Exit.valid
        case "revoked", "superseded", "expired", "not_yet_valid": Exit.revokedOrSuperseded
        default: Exit.other
        }
    }
}

/// Parses `2026-11-21`, `2026-11-21T10:00:00Z` or `now`.
func parseTime(_ text: String, now: Timestamp) -> Timestamp? {
    if text == "now" { return now }
    if let time = Timestamp(rfc3339: text) { return time }
    return Timestamp(rfc3339: text + "T00:00:00Z")
}

func currentTime() -> Timestamp { Timestamp(millisecondsSince1970: UInt64(Date().timeIntervalSince1970 * 1000)) }
