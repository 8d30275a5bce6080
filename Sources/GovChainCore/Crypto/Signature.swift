/// An Ed25519 signature: 64 bytes.
package struct Signature: Hashable, Sendable, CustomStringConvertible {
    package static let byteCount = 64
    package let bytes: [UInt8]

    package init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    package var hex: String { Hex.encode(bytes) }
    package var description: String { hex }
}

extension ByteWriter {
    package mutating func signature(_ value: Signature) { raw(value.bytes) }
}

extension ByteReader {
    package mutating func signature(_ field: String) throws(CodecError) -> Signature {
        // raw() returned exactly byteCount bytes, so the initialiser cannot fail.
        Signature(try raw(Signature.byteCount, field))!
    }
}
