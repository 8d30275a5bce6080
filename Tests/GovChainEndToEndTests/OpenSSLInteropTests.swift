import Foundation
import GovChainCore
import Testing

/// OpenSSL as an independent Ed25519/PEM implementation: our keys load there, our signatures
/// verify there, and theirs verify here.
@Suite struct OpenSSLInteropTests {
    static let openssl =
        ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? "openssl"

    @Test func generatedKeysWorkWithOpenSSL() async throws {
        let dir = Harness.temporaryDirectory("openssl")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keyPath = dir + "/clerk.key"
        let generated = try await Harness.govchain("keys", "generate", "--out", keyPath)
        #expect(generated.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Never overwrite a key.
        let again = try await Harness.govchain("keys", "generate", "--out", keyPath)
        #expect(again.status == 1)
        #expect(again.stderr.contains("never overwrites"))

        let privateText = try await Harness.run(Self.openssl, ["pkey", "-in", keyPath, "-noout", "-text"])
        #expect(privateText.status == 0, "\(privateText.stderr)")
        #expect(privateText.stdout.contains("ED25519 Private-Key"))
        let publicText = try await Harness.run(
            Self.openssl, ["pkey", "-pubin", "-in", keyPath + ".pub", "-noout", "-text"])
        #expect(publicText.status == 0)

        // A GovChain signature verifies in OpenSSL.
        let message = Array("Anchor this, Aachen".utf8)
        try Data(message).write(to: URL(fileURLWithPath: dir + "/msg"))
        let key = try SigningKey(pem: String(contentsOfFile: keyPath, encoding: .utf8))
        try Data(key.sign(message).bytes).write(to: URL(fileURLWithPath: dir + "/sig"))
        let verified = try await Harness.run(
            Self.openssl,
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", keyPath + ".pub", "-rawin", "-in", dir + "/msg", "-sigfile",
                dir + "/sig",
            ])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        // And a tampered message does not.
        try Data(message + [0]).write(to: URL(fileURLWithPath: dir + "/msg2"))
        let tampered = try await Harness.run(
            Self.openssl,
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", keyPath + ".pub", "-rawin", "-in", dir + "/msg2", "-sigfile",
                dir + "/sig",
            ])
        #expect(tampered.status != 0)
    }

    @Test func openSSLKeysAndSignaturesWorkInGovChain() async throws {
        let dir = Harness.temporaryDirectory("openssl2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(
            try await Harness.run(Self.openssl, ["genpkey", "-algorithm", "ed25519", "-out", dir + "/k.pem"]).status
                == 0)
        #expect(
            try await Harness.run(Self.openssl, ["pkey", "-in", dir + "/k.pem", "-pubout", "-out", dir + "/k.pub"])
                .status
                == 0)
        let message = Array("Bescheid 2026/4711".utf8)
        try Data(message).write(to: URL(fileURLWithPath: dir + "/msg"))
        #expect(
            try await Harness.run(
                Self.openssl,
                ["pkeyutl", "-sign", "-inkey", dir + "/k.pem", "-rawin", "-in", dir + "/msg", "-out", dir + "/sig"]
            ).status == 0)

        let key = try SigningKey(pem: String(contentsOfFile: dir + "/k.pem", encoding: .utf8))
        let publicKey = try PublicKey(pem: String(contentsOfFile: dir + "/k.pub", encoding: .utf8))
        #expect(key.publicKey == publicKey)
        let signature = try #require(Signature(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/sig")))))
        #expect(publicKey.isValidSignature(signature, for: message))
        #expect(key.sign(message) == signature)  // Ed25519 is deterministic: same key, same bytes.
        #expect(
            try await Harness.govchain("keys", "show", dir + "/k.pem").stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
                == publicKey.hex)
    }
}
