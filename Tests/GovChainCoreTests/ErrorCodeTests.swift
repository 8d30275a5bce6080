import Foundation
import GovChainCore
import Testing

/// Every error code is documented with the HTTP status it really maps to (docs/PROTOCOL.md,
/// "Error codes"): a code added without a line there, or a status changed without the docs, fails.
@Suite("Error codes")
struct ErrorCodeTests {
    static let protocolDoc: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)) ?? ""
    }()

    @Test("each code has a row `| code | status | meaning |` with its own HTTP status")
    func everyCodeIsDocumented() {
        #expect(GovChainError.Code.all.count >= 90)
        let rows = Self.protocolDoc.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for code in GovChainError.Code.all {
            let row = rows.first { $0.hasPrefix("| `\(code.rawValue)` |") }
            #expect(row != nil, "docs/PROTOCOL.md has no row for \(code)")
            if let row {
                let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(
                    cells.count >= 3 && cells[1] == String(code.httpStatus),
                    "\(code): documented \(cells.dropFirst().first ?? "?"), code says \(code.httpStatus)")
            }
        }
    }

    @Test("codes are unique snake_case, and a code read from a server keeps its text")
    func codesAreWellFormed() {
        let raw = GovChainError.Code.all.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(raw.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } })
        let remote = GovChainError.Code.fromServer("something_newer")
        #expect(remote == "something_newer" && remote.httpStatus == 502)
        #expect(
            GovChainError.Code.documentUnknown.httpStatus == 404 && GovChainError.Code.mempoolFull.httpStatus == 503)
    }
}
