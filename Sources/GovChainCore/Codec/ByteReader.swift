/// Reads what `ByteWriter` wrote, refusing anything that is not canonical.
///
/// Every read names the field it reads, so a rejection says where the input went wrong.
/// Callers finish with `finish()`, which rejects trailing bytes.
package struct ByteReader: Sendable {
    private let bytes: [UInt8]
    package private(set) var offset: Int

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }

    package var remaining: Int { bytes.count - offset }

    package mutating func u8(_ field: String) throws(CodecError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    package mutating func u16(_ field: String) throws(CodecError) -> UInt16 { try bigEndian(field) }

    package mutating func u32(_ field: String) throws(CodecError) -> UInt32 { try bigEndian(field) }

    package mutating func u64(_ field: String) throws(CodecError) -> UInt64 { try bigEndian(field) }

    package mutating func raw(_ count: Int, _ field: String) throws(CodecError) -> [UInt8] {
        try need(count, field)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// `count` bytes handed to `body` in place, without copying them to an array.
    package mutating func withRaw<R>(
        _ count: Int, _ field: String, _ body: (UnsafeRawBufferPointer) -> R
    ) throws(CodecError) -> R {
        try need(count, field)
        defer { offset += count }
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count])) }
    }

    /// A one-byte length, then at most `limit` bytes.
    package mutating func shortBytes(_ field: String, limit: Int) throws(CodecError) -> [UInt8] {
        let length = Int(try u8(field))
        guard length <= limit else { throw .lengthOutOfRange(field: field, length: length, limit: limit) }
        return try raw(length, field)
    }

    /// A four-byte length, then at most `limit` bytes.
    package mutating func longBytes(_ field: String, limit: Int) throws(CodecError) -> [UInt8] {
        let length = Int(try u32(field))
        guard length <= limit, length <= remaining else {
            throw .lengthOutOfRange(field: field, length: length, limit: min(limit, remaining))
        }
        return try raw(length, field)
    }

    /// A presence byte (only 0 or 1 are canonical), then the value when present.
    package mutating func optional<T>(
        _ field: String, _ read: (inout ByteReader) throws(CodecError) -> T
    ) throws(CodecError) -> T? {
        switch try u8(field) {
        case 0: return nil
        case 1: return try read(&self)
        case let other: throw .invalidValue(field: field, reason: "presence byte is \(other), must be 0 or 1")
        }
    }

    /// A count prefix (u16) bounded by `limit`, then that many elements.
    package mutating func list<T>(
        _ field: String, limit: Int, _ read: (inout ByteReader) throws(CodecError) -> T
    ) throws(CodecError) -> [T] {
        let count = Int(try u16(field))
        guard count <= limit else { throw .lengthOutOfRange(field: field, length: count, limit: limit) }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try read(&self)) }
        return items
    }

    /// Rejects bytes left over after a complete value.
    package func finish() throws(CodecError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }

    private func need(_ count: Int, _ field: String) throws(CodecError) {
        guard count >= 0, count <= remaining else { throw .truncated(field: field) }
    }

    private mutating func bigEndian<T: FixedWidthInteger>(_ field: String) throws(CodecError) -> T {
        let size = MemoryLayout<T>.size
        try need(size, field)
        var value: T = 0
        for index in offset..<offset + size { value = value << 8 | T(bytes[index]) }
        offset += size
        return value
    }
}

extension ByteWriter {
    /// Writes a list with a u16 count prefix, the counterpart of `ByteReader.list`.
    package mutating func list<T>(_ items: [T], _ write: (inout ByteWriter, T) -> Void) {
        precondition(items.count <= Int(UInt16.max), "list of \(items.count) items cannot be encoded")
        u16(UInt16(items.count))
        for item in items { write(&self, item) }
    }
}
