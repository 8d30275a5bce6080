/// Appends canonical bytes: fixed-width big-endian integers and length-prefixed byte strings.
///
/// Canonical means one value has exactly one encoding, so hashes and signatures over it are
/// stable across implementations. The format is specified byte by byte in docs/PROTOCOL.md.
package struct ByteWriter: Sendable {
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package mutating func u8(_ value: UInt8) { bytes.append(value) }

    package mutating func u16(_ value: UInt16) { appendBigEndian(value) }

    package mutating func u32(_ value: UInt32) { appendBigEndian(value) }

    package mutating func u64(_ value: UInt64) { appendBigEndian(value) }

    /// Raw bytes whose length is fixed by the format (hashes, keys, signatures).
    package mutating func raw<Bytes: Sequence>(_ value: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: value)
    }

    /// Bytes preceded by their length as one byte (short strings: codes, tags, chain id).
    package mutating func shortBytes(_ value: [UInt8]) {
        precondition(value.count <= Int(UInt8.max), "shortBytes of \(value.count) bytes cannot be encoded")
        u8(UInt8(value.count))
        raw(value)
    }

    /// Bytes preceded by their length as four bytes (nested encodings).
    package mutating func longBytes(_ value: [UInt8]) {
        precondition(value.count <= Int(UInt32.max), "longBytes of \(value.count) bytes cannot be encoded")
        u32(UInt32(value.count))
        raw(value)
    }

    /// An optional value: a presence byte 0 or 1, then the value when present.
    package mutating func optional<T>(_ value: T?, _ write: (inout ByteWriter, T) -> Void) {
        if let value {
            u8(1)
            write(&self, value)
        } else {
            u8(0)
        }
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }
}
