import Foundation

extension Timestamp {
    /// An RFC 3339 time as milliseconds since 1970 — the genesis time (docs/PROTOCOL.md, "Genesis
    /// hash") and every time the CLI reads or a test parses: `Z` or a numeric offset (converted to UTC); a fraction of a second is allowed and cut to whole
    /// milliseconds (digits after the third are dropped, never rounded). Integer arithmetic only,
    /// so every implementation gets the same number. Nil before 1970 or when it does not parse.
    package init?(rfc3339 text: String) {
        var whole = text
        var fractionMs: UInt64 = 0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return nil }
            fractionMs = UInt64(String(digits.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0
            whole = String(text[..<dot]) + String(text[text.index(dot, offsetBy: digits.count + 1)...])
        }
        guard let date = try? Date(whole, strategy: .iso8601), date.timeIntervalSince1970 >= 0 else { return nil }
        let seconds = date.timeIntervalSince1970
        guard seconds == seconds.rounded(.down), seconds < 1e12 else { return nil }
        self.init(millisecondsSince1970: UInt64(seconds) * 1000 + fractionMs)
    }
}
