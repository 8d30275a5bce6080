/// The error every public GovChain API throws.
///
/// A stable machine-readable `code` (snake_case, never reused), a `message` a person
/// understands without reading Swift, and an optional underlying `cause`.
/// Modelled on swift-service-lifecycle's `ServiceGroupError` and swift-nio's `FileSystemError`.
public struct GovChainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable identifier, e.g. `clerk_not_registered`. Listed in docs/PROTOCOL.md.
    public var code: Code
    /// One sentence for a person: what is wrong and, where possible, what to do.
    public var message: String
    /// Text of the underlying error, when this error wraps one.
    public var cause: String?
    /// The underlying error itself, when there is one (not part of equality).
    public var underlying: (any Error & Sendable)?

    public init(code: Code, message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Wraps `underlying`, keeping the error value and its description.
    public init(code: Code, message: String, underlying: any Error & Sendable) {
        self.init(code: code, message: message, cause: "\(underlying)")
        self.underlying = underlying
    }

    public static func == (lhs: GovChainError, rhs: GovChainError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.cause == rhs.cause
    }

    public var description: String {
        if let cause { return "\(message) (\(cause))" }
        return message
    }
}
