import GovChainCore

/// A broken invariant.
package struct Violation: Hashable, Sendable, CustomStringConvertible {
    package enum Kind: String, Hashable, Sendable {
        case agreement, validity, doubleSign = "double-sign", liveness
    }

    package var kind: Kind
    package var height: Height
    package var atMs: UInt64
    /// A sentence for a person: what happened, at which node.
    package var details: String

    package var description: String { "\(kind.rawValue) at height \(height), t=\(atMs) ms: \(details)" }
}
