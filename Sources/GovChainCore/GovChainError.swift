/// The error every package GovChain API throws.
///
/// A stable machine-readable `code` (snake_case, never reused), a `message` a person
/// understands without reading Swift, and an optional underlying `cause`.
/// Modelled on swift-service-lifecycle's `ServiceGroupError` and swift-nio's `FileSystemError`.
package struct GovChainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable identifier, e.g. `clerk_not_registered`. Listed in docs/PROTOCOL.md.
    package var code: Code
    /// One sentence for a person: what is wrong and, where possible, what to do.
    package var message: String
    /// Text of the underlying error, when this error wraps one.
    package var cause: String?
    /// The underlying error itself, when there is one (not part of equality).
    package var underlying: (any Error & Sendable)?
    /// For a refusal under load: when to try again, in seconds (HTTP `Retry-After`).
    package var retryAfterSeconds: Int?

    package init(code: Code, message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Wraps `underlying`, keeping the error value and its description.
    package init(code: Code, message: String, underlying: any Error & Sendable) {
        self.init(code: code, message: message, cause: "\(underlying)")
        self.underlying = underlying
    }

    /// A refusal under load that says when to come back.
    package init(code: Code, message: String, retryAfterSeconds: Int) {
        self.init(code: code, message: message)
        self.retryAfterSeconds = retryAfterSeconds
    }

    package static func == (lhs: GovChainError, rhs: GovChainError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.cause == rhs.cause
    }

    package var description: String {
        if let cause { return "\(message) (\(cause))" }
        return message
    }
}
