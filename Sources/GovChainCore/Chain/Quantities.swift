/// Protocol quantities as distinct types with explicit widths, so a height is never passed
/// where a round or an index is expected.

/// A block height. The first block is height 1; height 0 is the genesis state.
package struct Height: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    package var rawValue: UInt64
    package init(rawValue: UInt64) { self.rawValue = rawValue }
    package init(_ value: UInt64) { rawValue = value }
    package init(integerLiteral value: UInt64) { rawValue = value }
    package var next: Height { Height(rawValue + 1) }
    package var description: String { String(rawValue) }
    package static func < (lhs: Height, rhs: Height) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A consensus round within a height, starting at 0.
package struct Round: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    package var rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }
    package init(_ value: UInt32) { rawValue = value }
    package init(integerLiteral value: UInt32) { rawValue = value }
    package var description: String { String(rawValue) }
    package static func < (lhs: Round, rhs: Round) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A validator's position in the genesis validator list.
package struct ValidatorIndex: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    package var rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue }
    package init(_ value: UInt16) { rawValue = value }
    package init(integerLiteral value: UInt16) { rawValue = value }
    package var description: String { String(rawValue) }
    package static func < (lhs: ValidatorIndex, rhs: ValidatorIndex) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Milliseconds since the Unix epoch, UTC. Pure code never reads a clock: times come in as values.
package struct Timestamp: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    package var rawValue: UInt64
    package init(rawValue: UInt64) { self.rawValue = rawValue }
    package init(millisecondsSince1970 value: UInt64) { rawValue = value }
    package init(integerLiteral value: UInt64) { rawValue = value }
    package var description: String { String(rawValue) }
    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ByteWriter {
    package mutating func height(_ value: Height) { u64(value.rawValue) }
    package mutating func round(_ value: Round) { u32(value.rawValue) }
    package mutating func validatorIndex(_ value: ValidatorIndex) { u16(value.rawValue) }
    package mutating func timestamp(_ value: Timestamp) { u64(value.rawValue) }
}

extension ByteReader {
    package mutating func height(_ field: String) throws(CodecError) -> Height { Height(try u64(field)) }
    package mutating func round(_ field: String) throws(CodecError) -> Round { Round(try u32(field)) }
    package mutating func validatorIndex(_ field: String) throws(CodecError) -> ValidatorIndex {
        ValidatorIndex(try u16(field))
    }
    package mutating func timestamp(_ field: String) throws(CodecError) -> Timestamp {
        Timestamp(rawValue: try u64(field))
    }
}
