/// A random 16-byte salt for an anchor: the ledger then holds `SHA-256(salt ‖ document hash)`
/// instead of the document hash, so nobody who can guess a templated document (a parking permit
/// with a name and a plate) can look it up. Whoever holds the document also holds the salt (on
/// its QR code or from the clerk). docs/PRIVACY.md; docs/PROTOCOL.md, "Salted anchors".
package struct DocumentSalt: Hashable, Sendable {
    package static let byteCount = 16

    package let bytes: [UInt8]

    package init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Parses 32 hex characters, or throws `invalid_salt` naming `what` (e.g. "--salt ").
    package static func parse(_ text: String, what: String) throws(GovChainError) -> DocumentSalt {
        guard let bytes = Hex.decode(text), let salt = DocumentSalt(bytes) else {
            throw GovChainError(
                code: .invalidSalt,
                message: "\(what)\"\(text.prefix(80))\" is not a salt (32 hex characters, as printed with the anchor).")
        }
        return salt
    }

    package var hex: String { Hex.encode(bytes) }

    /// What the ledger is keyed by: the document hash itself, or `SHA-256(salt ‖ document hash)`.
    package static func ledgerKey(document: Hash32, salt: DocumentSalt?) -> Hash32 {
        guard let salt else { return document }
        return Hash32.sha256(parts: salt.bytes, document.bytes)
    }
}

/// The address a QR code on a printed document leads to: the verify page, with the document hash
/// (and salt) after `#`, so they never reach a server's logs: `<base>/v#<hash>[.<salt>]`.
package enum VerifyLink {
    package static func url(base: String, document: Hash32, salt: DocumentSalt?) -> String {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return "\(trimmed)/v#\(document.hex)" + (salt.map { ".\($0.hex)" } ?? "")
    }
}
