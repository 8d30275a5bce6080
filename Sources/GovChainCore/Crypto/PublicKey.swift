import Crypto
import CryptoExtras

/// An Ed25519 public key (RFC 8032): 32 bytes. Identifies validators, authorities and clerks.
package struct PublicKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    package static let byteCount = 32
    package let bytes: [UInt8]

    /// Nil unless `bytes` is 32 bytes that swift-crypto accepts as an Ed25519 key and that is not
    /// a point of small order. (BoringSSL does not decompress the point here; a non-point key is
    /// caught when any signature by it fails.)
    ///
    /// Small-order keys are refused because Ed25519 verification (RFC 8032 §5.1.7) accepts a
    /// forged signature for them: with A the identity, R = B and S = 1 verify for every message.
    package init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount, !Self.hasSmallOrder(bytes),
            (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil
        else { return nil }
        self.bytes = bytes
    }

    /// True for the encodings of the eight points of order 1, 2, 4 and 8, canonical or not, with
    /// either sign bit (the same blocklist libsodium's `crypto_sign_verify_detached` applies).
    static func hasSmallOrder(_ bytes: [UInt8]) -> Bool {
        smallOrderEncodings.contains { candidate in
            zip(bytes.prefix(31), candidate.prefix(31)).allSatisfy { $0 == $1 } && (bytes[31] & 0x7f) == candidate[31]
        }
    }

    /// y-coordinates (little-endian, sign bit clear) of the small-order points, and their
    /// non-canonical encodings y + p.
    private static let smallOrderEncodings: [[UInt8]] = [
        // 0 (order 4)
        [UInt8](repeating: 0, count: 32),
        // 1 (order 1, the identity)
        [1] + [UInt8](repeating: 0, count: 31),
        // order 8
        [
            0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
            0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
        ],
        // order 8
        [
            0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
            0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
        ],
        // p − 1 (order 2)
        [0xec] + [UInt8](repeating: 0xff, count: 30) + [0x7f],
        // p, a non-canonical 0 (order 4)
        [0xed] + [UInt8](repeating: 0xff, count: 30) + [0x7f],
        // p + 1, a non-canonical 1 (order 1)
        [0xee] + [UInt8](repeating: 0xff, count: 30) + [0x7f],
    ]

    /// Parses the 64-hex-character form used in genesis files and JSON.
    package init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }

    /// Parses an SPKI public key in PEM (`-----BEGIN PUBLIC KEY-----`), as OpenSSL writes it.
    package init(pem: String) throws(GovChainError) {
        let raw: [UInt8]
        do {
            raw = Array(try Curve25519.Signing.PublicKey(pemRepresentation: pem).rawRepresentation)
        } catch {
            throw GovChainError(
                code: .invalidPublicKey,
                message: "The file is not an Ed25519 public key in PEM (SubjectPublicKeyInfo) format.",
                underlying: error)
        }
        guard let key = PublicKey(raw) else {
            throw GovChainError(
                code: .invalidPublicKey,
                message: "The key in the file is a point of small order, which cannot be trusted to sign anything.")
        }
        self = key
    }

    init(checked bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "public key needs 32 bytes, got \(bytes.count)")
        self.bytes = bytes
    }

    package var hex: String { Hex.encode(bytes) }
    package var description: String { hex }

    /// The key as SPKI PEM, readable by `openssl pkey -pubin`.
    package var pem: String {
        // rawRepresentation was validated in init, so this cannot fail.
        (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes))?.pemRepresentation ?? ""
    }

    /// True when `signature` is a valid Ed25519 signature by this key over `message`.
    package func isValidSignature(_ signature: Signature, for message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return false }
        return key.isValidSignature(signature.bytes, for: message)
    }

    package static func < (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

extension ByteWriter {
    package mutating func publicKey(_ value: PublicKey) { raw(value.bytes) }
}

extension ByteReader {
    package mutating func publicKey(_ field: String) throws(CodecError) -> PublicKey {
        guard let key = PublicKey(try raw(PublicKey.byteCount, field)) else {
            throw .invalidValue(field: field, reason: "not a valid Ed25519 public key")
        }
        return key
    }
}
