import Foundation
import GovChainAPI
import GovChainCore
import Logging
import ServiceLifecycle
import Testing

@testable import GovChainCLI

/// Issue 11 on a real network of four validators: salted anchors with QR codes and the PDF report
/// through the CLI, then the verify page in headless Chromium (Tests/Browser/verify_page.py):
/// valid, revoked, unknown, a salted anchor by its QR link, a lying node, and offline receipts
/// with the network stopped. Screenshots go to `$GOVCHAIN_SCREENSHOTS_DIR` (docs/images when
/// refreshed by hand) or a temporary directory.
@Suite(.serialized) struct VerifyPageEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct PageResult: Decodable {
        var name: String
        var verdict: String?
        var title: String
        var details: String
    }

    struct PageRun: Decodable {
        var browser: String
        var results: [PageResult]
    }

    @Test func saltedQRReportAndTheVerifyPageInABrowser() async throws {
        let cluster = try await ClusterEndToEndTests.Cluster(name: "page")
        defer { cluster.stopAll() }
        try await cluster.startAll()
        let url = cluster.urls[0]
        let genesis = cluster.directory + "/net/genesis.json"
        let govchain = Harness.PinnedCLI()
        defer { govchain.remove() }
        let doc = cluster.file
        let clerk = cluster.clerk
        let valid = try doc("geburtsurkunde.txt", "Geburtsurkunde Aachen 2026/41")
        let revoked = try doc("baugenehmigung.txt", "Baugenehmigung Aachen 2026/9")
        let unknown = try doc("unbekannt.txt", "nie verankert")
        let permit = try doc("parkausweis.txt", "Bewohnerparkausweis Zone B, AC-GC 2026")
        for path in [valid, revoked] {
            let anchored = try await govchain(
                "anchor", path, "--type", path == valid ? "birth-certificate" : "building-permit", "--key", clerk,
                "--node", url)
            try #require(anchored.status == 0, "\(anchored.stderr)")
        }
        let revoke = try await govchain("revoke", revoked, "--reason", "annulment", "--key", clerk, "--node", url)
        try #require(revoke.status == 0, "\(revoke.stderr)")

        // A parking permit is templated: salted by default, with its QR code.
        let qr = cluster.directory + "/permit-qr.png"
        let salted = try await govchain(
            "anchor", permit, "--type", "parking-permit", "--key", clerk, "--node", url, "--qr", qr, "--json")
        try #require(salted.status == 0, "\(salted.stderr)")
        let output = try JSONDecoder().decode(AnchorCommand.JSONOutput.self, from: Data(salted.stdout.utf8))
        let salt = try #require(output.salt, "a parking permit is salted by default")
        let permitHash = Hash32.sha256(Array("Bewohnerparkausweis Zone B, AC-GC 2026".utf8)).hex
        #expect(output.document == permitHash)
        #expect(output.ledger_key != permitHash)
        #expect(output.verify_url == "\(url)/v#\(permitHash).\(salt)")
        let scanned = try await Harness.run("/usr/bin/env", ["zbarimg", "--quiet", "--raw", qr])
        #expect(scanned.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == output.verify_url)
        // Without its salt the permit cannot be found; with it, it verifies.
        let bare = try await govchain("verify", permit, "--node", url)
        #expect(bare.status == 2 && bare.stdout.contains("--salt"), "\(bare.stdout)")
        let withSalt = try await govchain("verify", permit, "--salt", salt, "--node", url)
        #expect(withSalt.status == 0, "\(withSalt.stdout)")
        let badSalt = try await govchain("verify", permit, "--salt", "xyz", "--node", url)
        #expect(badSalt.status == 1 && badSalt.stderr.contains("salt"), "\(badSalt.stderr)")
        // A birth certificate is not templated: not salted unless asked.
        #expect(
            try await govchain(
                "anchor", try doc("b2.txt", "Geburtsurkunde 2"), "--type", "birth-certificate", "--key", clerk,
                "--node", url, "--json"
            ).stdout.contains("\"salt\"") == false)

        // The PDF report, from the CLI and from the node, read back with pdftotext.
        let pdf = cluster.directory + "/pruefbericht.pdf"
        let report = try await govchain("report", revoked, "--out", pdf, "--node", url)
        #expect(report.status == 3, "\(report.stdout)\(report.stderr)")
        let text = try await Harness.run("/usr/bin/env", ["pdftotext", "-enc", "UTF-8", pdf, "-"])
        #expect(text.stdout.contains("Prüfbericht zur Dokumentenverifikation"))
        #expect(text.stdout.contains("WIDERRUFEN"))
        #expect(text.stdout.contains("Rücknahme (§ 48 VwVfG)"))
        #expect(text.stdout.contains("Ausstellende Behörde"))
        let served = try await HTTPClient.request(.GET, "\(url)/v1/documents/\(permitHash)/report?salt=\(salt)")
        #expect(served.status == 200 && served.body.starts(with: Array("%PDF-".utf8)))

        // The browser: the page from a real node, and from a lying proxy in front of it.
        try #require(
            try await govchain("receipt", valid, "--status", "--out", cluster.directory + "/beleg.json", "--node", url)
                .status == 0)
        let proxy = ProofEndToEndTests.LyingProxy(upstream: url)
        let revokedHash = Hash32.sha256(Array("Baugenehmigung Aachen 2026/9".utf8)).hex
        let validHash = Hash32.sha256(Array("Geburtsurkunde Aachen 2026/41".utf8)).hex
        let other = try await NodeClient(url).proof(.document, validHash)
        proxy.material.withLock { $0 = (nil, other) }
        proxy.lie.withLock { $0 = .otherDocumentsRecord }
        let proxyPort = cluster.port + 60
        let running = try await proxy.start(port: proxyPort)
        defer { Task { await running.stop() } }
        let proxyURL = running.url
        let shots =
            ProcessInfo.processInfo.environment["GOVCHAIN_SCREENSHOTS_DIR"] ?? Harness.temporaryDirectory("shots")
        let stopped = cluster.directory + "/network-stopped"
        let plan: [[String: String]] = [
            ["name": "valid", "url": url + "/", "file": valid, "screenshot": shots + "/verify-valid.png"],
            ["name": "revoked", "url": url + "/verify", "file": revoked, "screenshot": shots + "/verify-revoked.png"],
            ["name": "unknown", "url": url + "/", "file": unknown, "screenshot": shots + "/verify-unknown.png"],
            ["name": "qr", "url": output.verify_url, "screenshot": shots + "/verify-qr-salted.png"],
            ["name": "lying", "url": proxyURL + "/", "file": revoked, "screenshot": shots + "/verify-lying-node.png"],
            [
                "name": "offline", "url": url + "/", "receipt": cluster.directory + "/beleg.json", "genesis": genesis,
                "wait_for": stopped, "screenshot": shots + "/verify-offline.png",
            ],
        ]
        let planPath = cluster.directory + "/plan.json"
        try JSONSerialization.data(withJSONObject: plan).write(to: URL(fileURLWithPath: planPath))
        let script = Self.repository.appendingPathComponent("Tests/Browser/verify_page.py").path
        let browser = Task { try await Harness.run("/usr/bin/env", ["python3", script, planPath], timeout: 240) }
        // Offline means offline: the last step waits until every node is down.
        for _ in 0..<2400 where !FileManager.default.fileExists(atPath: stopped + ".ready") {
            try await Task.sleep(for: .milliseconds(50))
        }
        await running.stop()
        for node in cluster.nodes { _ = await node.stop() }
        FileManager.default.createFile(atPath: stopped, contents: Data())
        let run = try await browser.value
        try #require(run.status == 0, "verify_page.py: \(run.stderr.suffix(3000))")
        let page = try JSONDecoder().decode(PageRun.self, from: Data(run.stdout.utf8))
        let results = Dictionary(uniqueKeysWithValues: page.results.map { ($0.name, $0) })
        func check(_ name: String, _ verdict: String, _ words: [String]) {
            guard let result = results[name] else {
                Issue.record("no result for \(name)")
                return
            }
            #expect(result.verdict == verdict, "\(name): \(result.verdict ?? "-") \(result.title) \(result.details)")
            for word in words {
                #expect(result.details.localizedCaseInsensitiveContains(word), "\(name): \(word) in \(result.details)")
            }
        }
        check("valid", "valid", ["gültig", "Aachen"])
        check("revoked", "revoked", ["widerrufen", "Rücknahme", "§ 48 VwVfG"])
        check("unknown", "unknown", ["unbekannt"])
        check("qr", "valid", ["gültig", "Parkausweis", "Salt"])
        check("lying", "invalid", ["Nachweis ungültig"])
        check("offline", "valid", ["gültig"])
        print("verify page tested in \(page.browser)")
    }
}
