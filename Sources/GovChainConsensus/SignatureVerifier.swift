import GovChainCore

/// How the instance checks an Ed25519 signature.
///
/// The instance never trusts a message from outside: every proposal and vote passes through
/// this check before it counts (style.md §7). The default verifies with the key. A shell that
/// already verified at its decode edge, or a simulator that caches results by
/// (key, signature, message), injects its own function; it must still return the Ed25519 answer.
package struct SignatureVerifier: Sendable {
    private let check: @Sendable (PublicKey, Signature, [UInt8]) -> Bool

    package init(_ check: @escaping @Sendable (PublicKey, Signature, [UInt8]) -> Bool) {
        self.check = check
    }

    /// Plain Ed25519 verification.
    package static let ed25519 = SignatureVerifier { key, signature, message in
        key.isValidSignature(signature, for: message)
    }

    package func isValid(_ signature: Signature, by key: PublicKey, for message: [UInt8]) -> Bool {
        check(key, signature, message)
    }
}
