import Crypto
import CryptoExtras

/// An Ed25519 public key (RFC 8032): 32 bytes. Identifies validators, authorities and clerks.
public struct PublicKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 32
    public let bytes: [UInt8]

    /// Nil unless `bytes` is 32 bytes that swift-crypto accepts as an Ed25519 key. (BoringSSL does
    /// not decompress the point here; a non-point key is caught when any signature by it fails.)
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil
        else { return nil }
        self.bytes = bytes
    }

    /// Parses the 64-hex-character form used in genesis files and JSON.
    public init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }

    /// Parses an SPKI public key in PEM (`-----BEGIN PUBLIC KEY-----`), as OpenSSL writes it.
    public init(pem: String) throws(GovChainError) {
        do {
            self.init(checked: Array(try Curve25519.Signing.PublicKey(pemRepresentation: pem).rawRepresentation))
        } catch {
            throw GovChainError(
                code: "invalid_public_key",
                message: "The file is not an Ed25519 public key in PEM (SubjectPublicKeyInfo) format.",
                cause: "\(error)")
        }
    }

    init(checked bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "public key needs 32 bytes, got \(bytes.count)")
        self.bytes = bytes
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    /// The key as SPKI PEM, readable by `openssl pkey -pubin`.
    public var pem: String {
        // rawRepresentation was validated in init, so this cannot fail.
        (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes))?.pemRepresentation ?? ""
    }

    /// True when `signature` is a valid Ed25519 signature by this key over `message`.
    public func isValidSignature(_ signature: Signature, for message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return false }
        return key.isValidSignature(signature.bytes, for: message)
    }

    public static func < (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

extension ByteWriter {
    public mutating func publicKey(_ value: PublicKey) { raw(value.bytes) }
}

extension ByteReader {
    public mutating func publicKey(_ field: String) throws(CodecError) -> PublicKey {
        guard let key = PublicKey(try raw(PublicKey.byteCount, field)) else {
            throw .invalidValue(field: field, reason: "not a valid Ed25519 public key")
        }
        return key
    }
}
