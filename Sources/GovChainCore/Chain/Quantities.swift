/// Protocol quantities as distinct types with explicit widths, so a height is never passed
/// where a round or an index is expected.

/// A block height. The first block is height 1; height 0 is the genesis state.
public struct Height: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { rawValue = value }
    public init(integerLiteral value: UInt64) { rawValue = value }
    public var next: Height { Height(rawValue + 1) }
    public var description: String { String(rawValue) }
    public static func < (lhs: Height, rhs: Height) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A consensus round within a height, starting at 0.
public struct Round: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { rawValue = value }
    public init(integerLiteral value: UInt32) { rawValue = value }
    public var description: String { String(rawValue) }
    public static func < (lhs: Round, rhs: Round) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A validator's position in the genesis validator list.
public struct ValidatorIndex: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ value: UInt16) { rawValue = value }
    public init(integerLiteral value: UInt16) { rawValue = value }
    public var description: String { String(rawValue) }
    public static func < (lhs: ValidatorIndex, rhs: ValidatorIndex) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Milliseconds since the Unix epoch, UTC. Pure code never reads a clock: times come in as values.
public struct Timestamp: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(millisecondsSince1970 value: UInt64) { rawValue = value }
    public init(integerLiteral value: UInt64) { rawValue = value }
    public var description: String { String(rawValue) }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ByteWriter {
    public mutating func height(_ value: Height) { u64(value.rawValue) }
    public mutating func round(_ value: Round) { u32(value.rawValue) }
    public mutating func validatorIndex(_ value: ValidatorIndex) { u16(value.rawValue) }
    public mutating func timestamp(_ value: Timestamp) { u64(value.rawValue) }
}

extension ByteReader {
    public mutating func height(_ field: String) throws(CodecError) -> Height { Height(try u64(field)) }
    public mutating func round(_ field: String) throws(CodecError) -> Round { Round(try u32(field)) }
    public mutating func validatorIndex(_ field: String) throws(CodecError) -> ValidatorIndex {
        ValidatorIndex(try u16(field))
    }
    public mutating func timestamp(_ field: String) throws(CodecError) -> Timestamp {
        Timestamp(rawValue: try u64(field))
    }
}
