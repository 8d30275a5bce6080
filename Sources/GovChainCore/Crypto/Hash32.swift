import Crypto

/// A SHA-256 digest: 32 bytes. Used for block, transaction and document hashes and Merkle nodes.
package struct Hash32: Hashable, Sendable, Comparable, CustomStringConvertible {
    package static let byteCount = 32
    package static let zero = Hash32(unchecked: [UInt8](repeating: 0, count: 32))

    package let bytes: [UInt8]

    /// Nil unless `bytes` has exactly 32 elements.
    package init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "Hash32 needs 32 bytes, got \(bytes.count)")
        self.bytes = bytes
    }

    /// Parses 64 hex characters, as shown by `hex`.
    package init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex), bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Parses user input (a CLI argument, a URL path) as 64 hex characters, or throws
    /// `invalid_hash` naming what was expected, e.g. `--hash "xyz" is not a SHA-256 hash …`.
    package static func parse(_ text: String, what: String) throws(GovChainError) -> Hash32 {
        guard let hash = Hash32(hex: text) else {
            throw GovChainError(
                code: .invalidHash, message: "\(what)\"\(text.prefix(80))\" is not a SHA-256 hash (64 hex characters).")
        }
        return hash
    }

    /// SHA-256 of `data`.
    package static func sha256<Bytes: Sequence>(_ data: Bytes) -> Hash32 where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(data))
        return Hash32(unchecked: Array(hasher.finalize()))
    }

    /// SHA-256 of several byte strings concatenated, without building the concatenation.
    package static func sha256(parts: [UInt8]...) -> Hash32 {
        var hasher = SHA256()
        for part in parts { hasher.update(data: part) }
        return Hash32(unchecked: Array(hasher.finalize()))
    }

    /// A finished SHA-256.
    package init(digest: SHA256.Digest) { self.init(unchecked: Array(digest)) }

    package var hex: String { Hex.encode(bytes) }
    package var description: String { hex }

    package static func < (lhs: Hash32, rhs: Hash32) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

extension ByteWriter {
    package mutating func hash(_ value: Hash32) { raw(value.bytes) }
}

extension ByteReader {
    package mutating func hash(_ field: String) throws(CodecError) -> Hash32 {
        Hash32(unchecked: try raw(Hash32.byteCount, field))
    }
}
