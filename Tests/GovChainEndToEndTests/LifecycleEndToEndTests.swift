import Foundation
import GovChainAPI
import GovChainCore
import Testing

@testable import GovChainCLI

/// The document lifecycle through the real CLI against a running node: receipts verified offline,
/// supersede, clerk register / revoke / list, and the committed receipt vectors.
@Suite(.serialized) struct LifecycleEndToEndTests {
    @Test func receiptWrittenByAnchorVerifiesOfflineAndTamperingFails() async throws {
        let net = try await LocalNetwork(name: "receipt")
        defer { net.node.stopNow(); net.remove() }
        try await net.node.start()
        let doc = try net.file("gewerbe.txt", "Gewerbeanmeldung 2026/77")
        let receipt = net.directory + "/gewerbe.receipt.json"
        let anchored = try await Harness.govchain(
            "anchor", doc, "--type", "business-registration", "--key", net.aachenClerk,
            "--node", net.url, "--receipt", receipt)
        #expect(anchored.status == 0, "\(anchored.stderr)")
        // The node is no longer needed: offline means offline.
        await net.node.stop()
        let genesis = net.directory + "/net/genesis.json"
        let offline = try await Harness.govchain("verify", doc, "--receipt", receipt, "--genesis", genesis)
        #expect(offline.status == 0, "\(offline.stdout) \(offline.stderr)")
        #expect(offline.stdout.contains("VALID (offline receipt): business-registration issued by Aachen"))
        #expect(offline.stdout.contains("as of block"))

        // Another document with this receipt: invalid (4).
        let other = try net.file("other.txt", "something else")
        let wrongFile = try await Harness.govchain("verify", other, "--receipt", receipt, "--genesis", genesis)
        #expect(wrongFile.status == 4)
        // A flipped hex digit inside the commit's signature: invalid (4), with the reason.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: receipt))
        let text = String(decoding: bytes, as: UTF8.self)
        let commitStart = try #require(text.range(of: "\"commit\":\"")).upperBound
        let position = text.utf8.distance(from: text.startIndex, to: commitStart) + 200
        bytes[position] = bytes[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try bytes.write(to: URL(fileURLWithPath: receipt + ".bad"))
        let tampered = try await Harness.govchain("verify", doc, "--receipt", receipt + ".bad", "--genesis", genesis)
        #expect(tampered.status == 4)
        #expect(tampered.stdout.contains("INVALID"))
        // Bad inputs: a missing receipt, an empty one, a directory, a genesis that does not parse.
        #expect(
            try await Harness.govchain("verify", doc, "--receipt", net.directory + "/none.json", "--genesis", genesis)
                .status
                == 1)
        FileManager.default.createFile(atPath: net.directory + "/empty.json", contents: Data())
        let empty = try await Harness.govchain(
            "verify", doc, "--receipt", net.directory + "/empty.json", "--genesis", genesis)
        #expect(empty.status == 4 && empty.stdout.contains("empty"))
        #expect(try await Harness.govchain("verify", doc, "--receipt", net.directory, "--genesis", genesis).status == 1)
        let badGenesis = try await Harness.govchain("verify", doc, "--receipt", receipt, "--genesis", receipt)
        #expect(badGenesis.status == 1 && badGenesis.stderr.contains("genesis"))
    }

    @Test func committedVectorsVerifyThroughTheCLI() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let vectors = root.appendingPathComponent("docs/vectors").path
        let expected = try String(contentsOfFile: vectors + "/expected.tsv", encoding: .utf8)
        for line in expected.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let receipt = vectors + "/" + fields[0]
            // The document hash is taken from the untampered receipt for the same document.
            let result = try await Harness.govchain(
                "verify", "--hash", Self.documentHash(of: receipt), "--receipt", receipt,
                "--genesis", vectors + "/genesis.json", "--json")
            #expect(result.status == (fields[1] == "valid" ? 0 : 4), "\(fields[0]): \(result.stdout)")
            if fields[1] == "invalid" {
                #expect(result.stdout.contains(fields[2].replacingOccurrences(of: "\"", with: "\\\"")), "\(fields[0])")
            }
        }
    }

    /// The hash a vector is about: from its JSON when it parses, else the birth certificate's.
    static func documentHash(of path: String) -> String {
        struct Doc: Decodable { var document: String }
        if let data = FileManager.default.contents(atPath: path),
            let doc = try? JSONDecoder().decode(Doc.self, from: data),
            Hash32(hex: doc.document) != nil
        {
            return doc.document
        }
        return Hash32.sha256(Array("Geburtsurkunde Nr. 1/2026, Standesamt Aachen".utf8)).hex
    }

    @Test func supersedeAndClerkLifecycle() async throws {
        let net = try await LocalNetwork(name: "lifecycle")
        defer { net.node.stopNow(); net.remove() }
        try await net.node.start()
        let authorityKey = net.directory + "/net/aachen/keys/authority.key"

        // Supersede: old → superseded (3), new → valid (0).
        let old = try net.file("permit-v1.txt", "Baugenehmigung v1")
        let new = try net.file("permit-v2.txt", "Baugenehmigung v2")
        #expect(
            try await Harness.govchain(
                "anchor", old, "--type", "birth-certificate", "--key", net.aachenClerk, "--node", net.url
            ).status == 0)
        let superseded = try await Harness.govchain("supersede", old, new, "--key", net.aachenClerk, "--node", net.url)
        #expect(superseded.status == 0, "\(superseded.stderr)")
        let oldStatus = try await Harness.govchain("verify", old, "--node", net.url)
        #expect(oldStatus.status == 3)
        #expect(oldStatus.stdout.contains("SUPERSEDED"))
        let newStatus = try await Harness.govchain("verify", new, "--node", net.url)
        #expect(newStatus.status == 0)
        #expect(newStatus.stdout.contains("replaces"))

        // A new clerk: generated, registered by the authority, anchors, is revoked, is refused;
        // what it anchored before stays valid.
        let clerkKey = net.directory + "/new-clerk.key"
        #expect(try await Harness.govchain("keys", "generate", "--out", clerkKey).status == 0)
        let registered = try await Harness.govchain(
            "clerk", "register", "--authority", "aachen", "--authority-key", authorityKey,
            "--clerk", clerkKey + ".pub", "--types", "parking-permit", "--node", net.url)
        #expect(registered.status == 0, "\(registered.stderr)")
        let permit = try net.file("parken.txt", "Bewohnerparkausweis")
        let anchored = try await Harness.govchain(
            "anchor", permit, "--type", "parking-permit", "--key", clerkKey, "--node", net.url,
            "--valid-from", "2026-01-01", "--valid-until", "2030-01-01", "--receipt", net.directory + "/parken.json",
            "--json")
        #expect(anchored.status == 0, "\(anchored.stderr)")
        // A parking permit is templated: anchored salted by default, found only with its salt.
        let salt = try #require(
            try JSONDecoder().decode(AnchorCommand.JSONOutput.self, from: Data(anchored.stdout.utf8)).salt)
        let wrongType = try await Harness.govchain(
            "anchor", try net.file("x.txt", "x"), "--type", "birth-certificate", "--key", clerkKey, "--node", net.url)
        #expect(wrongType.status == 1 && wrongType.stderr.contains("may handle parking-permit"))
        // A clerk cannot register clerks: only the authority key can.
        let notAuthority = try await Harness.govchain(
            "clerk", "register", "--authority", "aachen", "--authority-key", net.aachenClerk,
            "--clerk", clerkKey + ".pub", "--types", "parking-permit", "--node", net.url)
        #expect(notAuthority.status == 1 && notAuthority.stderr.contains("Only the authority key"))

        let listed = try await Harness.govchain("clerk", "list", "--authority", "aachen", "--node", net.url)
        #expect(listed.stdout.split(separator: "\n").count == 2)
        #expect(
            try await Harness.govchain(
                "clerk", "revoke", "--authority", "aachen", "--authority-key", authorityKey,
                "--clerk", clerkKey + ".pub", "--node", net.url
            ).status == 0)
        let afterRevoke = try await Harness.govchain(
            "anchor", try net.file("y.txt", "y"), "--type", "parking-permit", "--key", clerkKey, "--node", net.url)
        #expect(afterRevoke.status == 1 && afterRevoke.stderr.contains("revoked"))
        #expect(try await Harness.govchain("verify", permit, "--salt", salt, "--node", net.url).status == 0)
        #expect(try await Harness.govchain("verify", permit, "--node", net.url).status == 2)
        #expect(
            try await Harness.govchain("clerk", "list", "--authority", "aachen", "--node", net.url).stdout.contains(
                "revoked in block"))
        // Its receipt still verifies offline, through the registration chain.
        let offline = try await Harness.govchain(
            "verify", permit, "--salt", salt, "--receipt", net.directory + "/parken.json", "--genesis",
            net.directory + "/net/genesis.json")
        #expect(offline.status == 0, "\(offline.stdout)")
        #expect(offline.stdout.contains("registered by the authority in block"))
        #expect(offline.stdout.contains("valid until"))
    }
}
