/// The error every public GovChain API throws.
///
/// A stable machine-readable `code` (snake_case, never reused), a `message` a person
/// understands without reading Swift, and an optional underlying `cause`.
/// Modelled on swift-service-lifecycle's `ServiceGroupError` and swift-nio's `FileSystemError`.
public struct GovChainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable identifier, e.g. `clerk_not_authorised`. Listed in docs/PROTOCOL.md.
    public var code: String
    /// One sentence for a person: what is wrong and, where possible, what to do.
    public var message: String
    /// Text of the underlying error, when this error wraps one.
    public var cause: String?

    public init(code: String, message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(message) (\(cause))" }
        return message
    }
}
