/// An Ed25519 signature: 64 bytes.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 64
    public let bytes: [UInt8]

    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}

extension ByteWriter {
    public mutating func signature(_ value: Signature) { raw(value.bytes) }
}

extension ByteReader {
    public mutating func signature(_ field: String) throws(CodecError) -> Signature {
        // raw() returned exactly byteCount bytes, so the initialiser cannot fail.
        Signature(try raw(Signature.byteCount, field))!
    }
}
