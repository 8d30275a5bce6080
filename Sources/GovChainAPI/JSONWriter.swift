/// A response body written straight to bytes, for the routes read most (issue 12: Foundation's
/// `JSONEncoder` was two thirds of a document read's handler time). The bytes are exactly what
/// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes for the same value
/// (`JSONWriterTests` compares them), so clients see no difference.
package protocol JSONBytesEncodable: Encodable {
    var jsonBytes: [UInt8] { get }
}

/// Writes one JSON object at a time: the caller gives members in sorted key order and skips
/// absent optionals, as `JSONEncoder` with `.sortedKeys` does.
package struct JSONWriter {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    package private(set) var bytes: [UInt8] = []
    private var first = true

    package init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    package mutating func object(_ members: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        first = true
        members(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    package mutating func member(_ key: StaticString, _ value: String) {
        name(key)
        string(value)
    }

    package mutating func member(_ key: StaticString, _ value: String?) {
        if let value { member(key, value) }
    }

    package mutating func member(_ key: StaticString, _ value: UInt64) {
        name(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func member(_ key: StaticString, object: (inout JSONWriter) -> Void) {
        name(key)
        self.object(object)
    }

    private mutating func name(_ key: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00xx`
    /// (lowercase hex), everything else (`/` and non-ASCII included) as its UTF-8 bytes.
    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Self.hexDigits
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(contentsOf: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension DocumentResponse: JSONBytesEncodable {
    /// Members in sorted key order (byte order: `document` before `document_type`,
    /// `superseded_by` before `supersedes`).
    package var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.object { json in
            json.member("anchored") { json in
                json.member("clerk", anchored.clerk)
                json.member("cosigner", anchored.cosigner)
                json.member("height", anchored.height)
                json.member("time", anchored.time)
                json.member("tx_hash", anchored.tx_hash)
            }
            json.member("authority") { json in
                json.member("id", authority.id)
                json.member("name", authority.name)
            }
            json.member("document", document)
            json.member("document_type", document_type)
            json.member("reference", reference)
            if let revocation {
                json.member("revocation") { json in
                    json.member("clerk", revocation.clerk)
                    json.member("cosigner", revocation.cosigner)
                    json.member("effective", revocation.effective)
                    json.member("height", revocation.height)
                    json.member("reason", revocation.reason)
                    json.member("reason_text", revocation.reason_text)
                    json.member("tx_hash", revocation.tx_hash)
                }
            }
            json.member("status", status)
            if let superseded_by {
                json.member("superseded_by") { json in
                    json.member("by", superseded_by.by)
                    json.member("clerk", superseded_by.clerk)
                    json.member("cosigner", superseded_by.cosigner)
                    json.member("effective", superseded_by.effective)
                    json.member("height", superseded_by.height)
                    json.member("tx_hash", superseded_by.tx_hash)
                }
            }
            json.member("supersedes", supersedes)
            json.member("valid_from", valid_from)
            json.member("valid_until", valid_until)
        }
        return writer.bytes
    }
}
