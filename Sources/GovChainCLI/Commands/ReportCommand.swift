import ArgumentParser
import Foundation
import GovChainCore
import GovChainPrint

/// `govchain report`: checks a document online exactly as `verify` does, then writes the German
/// PDF "Prüfbericht zur Dokumentenverifikation" of what was proven.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Check a document online and write a German PDF verification report (Prüfbericht).",
        discussion: """
            The check is the one `govchain verify` makes (a proof checked against the pinned genesis); \
            the exit codes are the same. No report is written for a proof that is invalid or stale.
            """)

    @OptionGroup var toCheck: DocumentToCheck

    @Option(help: "Where to write the PDF (never overwritten), e.g. pruefbericht.pdf.")
    var out: String

    @Option(help: "The chain's genesis file (instead of the pinned one).")
    var genesis: String?

    @Option(help: "Refuse a proof whose block is older than this (default 5m).")
    var maxAge: String = "5m"

    @Option(help: "Node API URL(s), comma-separated; the highest proven height wins.")
    var node: String = ProcessInfo.processInfo.environment["GOVCHAIN_NODE"] ?? "http://127.0.0.1:8080"

    @Flag(help: "Pin the genesis of a chain not pinned yet, though others are (trust on first use).")
    var pinNewChain = false

    func validate() throws {
        guard VerifyCommand.seconds(maxAge) != nil else {
            throw ValidationError("--max-age \"\(maxAge)\" is not a duration such as 90s, 5m, 1h or 1d.")
        }
    }

    func run() async throws {
        let (document, documentSalt, ledgerKey): (Hash32, DocumentSalt?, Hash32)
        do throws(GovChainError) { (document, documentSalt, ledgerKey) = try toCheck.resolve() } catch {
            Output.error(error)
            throw Exit.other
        }
        let maxAgeSeconds = VerifyCommand.seconds(maxAge) ?? 300
        let now = currentTime()
        let outcome = await OnlineVerification.run(
            documentHash: ledgerKey,
            nodes: node.split(separator: ",").map { String($0) }, genesisFile: genesis,
            maxAgeSeconds: maxAgeSeconds, now: now, allowNewChain: pinNewChain)
        let code = outcome.report(json: false)
        guard let best = outcome.best, let proof = outcome.bestProof, let pin = outcome.genesis,
            code != Exit.stale.rawValue
        else {
            FileHandle.standardError.write(Data("No report written: nothing was proven.\n".utf8))
            throw ExitCode(code)
        }
        do throws(GovChainError) {
            let report = VerificationReport(
                .init(
                    proof: proof, proven: best.proven, genesis: pin.genesis, document: document, salt: documentSalt,
                    checkedAt: now, source: "Knoten \(best.url)"))
            try Files.create(out, bytes: try ReportPDF.render(report), mode: 0o644)
        } catch {
            Output.error(error)
            throw Exit.other
        }
        print("  report        \(out) (Prüfbericht, PDF)")
        throw ExitCode(code)
    }
}
