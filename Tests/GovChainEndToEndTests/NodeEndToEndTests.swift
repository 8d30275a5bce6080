import Foundation
import GovChainAPI
import GovChainCore
import GovChainFiles
import Testing

@testable import GovChainCLI

/// Real processes on loopback: `govchaind` started from a `testnet init` home, driven through the
/// `govchain` CLI and raw HTTP. Serialized: each test owns one node at a time.
@Suite(.serialized) struct NodeEndToEndTests {
    @Test func anchorVerifyCrashRestartVerify() async throws {
        let net = try await LocalNetwork(name: "crash")
        defer { net.node.stopNow(); net.remove() }
        try await net.node.start()

        var files: [String] = []
        for i in 0..<4 {
            let path = try net.file("urkunde-\(i).txt", "Geburtsurkunde Nr. \(i)")
            let anchored = try await Harness.govchain(
                "anchor", path, "--type", "birth-certificate", "--key", net.aachenClerk, "--node", net.url)
            #expect(anchored.status == 0, "anchor failed: \(anchored.stderr)")
            #expect(anchored.stdout.contains("block"))
            files.append(path)
        }
        let verified = try await Harness.govchain("verify", files[0], "--node", net.url)
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("VALID: birth-certificate issued by Aachen (aachen)"))
        #expect(verified.stdout.contains("in block"))

        // Power cut: every acknowledged (committed) anchor must survive.
        net.node.crash()
        try await net.node.start()
        for path in files {
            let again = try await Harness.govchain("verify", path, "--node", net.url, "--json")
            #expect(again.status == 0, "lost \(path) after kill -9: \(again.stdout) \(again.stderr)")
            let proven = try JSONDecoder().decode(ProvenReport.JSON.self, from: Data(again.stdout.utf8))
            #expect(proven.status == "valid" && proven.record?.status == "valid" && proven.height >= 1)
        }
        let status = try await NodeClient(net.url).status()
        #expect(status.latest_height >= 1)

        // Unknown → 2; revoked → 3; a clean SIGTERM exits 0.
        let unknown = try await Harness.govchain(
            "verify", "--hash", String(repeating: "ab", count: 32), "--node", net.url)
        #expect(unknown.status == 2)
        #expect(unknown.stdout.contains("UNKNOWN"))
        let revoked = try await Harness.govchain(
            "revoke", files[1], "--reason", "withdrawal", "--key", net.aachenClerk, "--node", net.url)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let afterRevoke = try await Harness.govchain("verify", files[1], "--node", net.url)
        #expect(afterRevoke.status == 3)
        #expect(afterRevoke.stdout.contains("REVOKED"))
        #expect(afterRevoke.stdout.contains("Widerruf"))
        #expect(await net.node.stop() == 0)
    }

    @Test func badInputIsRefusedAndTheNodeKeepsServing() async throws {
        let net = try await LocalNetwork(name: "bad")
        defer { net.node.stopNow(); net.remove() }
        try await net.node.start()
        let submit = net.url + "/v1/transactions"

        func post(_ body: [UInt8], _ type: String = "application/octet-stream") async throws -> (Int, ErrorBody?) {
            let reply = try await HTTPClient.request(.POST, submit, body: body, contentType: type)
            return (reply.status, try? JSONDecoder().decode(ErrorBody.self, from: Data(reply.body)))
        }

        // Garbage, as JSON and as bytes.
        let (s1, e1) = try await post(Array("{\"oops\":".utf8), "application/json")
        #expect(s1 == 400 && e1?.error.code == "invalid_request")
        let (s2, e2) = try await post(Array("garbage".utf8))
        #expect(s2 == 400 && e2?.error.code == "malformed_transaction")
        // Too large.
        let (s3, e3) = try await post([UInt8](repeating: 7, count: 2 << 20))
        #expect(s3 == 413 && e3?.error.code == "request_too_large")

        let status = try await NodeClient(net.url).status()
        let chainId = try #require(ChainID(status.chain_id))
        let clerk = try SigningKey(pem: String(contentsOfFile: net.aachenClerk, encoding: .utf8))
        let body = TransactionBody.anchorDocument(
            .init(document: Hash32.sha256([1]), documentType: Code("birth-certificate")!, authority: Code("aachen")!))
        let now = Timestamp(millisecondsSince1970: UInt64(Date().timeIntervalSince1970 * 1000))

        // A forged signature: one bit flipped.
        var forged = Transaction(body: body, time: now, nonce: 1, chainId: chainId, key: clerk).encoded
        forged[forged.count - 1] ^= 1
        let (s4, e4) = try await post(forged)
        #expect(s4 == 422 && e4?.error.code == "invalid_signature")
        // Signed for another chain.
        let otherChain = Transaction(body: body, time: now, nonce: 1, chainId: ChainID("other-chain")!, key: clerk)
            .encoded
        let (s5, e5) = try await post(otherChain)
        #expect(s5 == 422 && e5?.error.code == "invalid_signature")
        // A well-signed transaction from a key no authority registered.
        let rogue = Transaction(body: body, time: now, nonce: 1, chainId: chainId, key: SigningKey()).encoded
        let (s6, e6) = try await post(rogue)
        #expect(s6 == 422 && e6?.error.code == "clerk_not_registered")
        // Soest's clerk anchoring for Aachen.
        let soest = try SigningKey(pem: String(contentsOfFile: net.soestClerk, encoding: .utf8))
        let (s7, e7) = try await post(
            Transaction(body: body, time: now, nonce: 1, chainId: chainId, key: soest).encoded)
        #expect(s7 == 422 && e7?.error.code == "clerk_wrong_authority")
        // Signed two days ago: outside the 24-hour window, so an old signed transaction cannot be replayed.
        let stale = Transaction(
            body: body, time: Timestamp(rawValue: now.rawValue - 2 * 86_400_000), nonce: 1, chainId: chainId, key: clerk
        ).encoded
        let (s9, e9) = try await post(stale)
        #expect(s9 == 422 && e9?.error.code == "transaction_time_outside_window")
        // Bad paths.
        let badHash = try await HTTPClient.request(.GET, net.url + "/v1/documents/not-a-hash")
        #expect(badHash.status == 400)
        let badHeight = try await HTTPClient.request(.GET, net.url + "/v1/blocks/-1")
        #expect(badHeight.status == 400)

        // Still serving, and a good transaction still commits, once.
        let good = Transaction(body: body, time: now, nonce: 1, chainId: chainId, key: clerk)
        let committed = try await NodeClient(net.url).submit(good)
        #expect(committed.status == "committed")
        let (s8, e8) = try await post(good.encoded)
        #expect(s8 == 409 && e8?.error.code == "transaction_already_applied")
        #expect(try await NodeClient(net.url).document(Hash32.sha256([1]))?.status == "valid")
    }

    @Test("govchaind refuses a validator key others can read, and a node.json name that is not the key's validator")
    func refusesUnsafeKeyAndWrongName() async throws {
        let net = try await LocalNetwork(name: "keymode")
        defer { net.remove() }
        let home = net.node.home
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: home + "/config/validator.key")
        let readable = try await Harness.run("govchaind", ["start", "--home", home], timeout: 20)
        #expect(readable.status != 0)
        #expect((readable.stderr + readable.stdout).contains("chmod 600"), "\(readable.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: home + "/config/validator.key")
        var config = try JSONDecoder().decode(
            NodeConfig.self, from: Data(contentsOf: URL(fileURLWithPath: home + "/config/node.json")))
        config.name = "Soest"
        try config.write(home: home)
        let misnamed = try await Harness.run("govchaind", ["start", "--home", home], timeout: 20)
        #expect(misnamed.status != 0)
        #expect((misnamed.stderr + misnamed.stdout).contains("belongs to \"Aachen\""), "\(misnamed.stderr)")
    }

    @Test("govchaind whose API port is taken exits at once, naming the address (it used to hang with its peers up)")
    func apiPortTakenIsAClearError() async throws {
        // Two validators, so the consensus services run beside the API (they ignored cancellation).
        let dir = Harness.temporaryDirectory("porttaken")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = Harness.portBlock()
        let made = try await Harness.govchain(
            "testnet", "init", "--dir", dir + "/n", "--validators", "Aachen,Soest", "--base-port", String(port))
        try #require(made.status == 0, "\(made.stderr)")
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let bound = Harness.withAddress(port: port) { bind(fd, $0, $1) }
        try #require(bound == 0 && listen(fd, 1) == 0, "could not take port \(port) for the test")
        let started = ContinuousClock.now
        let result = try await Harness.run("govchaind", ["start", "--home", dir + "/n/aachen"], timeout: 20)
        #expect(result.status == 1)
        #expect(result.stderr.contains("listen_failed"), "\(result.stderr)")
        #expect(result.stderr.contains("Cannot listen for the HTTP API on 127.0.0.1:\(port)"), "\(result.stderr)")
        #expect(ContinuousClock.now - started < .seconds(15), "it exited only when killed")
    }

    @Test func cliReportsBadArgumentsClearly() async throws {
        let dir = Harness.temporaryDirectory("cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try await Harness.govchain("verify", dir + "/nope.pdf", "--node", "http://127.0.0.1:1")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
        let directory = try await Harness.govchain("verify", dir, "--node", "http://127.0.0.1:1")
        #expect(directory.status == 1)
        #expect(directory.stderr.contains("is a directory"))
        let neither = try await Harness.govchain("verify")
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("either a document FILE or --hash"))
        let unreachable = try await Harness.govchain(
            "verify", "--hash", String(repeating: "00", count: 32), "--node", "http://127.0.0.1:1")
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("Cannot reach the node"))
        let badReason = try await Harness.govchain("revoke", "--hash-not-an-option")
        #expect(badReason.status != 0)
    }

    @Test func testnetInitRefusesToOverwrite() async throws {
        let dir = Harness.temporaryDirectory("init")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(
            try await Harness.govchain(
                "testnet", "init", "--dir", dir + "/n", "--validators", "Aachen,Soest", "--base-port", "30000"
            ).status == 0)
        let nodes = try JSONDecoder().decode(
            [TestnetPlan.NodeEntry].self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/n/nodes.json")))
        #expect(nodes.map(\.name) == ["Aachen", "Soest"])
        #expect(nodes.map(\.api_url) == ["http://127.0.0.1:30000", "http://127.0.0.1:30001"])
        #expect(FileManager.default.fileExists(atPath: nodes[1].home + "/config/validator.key"))
        let again = try await Harness.govchain("testnet", "init", "--dir", dir + "/n")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds a network"))
        #expect(try await Harness.govchain("testnet", "init", "--dir", dir + "/m", "--validators", "").status == 1)
    }
}
