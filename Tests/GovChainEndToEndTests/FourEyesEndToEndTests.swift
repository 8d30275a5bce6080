import Foundation
import Testing

/// Four-eyes signing through the real CLI against a running node (issue 10, Deliver 4): the
/// authority puts a type under four eyes; a single-signed anchor or revocation is refused with a
/// clear error; the first clerk prepares a file, the second co-signs and submits; `verify` online
/// and from a status receipt offline shows both clerks.
@Suite(.serialized) struct FourEyesEndToEndTests {
    @Test func singleSignatureRefusedCosignedCommitsAndBothClerksShow() async throws {
        let net = try await LocalNetwork(name: "four-eyes")
        defer { net.node.stopNow(); net.remove() }
        try await net.node.start()
        let authorityKey = net.directory + "/net/aachen/keys/authority.key"
        let supervisor = net.directory + "/supervisor.key"
        #expect(try await Harness.govchain("keys", "generate", "--out", supervisor).status == 0)
        let registered = try await Harness.govchain(
            "clerk", "register", "--authority", "aachen", "--authority-key", authorityKey,
            "--clerk", supervisor + ".pub", "--types", "birth-certificate", "--node", net.url)
        #expect(registered.status == 0, "\(registered.stderr)")
        // Only the authority key sets the rule.
        let byClerk = try await Harness.govchain(
            "clerk", "four-eyes", "--authority", "aachen", "--authority-key", net.aachenClerk,
            "--types", "birth-certificate", "--node", net.url)
        #expect(byClerk.status == 1 && byClerk.stderr.contains("Only the authority key"), "\(byClerk.stderr)")
        let rule = try await Harness.govchain(
            "clerk", "four-eyes", "--authority", "aachen", "--authority-key", authorityKey,
            "--types", "birth-certificate", "--node", net.url)
        #expect(rule.status == 0 && rule.stdout.contains("now need a second clerk's signature"), "\(rule.stderr)")

        // One signature: refused, with what to do instead.
        let doc = try net.file("geburt.txt", "Geburtsurkunde 12/2026")
        let single = try await Harness.govchain(
            "anchor", doc, "--type", "birth-certificate", "--key", net.aachenClerk, "--node", net.url)
        #expect(single.status == 1)
        #expect(single.stderr.contains("requires a second clerk's signature (four eyes)"), "\(single.stderr)")
        #expect(single.stderr.contains("govchain cosign"), "\(single.stderr)")
        #expect(try await Harness.govchain("verify", doc, "--node", net.url).status == 2)

        // Prepared by the first clerk, co-signed and submitted by the second.
        let pending = net.directory + "/pending.tx"
        let prepared = try await Harness.govchain(
            "anchor", doc, "--type", "birth-certificate", "--key", net.aachenClerk, "--node", net.url,
            "--out", pending)
        #expect(prepared.status == 0, "\(prepared.stderr)")
        #expect(prepared.stdout.contains("govchain cosign \(pending)"), "\(prepared.stdout)")
        #expect(try await Harness.govchain("verify", doc, "--node", net.url).status == 2, "nothing submitted yet")
        let ownKey = try await Harness.govchain("cosign", pending, "--key", net.aachenClerk, "--node", net.url)
        #expect(ownKey.status == 1 && ownKey.stderr.contains("second clerk's key"), "\(ownKey.stderr)")
        // A changed file: the first signature no longer verifies.
        var text = try String(contentsOfFile: pending, encoding: .utf8)
        let digit = try #require(
            text.range(of: "\"transaction\" : \"")?.upperBound ?? text.range(of: "\"transaction\":\"")?.upperBound)
        let at = text.index(digit, offsetBy: 120)
        text.replaceSubrange(at...at, with: text[at] == "0" ? "1" : "0")
        try text.write(toFile: pending + ".bad", atomically: true, encoding: .utf8)
        let tampered = try await Harness.govchain("cosign", pending + ".bad", "--key", supervisor, "--node", net.url)
        #expect(
            tampered.status == 1 && tampered.stderr.contains("first clerk's signature does not verify"),
            "\(tampered.stderr)")
        let receipt = net.directory + "/geburt.status.json"
        let cosigned = try await Harness.govchain(
            "cosign", pending, "--key", supervisor, "--node", net.url, "--receipt", receipt)
        #expect(cosigned.status == 0, "\(cosigned.stderr)")
        #expect(cosigned.stdout.contains("anchor a birth-certificate document of aachen"), "\(cosigned.stdout)")
        #expect(cosigned.stdout.contains("co-signed by"))

        let online = try await Harness.govchain("verify", doc, "--node", net.url)
        #expect(online.status == 0, "\(online.stdout) \(online.stderr)")
        #expect(online.stdout.contains("co-signed by clerk"), "\(online.stdout)")
        let offline = try await Harness.govchain(
            "verify", doc, "--receipt", receipt, "--genesis", net.directory + "/net/genesis.json")
        #expect(offline.status == 0, "\(offline.stdout)")
        #expect(offline.stdout.contains("co-signed by clerk"), "\(offline.stdout)")
        // A version-1 receipt cannot prove the second clerk: the node says so.
        let v1 = try await Harness.govchain("receipt", doc, "--out", net.directory + "/v1.json", "--node", net.url)
        #expect(v1.status == 1 && v1.stderr.contains("co-signed"), "\(v1.stderr)")

        // Revoking under four eyes: refused alone, committed with the second signature.
        let revokeAlone = try await Harness.govchain(
            "revoke", doc, "--reason", "annulment", "--key", supervisor, "--node", net.url)
        #expect(revokeAlone.status == 1 && revokeAlone.stderr.contains("requires a second clerk's signature"))
        let revokeFile = net.directory + "/revoke.tx"
        #expect(
            try await Harness.govchain(
                "revoke", doc, "--reason", "annulment", "--key", supervisor, "--node", net.url, "--out", revokeFile
            ).status == 0)
        #expect(
            try await Harness.govchain("cosign", revokeFile, "--key", net.aachenClerk, "--node", net.url).status == 0)
        let revoked = try await Harness.govchain("verify", doc, "--node", net.url)
        #expect(revoked.status == 3, "\(revoked.stdout)")
        #expect(revoked.stdout.contains("REVOKED"))
        #expect(revoked.stdout.split(separator: "\n").filter { $0.contains("co-signed by clerk") }.count == 2)

        // Lifting the rule: one signature is enough again, for a type under no rule too.
        #expect(
            try await Harness.govchain(
                "clerk", "four-eyes", "--authority", "aachen", "--authority-key", authorityKey, "--types", "none",
                "--node", net.url
            ).status == 0)
        let after = try await Harness.govchain(
            "anchor", try net.file("zwei.txt", "Geburtsurkunde 13/2026"), "--type", "birth-certificate", "--key",
            net.aachenClerk, "--node", net.url)
        #expect(after.status == 0, "\(after.stderr)")
    }
}
