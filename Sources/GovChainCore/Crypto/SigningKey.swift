import Crypto
import CryptoExtras

/// An Ed25519 private key. Stored on disk as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`),
/// the format `openssl genpkey -algorithm ed25519` writes, so municipal IT can use its usual tools.
package struct SigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// A fresh key from the system's secure random source.
    package init() { key = Curve25519.Signing.PrivateKey() }

    /// A key from its 32-byte seed (RFC 8032 private key). Used for test vectors.
    package init(seed: [UInt8]) throws(GovChainError) {
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw GovChainError(
                code: .invalidPrivateKey, message: "An Ed25519 seed must be 32 bytes.", underlying: error)
        }
    }

    /// Parses a PKCS#8 PEM private key.
    package init(pem: String) throws(GovChainError) {
        do {
            key = try Curve25519.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw GovChainError(
                code: .invalidPrivateKey,
                message: "The file is not an Ed25519 private key in PEM (PKCS#8) format.",
                underlying: error)
        }
    }

    package var publicKey: PublicKey { PublicKey(checked: Array(key.publicKey.rawRepresentation)) }

    /// PKCS#8 PEM, readable by `openssl pkey`.
    package var pem: String { key.pemRepresentation }

    package func sign(_ message: [UInt8]) -> Signature {
        // Ed25519 signing only fails if BoringSSL cannot allocate; that is not recoverable.
        guard let raw = try? key.signature(for: message), let signature = Signature(Array(raw)) else {
            preconditionFailure("Ed25519 signing failed")
        }
        return signature
    }
}
