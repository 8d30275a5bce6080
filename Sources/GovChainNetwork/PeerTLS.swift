import Foundation
import GovChainCore
import NIOSSL
import X509

/// TLS 1.3 with mutual authentication by genesis validator keys.
///
/// Each node presents a self-signed X.509 certificate whose SubjectPublicKeyInfo is its Ed25519
/// validator key (RFC 8410) and signs the handshake with that key (TLS 1.3 `CertificateVerify`,
/// signature scheme `ed25519` 0x0807, RFC 8446 §4.4.3). The usual PKI chain check is replaced by
/// `acceptedPeer(certificates:expected:)`: the leaf's key must be a genesis validator key other than
/// ours, and when dialling, the key of the validator we meant to reach. Possession of the private
/// key is proven by BoringSSL verifying `CertificateVerify` against that same key, so a copied
/// certificate is useless. Names, dates and the self-signature are deliberately not checked: trust
/// comes only from the genesis file.
struct PeerTLS: Sendable {
    let serverContext: NIOSSLContext
    let clientContext: NIOSSLContext

    /// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }.
    static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    init(key: SigningKey, validityDays: Int, now: Date = Date()) throws(GovChainError) {
        do {
            let (certificate, privateKey) = try Self.makeIdentity(key: key, validityDays: validityDays, now: now)
            serverContext = try NIOSSLContext(
                configuration: Self.configuration(
                    base: .makeServerConfiguration(
                        certificateChain: [.certificate(certificate)], privateKey: .privateKey(privateKey)),
                    certificate: certificate))
            var client = TLSConfiguration.makeClientConfiguration()
            client.certificateChain = [.certificate(certificate)]
            client.privateKey = .privateKey(privateKey)
            clientContext = try NIOSSLContext(configuration: Self.configuration(base: client, certificate: certificate))
        } catch let error as GovChainError {
            throw error
        } catch {
            throw GovChainError(
                code: .tlsSetupFailed, message: "Could not set up TLS with the validator key.", underlying: error)
        }
    }

    /// A self-signed certificate for the validator key, and the key in the form NIOSSL takes.
    static func makeIdentity(
        key: SigningKey, validityDays: Int, now: Date
    ) throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let issuerKey = try Certificate.PrivateKey(pemEncoded: key.pem)
        let name = try DistinguishedName { CommonName("govchain-validator-\(key.publicKey.hex.prefix(16))") }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: issuerKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ed25519,
            extensions: Certificate.Extensions {},
            issuerPrivateKey: issuerKey)
        let pem = try certificate.serializeAsPEM().pemString
        return (
            try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem),
            try NIOSSLPrivateKey(bytes: Array(key.pem.utf8), format: .pem)
        )
    }

    private static func configuration(base: TLSConfiguration, certificate: NIOSSLCertificate) -> TLSConfiguration {
        var configuration = base
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        // Verification stays on (so the server requests and requires a client certificate), but
        // the chain check is our callback; hostnames mean nothing between validators.
        configuration.certificateVerification = .noHostnameVerification
        // Never load the system CA bundle: no package CA may vouch for a validator.
        configuration.trustRoots = .certificates([certificate])
        // BoringSSL leaves Ed25519 out of its default lists; without this the handshake fails
        // with "no common signature algorithm".
        configuration.signingSignatureAlgorithms = [.ed25519]
        configuration.verifySignatureAlgorithms = [.ed25519]
        // A peer that does not answer close_notify must not hold up shutdown for long.
        configuration.shutdownTimeout = .seconds(1)
        return configuration
    }

    /// The Ed25519 key in an X.509 certificate, or nil when it holds another kind of key.
    static func ed25519Key(of certificate: NIOSSLCertificate) -> PublicKey? {
        guard let spki = try? certificate.extractPublicKey().toSPKIBytes(),
            spki.count == ed25519SPKIPrefix.count + PublicKey.byteCount,
            spki.starts(with: ed25519SPKIPrefix)
        else { return nil }
        return PublicKey(Array(spki.suffix(PublicKey.byteCount)))
    }

    /// Decides whether a presented chain belongs to an acceptable peer.
    ///
    /// - Returns: the peer's key, or the reason to refuse it.
    static func acceptedPeer(
        certificates: [NIOSSLCertificate], members: PeerMembers, expected: ValidatorIndex?
    ) -> Result<PublicKey, PeerRefusal> {
        guard let leaf = certificates.first else { return .failure(PeerRefusal("no certificate presented")) }
        guard let key = ed25519Key(of: leaf) else { return .failure(PeerRefusal("certificate key is not Ed25519")) }
        guard let index = members.index(of: key) else {
            return .failure(PeerRefusal("key \(key.hex) is not a key of the validator sets in force"))
        }
        if index == members.selfIndex { return .failure(PeerRefusal("peer presents our own key")) }
        if let expected, expected != index {
            return .failure(PeerRefusal("expected validator \(expected), peer holds the key of validator \(index)"))
        }
        return .success(key)
    }
}

/// Why a peer's certificate was refused.
struct PeerRefusal: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
