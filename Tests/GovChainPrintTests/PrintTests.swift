import Foundation
import GovChainAPI
import GovChainCore
import GovChainFiles
import Testing

@testable import GovChainPrint

/// QR codes and the PDF report, checked with independent readers: zbarimg decodes the QR images,
/// pdftotext reads the PDF back (Scripts/bootstrap installs both).
@Suite struct PrintTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) failed (is it installed? Scripts/bootstrap)")
        return String(decoding: output, as: UTF8.self)
    }

    static func temporary(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("govchain-print-\(UUID())-\(name)")
            .path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let link = VerifyLink.url(
        base: "https://verify.soest.de/", document: Hash32.sha256(Array("Anwohnerparkausweis".utf8)),
        salt: DocumentSalt(Array(0..<16)))

    @Test func verifyLinkKeepsHashAndSaltAfterTheFragmentMark() {
        let hash = Hash32.sha256(Array("x".utf8))
        #expect(VerifyLink.url(base: "http://a:1//", document: hash, salt: nil) == "http://a:1/v#\(hash.hex)")
        #expect(Self.link.hasPrefix("https://verify.soest.de/v#"))
        #expect(Self.link.hasSuffix(".000102030405060708090a0b0c0d0e0f"))
    }

    @Test func saltedLedgerKeyIsSHA256OfSaltThenHash() throws {
        let document = Hash32.sha256(Array("x".utf8))
        let salt = try DocumentSalt.parse("000102030405060708090a0b0c0d0e0f", what: "")
        #expect(DocumentSalt.ledgerKey(document: document, salt: nil) == document)
        #expect(DocumentSalt.ledgerKey(document: document, salt: salt) == Hash32.sha256(salt.bytes + document.bytes))
        #expect(throws: GovChainError.self) { try DocumentSalt.parse("00", what: "--salt ") }
        #expect(DocumentSalt.random() != DocumentSalt.random())
    }

    @Test func pngQRCodeDecodesToTheVerifyLink() throws {
        let png = try QRCode(text: Self.link).png()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let decoded = try Self.run("zbarimg", ["--quiet", "--raw", try Self.temporary("qr.png", png)])
        #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines) == Self.link)
    }

    @Test func svgQRCodeHasTheSameModulesAsThePNG() throws {
        let code = try QRCode(text: Self.link)
        let svg = code.svg(title: "Prüf-Link")
        #expect(svg.contains("viewBox=\"0 0 \(code.size + 8) \(code.size + 8)\""))
        #expect(svg.contains("<title>Prüf-Link</title>"))
        // Every dark module is covered by exactly one run of the path.
        let runs = svg.split(separator: "M").dropFirst()
        let covered = runs.reduce(0) { total, run in
            total + Int(run.split(separator: "h")[1].split(separator: "v")[0])!
        }
        #expect(covered == code.modules.filter { $0 }.count)
        #expect(code.size >= 21 && (code.size - 17) % 4 == 0)
    }

    @Test func qrCodeRefusesEmptyAndOversizedText() {
        #expect(throws: GovChainError.self) { try QRCode(text: "") }
        #expect(throws: GovChainError.self) { try QRCode(text: String(repeating: "a", count: 1025)) }
    }

    static func vector(_ name: String) throws -> (VerificationReport.Input, Genesis) {
        let vectors = repository.appendingPathComponent("docs/vectors")
        let genesis = try Genesis.load(contentsOf: vectors.appendingPathComponent("genesis.json").path)
        let proof = try StateProof(
            json: try Data(contentsOf: vectors.appendingPathComponent(name)), canonical: true)
        let proven = try proof.verify(genesis: genesis)
        let input = VerificationReport.Input(
            proof: proof, proven: proven, genesis: genesis, document: try #require(Hash32(hex: proof.subject)),
            salt: nil, checkedAt: Timestamp(rawValue: proven.time.rawValue + 60_000),
            source: "Knoten http://127.0.0.1:8080")
        return (input, genesis)
    }

    @Test func revokedReportNamesTheReasonInVwVfGTerms() throws {
        let (input, genesis) = try Self.vector("state-birth-certificate-revoked.json")
        let report = VerificationReport(input)
        #expect(report.status == "revoked")
        #expect(report.verdict == "WIDERRUFEN")
        #expect(report.reading.contains("§"))
        let rows = report.sections.flatMap(\.rows)
        #expect(rows.contains { $0.label == "Grund" })
        let signed = try #require(rows.first { $0.label == "Unterzeichnet von" }).value
        #expect(signed.hasSuffix(" von \(genesis.validators.totalPower) Stimmen)"))
        #expect(
            signed.contains(genesis.validators.validators[0].name)
                || signed.contains(genesis.validators.validators[1].name))
    }

    @Test func cosignedReportNamesBothClerks() throws {
        let report = VerificationReport(try Self.vector("state-cosigned-birth-certificate.json").0)
        #expect(report.status == "valid")
        let rows = report.sections.flatMap(\.rows)
        let clerk = try #require(rows.first { $0.label == "Schlüssel der Sachbearbeitung" }).value
        let second = try #require(rows.first { $0.label.hasPrefix("Schlüssel der Zweitzeichnung") }).value
        #expect(clerk != second && second.count == 64)
        // A document anchored by one clerk has no such row.
        let single = VerificationReport(try Self.vector("state-birth-certificate-at-2.json").0)
        #expect(!single.sections.flatMap(\.rows).contains { $0.label.hasPrefix("Schlüssel der Zweitzeichnung") })
    }

    @Test func absenceReportSaysNeverAnchoredAndMentionsTheSalt() throws {
        let report = VerificationReport(try Self.vector("state-never-anchored.json").0)
        #expect(report.status == "unknown")
        #expect(report.reading.contains("Salt"))
        #expect(!report.sections.contains { $0.title == "Ausstellung" })
    }

    @Test func pdfRendersGermanTextWithUmlauts() throws {
        var (input, _) = try Self.vector("state-birth-certificate-at-2.json")
        input.salt = DocumentSalt(Array(repeating: 7, count: 16))
        let pdf = try ReportPDF.render(VerificationReport(input))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let text = try Self.run("pdftotext", ["-enc", "UTF-8", try Self.temporary("report.pdf", pdf), "-"])
        #expect(text.contains("Prüfbericht zur Dokumentenverifikation"))
        #expect(text.contains("Ergebnis: GÜLTIG"))
        #expect(text.contains("Ausstellende Behörde"))
        #expect(text.contains("Unabhängig nachprüfen"))
        #expect(text.contains("Schlüssel im Register"))
        // Rendered by poppler: the first page is a real A4 image (150 dpi: 1240 × 1754 pixels).
        let path = try Self.temporary("report.pdf", pdf)
        _ = try Self.run("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", path, path])
        let page = try Data(contentsOf: URL(fileURLWithPath: path + "-1.png"))
        #expect(page.count > 20_000)
        let width = page[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = page[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect((1239...1241).contains(width) && (1753...1755).contains(height), "\(width) × \(height)")
        let fonts = try Self.run("pdffonts", [path])
        #expect(fonts.contains("DejaVuSans"))
        let fontLines = fonts.split(separator: "\n").dropFirst(2)
        #expect(!fontLines.isEmpty)
        for line in fontLines {
            let fields = line.split(separator: " ")
            #expect(fields[fields.count - 5] == "yes", "font not embedded: \(line)")
        }
    }
}
