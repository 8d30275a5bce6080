import GovChainCore

/// A broken invariant.
public struct Violation: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case agreement, validity, doubleSign = "double-sign", liveness
    }

    public var kind: Kind
    public var height: Height
    public var atMs: UInt64
    /// A sentence for a person: what happened, at which node.
    public var details: String

    public var description: String { "\(kind.rawValue) at height \(height), t=\(atMs) ms: \(details)" }
}
