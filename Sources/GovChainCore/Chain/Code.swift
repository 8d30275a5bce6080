/// A short identifier: authority ids (`aachen`), document types (`birth-certificate`).
///
/// Only `a-z`, `0-9` and `-`, 1 to 32 characters, starting with a letter or digit. The narrow
/// alphabet is deliberate: no field of a transaction can carry free text or personal data.
package struct Code: Hashable, Sendable, Comparable, CustomStringConvertible {
    package static let lengthMax = 32
    package let value: String

    package init?(_ value: String) {
        guard Self.isValid(value) else { return nil }
        self.value = value
    }

    package static func isValid(_ value: String, lengthMax: Int = Code.lengthMax) -> Bool {
        let utf8 = Array(value.utf8)
        guard (1...lengthMax).contains(utf8.count), utf8[0] != UInt8(ascii: "-") else { return false }
        return utf8.allSatisfy { char in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(char)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(char)
                || char == UInt8(ascii: "-")
        }
    }

    package var description: String { value }
    package static func < (lhs: Code, rhs: Code) -> Bool { lhs.value < rhs.value }
}

/// The name of a chain, e.g. `nrw-modellkommunen-1`. Same alphabet as `Code`, up to 50 characters.
package struct ChainID: Hashable, Sendable, CustomStringConvertible {
    package static let lengthMax = 50
    package let value: String

    package init?(_ value: String) {
        guard Code.isValid(value, lengthMax: Self.lengthMax) else { return nil }
        self.value = value
    }

    package var description: String { value }
}

extension ByteWriter {
    package mutating func code(_ value: Code) { shortBytes(Array(value.value.utf8)) }
    package mutating func chainID(_ value: ChainID) { shortBytes(Array(value.value.utf8)) }
}

extension ByteReader {
    package mutating func code(_ field: String) throws(CodecError) -> Code {
        let bytes = try shortBytes(field, limit: Code.lengthMax)
        guard let code = Code(String(decoding: bytes, as: UTF8.self)) else {
            throw .invalidValue(field: field, reason: "only a-z, 0-9 and '-' are allowed, 1 to 32 characters")
        }
        return code
    }

    package mutating func chainID(_ field: String) throws(CodecError) -> ChainID {
        let bytes = try shortBytes(field, limit: ChainID.lengthMax)
        guard let id = ChainID(String(decoding: bytes, as: UTF8.self)) else {
            throw .invalidValue(field: field, reason: "only a-z, 0-9 and '-' are allowed, 1 to 50 characters")
        }
        return id
    }
}
