/// Why a byte string is not a valid canonical encoding.
///
/// Every rejection of the codec is one of these cases, so tests can assert the exact reason
/// and the API can tell a client what was wrong with its bytes.
package enum CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ended before the field `field` was complete.
    case truncated(field: String)
    /// Bytes remained after the value was complete.
    case trailingBytes(count: Int)
    /// A length prefix exceeded the bytes left or the limit for that field.
    case lengthOutOfRange(field: String, length: Int, limit: Int)
    /// The version byte is not one this build understands.
    case unknownVersion(field: String, version: UInt8)
    /// A type tag is not one this build understands.
    case unknownTag(field: String, tag: UInt8)
    /// The field decoded but its value breaks a rule (e.g. a character not allowed in a code).
    case invalidValue(field: String, reason: String)

    package var description: String {
        switch self {
        case .truncated(let field): "input ends inside \(field)"
        case .trailingBytes(let count): "\(count) unexpected byte(s) after the end of the value"
        case .lengthOutOfRange(let field, let length, let limit): "\(field) has length \(length), limit is \(limit)"
        case .unknownVersion(let field, let version): "\(field) has unknown version \(version)"
        case .unknownTag(let field, let tag): "\(field) has unknown tag \(tag)"
        case .invalidValue(let field, let reason): "\(field) is invalid: \(reason)"
        }
    }

    /// The same fact as a `GovChainError`, for APIs that report one error type.
    package var asGovChainError: GovChainError {
        GovChainError(code: .malformedEncoding, message: "The bytes are not a valid GovChain encoding: \(description).")
    }
}
