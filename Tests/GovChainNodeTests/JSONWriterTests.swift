import Foundation
import Testing

@testable import GovChainAPI

/// The document route's hand-written JSON (`DocumentResponse.jsonBytes`) is byte for byte what
/// `JSONEncoder` writes with the node's options, for every shape of record and for strings that
/// need escaping.
@Suite struct JSONWriterTests {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static let awkward = "a \"quoted\" \\ back/slash\nnew\tline\r\u{8}\u{c}\u{1}\u{1f}\u{7f} é 😀 </script>"

    static func response(_ text: String, full: Bool) -> DocumentResponse {
        DocumentResponse(
            document: String(repeating: "ab", count: 32), status: full ? "revoked" : "valid",
            document_type: "birth-certificate", authority: AuthorityRef(id: "aachen", name: "Stadt \(text)"),
            reference: full ? "ref \(text)" : nil, valid_from: full ? "2026-01-01T00:00:00Z" : nil,
            valid_until: full ? "2027-01-01T00:00:00.123Z" : nil,
            anchored: .init(
                height: 18_446_744_073_709_551_615, time: "2026-12-03T10:00:00Z", tx_hash: "00ff", clerk: "c1",
                cosigner: full ? "c2" : nil),
            supersedes: full ? String(repeating: "cd", count: 32) : nil,
            revocation: full
                ? .init(
                    reason: "error", reason_text: text, effective: "2026-12-03T11:00:00Z", height: 0, tx_hash: "11",
                    clerk: "c3", cosigner: "c4") : nil,
            superseded_by: full
                ? .init(
                    by: "ef", effective: "2026-12-03T12:00:00Z", height: 7, tx_hash: "22", clerk: "c5", cosigner: nil)
                : nil)
    }

    @Test(arguments: [false, true], ["plain", awkward, "", "\u{0}"])
    func documentBytesMatchJSONEncoder(full: Bool, text: String) throws {
        let value = Self.response(text, full: full)
        let expected = try Self.encoder().encode(value)
        #expect(
            value.jsonBytes == Array(expected),
            "\(String(decoding: value.jsonBytes, as: UTF8.self)) ≠ \(String(decoding: expected, as: UTF8.self))")
        #expect(try JSONDecoder().decode(DocumentResponse.self, from: Data(value.jsonBytes)) == value)
    }
}
