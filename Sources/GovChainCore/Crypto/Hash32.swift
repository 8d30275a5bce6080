import Crypto

/// A SHA-256 digest: 32 bytes. Used for block, transaction and document hashes and Merkle nodes.
///
/// Stored inline (four words holding the 32 bytes in order), not as an array: hashes are made,
/// compared and used as dictionary keys millions of times per second on the commit path (state
/// tree nodes, transaction ids, mempool and cache sets), and an inline value costs no heap
/// allocation or reference counting (issue 12). `bytes` makes an array for encoders and callers
/// that need one; hot paths use `withUnsafeBytes` and `byte(_:)`.
package struct Hash32: Hashable, Sendable, Comparable, CustomStringConvertible {
    package static let byteCount = 32
    package static let zero = Hash32(words: (0, 0, 0, 0))

    /// The 32 bytes in memory order (a tuple's elements are laid out contiguously).
    private var words: (UInt64, UInt64, UInt64, UInt64)

    private init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Exactly 32 bytes, copied.
    init(raw buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count == Self.byteCount, "Hash32 needs 32 bytes, got \(buffer.count)")
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: buffer) }
    }

    /// Nil unless `bytes` has exactly 32 elements.
    package init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(unchecked: bytes)
    }

    init(unchecked bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { Hash32(raw: $0) }
    }

    /// Parses 64 hex characters, as shown by `hex`.
    package init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex), bytes.count == Self.byteCount else { return nil }
        self.init(unchecked: bytes)
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

    /// The 32 bytes as an array.
    package var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the 32 bytes, without copying them to the heap.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// The first eight bytes as one word (memory order): enough to tell apart hashes that no
    /// one chose, such as state tree nodes' (`SparseMerkleTree.Link`'s `Hashable`). Not for
    /// hashes from outside (document hashes): anyone can make many that share it.
    package var leadingWord: UInt64 { words.0 }

    /// Byte `index` (0 ..< 32).
    package func byte(_ index: Int) -> UInt8 {
        withUnsafeBytes { $0[index] }
    }

    /// SHA-256 of `data`.
    package static func sha256<Bytes: Sequence>(_ data: Bytes) -> Hash32 where Bytes.Element == UInt8 {
        var hasher = SHA256()
        if let contiguous = data as? [UInt8] {
            hasher.update(data: contiguous)
        } else {
            hasher.update(data: Array(data))
        }
        return Hash32(digest: hasher.finalize())
    }

    /// SHA-256 of several byte strings concatenated, without building the concatenation.
    package static func sha256(parts: [UInt8]...) -> Hash32 {
        var hasher = SHA256()
        for part in parts { hasher.update(data: part) }
        return Hash32(digest: hasher.finalize())
    }

    /// A finished SHA-256.
    package init(digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { Hash32(raw: $0) }
    }

    package var hex: String { Hex.encode(bytes) }
    package var description: String { hex }

    package static func == (lhs: Hash32, rhs: Hash32) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Byte-wise (lexicographic) order: each word read big-endian compares as its eight bytes do.
    package static func < (lhs: Hash32, rhs: Hash32) -> Bool {
        let l = (
            UInt64(bigEndian: lhs.words.0), UInt64(bigEndian: lhs.words.1), UInt64(bigEndian: lhs.words.2),
            UInt64(bigEndian: lhs.words.3)
        )
        let r = (
            UInt64(bigEndian: rhs.words.0), UInt64(bigEndian: rhs.words.1), UInt64(bigEndian: rhs.words.2),
            UInt64(bigEndian: rhs.words.3)
        )
        return l < r
    }
}

extension ByteWriter {
    package mutating func hash(_ value: Hash32) { value.withUnsafeBytes { raw($0) } }
}

extension ByteReader {
    package mutating func hash(_ field: String) throws(CodecError) -> Hash32 {
        try withRaw(Hash32.byteCount, field) { Hash32(raw: $0) }
    }
}
