import Foundation
import GovChainAPI
import GovChainCore
import GovChainFiles
import Testing

@testable import GovChainCLI

/// Four `govchaind` processes agreeing over authenticated TCP on loopback (issue 4's fault
/// tests). Every wait is bounded; every process is stopped at the end.
@Suite(.serialized) struct ClusterEndToEndTests {
    struct Cluster {
        let directory: String
        let nodes: [NodeProcess]
        let urls: [String]
        /// The network's port block (`Harness.portBlock`).
        let port: Int

        init(name: String, validators: [String] = ["Aachen", "Gelsenkirchen", "Paderborn", "Soest"]) async throws {
            directory = Harness.temporaryDirectory(name)
            let port = Harness.portBlock()
            self.port = port
            let result = try await Harness.govchain(
                "testnet", "init", "--dir", directory + "/net", "--validators", validators.joined(separator: ","),
                "--base-port", String(port))
            guard result.status == 0 else { throw TestFailure(result.stderr) }
            let base = directory
            urls = validators.indices.map { "http://127.0.0.1:\(port + $0)" }
            nodes = validators.indices.map {
                NodeProcess(
                    home: base + "/net/" + TestnetPlan.slug(validators[$0]), url: "http://127.0.0.1:\(port + $0)")
            }
        }

        var clerk: String { directory + "/net/aachen/keys/clerk.key" }

        func startAll() async throws {
            for node in nodes { try await node.start() }
        }

        /// Writes a document file into the network's directory.
        func file(_ name: String, _ text: String) throws -> String {
            let path = directory + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }

        func anchor(_ text: String, via node: Int, waitSeconds: Int64 = 20) async throws -> SubmitResponse {
            try await Harness.anchor(text, clerkKey: clerk, via: urls[node])
        }

        /// Waits until `node` has stored at least `height` (bounded).
        func waitForHeight(_ height: UInt64, on node: Int, seconds: Int = 30) async throws {
            for _ in 0..<(seconds * 10) {
                if let status = try? await NodeClient(urls[node]).status(), status.latest_height >= height { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw TestFailure("node \(node) did not reach height \(height) in \(seconds) s")
        }

        func hashes(on node: Int, upTo height: UInt64) async throws -> [String] {
            var out: [String] = []
            for h in 1...max(height, 1) { out.append(try await NodeClient(urls[node]).block(String(h)).hash) }
            return out
        }

        func stopAll() {
            nodes.forEach { $0.stopNow() }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @Test func crashedValidatorCatchesUpAndNothingIsLost() async throws {
        let cluster = try await Cluster(name: "crash4")
        defer { cluster.stopAll() }
        try await cluster.startAll()
        var anchored: [String] = []
        for i in 0..<3 {
            let result = try await cluster.anchor("doc \(i)", via: i)
            #expect(result.status == "committed")
            anchored.append("doc \(i)")
        }
        // kill -9 one of four: the other three (> 2/3) keep committing.
        cluster.nodes[3].crash()
        for i in 3..<6 {
            let result = try await cluster.anchor("doc \(i)", via: i % 3)
            #expect(result.status == "committed")
            anchored.append("doc \(i)")
        }
        let head = try await NodeClient(cluster.urls[0]).status().latest_height
        // Restart it: it syncs the missing blocks and holds the same hash at every height.
        try await cluster.nodes[3].start()
        try await cluster.waitForHeight(head, on: 3)
        let reference = try await cluster.hashes(on: 0, upTo: head)
        for node in 1..<4 {
            #expect(try await cluster.hashes(on: node, upTo: head) == reference, "node \(node) diverged")
        }
        for text in anchored {
            for node in 0..<4 {
                let record = try await NodeClient(cluster.urls[node]).document(Hash32.sha256(Array(text.utf8)))
                #expect(record?.status == "valid", "\(text) missing on node \(node)")
            }
        }
        // A receipt from any node carries a real multi-validator commit.
        let receipt = try await NodeClient(cluster.urls[2]).receipt(Hash32.sha256(Array("doc 0".utf8)))
        let genesis = try Genesis.load(contentsOf: cluster.directory + "/net/genesis.json")
        let proven = try ReceiptVerifier(genesis: genesis).verify(receipt)
        #expect(proven.signers.count >= 3)
    }

    @Test func withoutAQuorumNothingCommitsThenCommitsResume() async throws {
        let cluster = try await Cluster(name: "quorum4")
        defer { cluster.stopAll() }
        try await cluster.startAll()
        _ = try await cluster.anchor("before", via: 0)
        let before = try await NodeClient(cluster.urls[0]).status().latest_height
        // Two of four stopped: 2 of 4 is not more than two thirds. Safety before liveness.
        await cluster.nodes[2].stop()
        await cluster.nodes[3].stop()
        let key = try SigningKey(pem: String(contentsOfFile: cluster.clerk, encoding: .utf8))
        let status = try await NodeClient(cluster.urls[0]).status()
        let body = TransactionBody.anchorDocument(
            .init(
                document: Hash32.sha256(Array("during".utf8)), documentType: Code("birth-certificate")!,
                authority: Code("aachen")!))
        let stuck = Transaction(body: body, time: currentTime(), nonce: 7, chainId: ChainID(status.chain_id)!, key: key)
        let accepted = try await NodeClient(cluster.urls[0]).submit(stuck, waitForCommit: false)
        #expect(accepted.status == "pending")
        // A clerk waits for a commit on node 1 that cannot come; node 1 is stopped meanwhile. The
        // clerk is told at once, and the waiting request does not hold the shutdown (it held it
        // for commit_wait_ms_max, 30 s, before: nemesis finding 3).
        let other = Transaction(
            body: .anchorDocument(
                .init(
                    document: Hash32.sha256(Array("waiting".utf8)), documentType: Code("birth-certificate")!,
                    authority: Code("aachen")!)),
            time: currentTime(), nonce: 8, chainId: ChainID(status.chain_id)!, key: key)
        let url = cluster.urls[1]
        let waiting = Task { try await NodeClient(url).submit(other, waitForCommit: true) }
        try await Task.sleep(for: .seconds(4))
        #expect(try await NodeClient(cluster.urls[0]).status().latest_height == before)
        #expect(try await NodeClient(cluster.urls[1]).status().latest_height == before)
        let stopping = ContinuousClock.now
        await cluster.nodes[1].stop()
        #expect(ContinuousClock.now - stopping < .seconds(5), "a waiting request held the shutdown")
        await #expect(
            performing: { try await waiting.value },
            throws: { ($0 as? GovChainError)?.code == .nodeStopping })
        try await cluster.nodes[1].start()
        // Bring them back: the waiting anchor commits, on every node.
        try await cluster.nodes[2].start()
        try await cluster.nodes[3].start()
        for node in 0..<4 {
            var status: String?
            for _ in 0..<600 where status == nil {
                status = try? await NodeClient(cluster.urls[node]).document(Hash32.sha256(Array("during".utf8)))?.status
                if status == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == "valid", "the waiting anchor did not commit on node \(node)")
        }
    }

    @Test func strangersAndGarbageOnThePeerPortAreRefused() async throws {
        let cluster = try await Cluster(name: "strangers4")
        defer { cluster.stopAll() }
        try await cluster.startAll()
        let genesis = try Genesis.load(contentsOf: cluster.directory + "/net/genesis.json")
        let peer = try #require(NodeConfig.hostPort(genesis.validators.validators[0].peerAddress))
        // Garbage bytes straight onto the TLS port, several times.
        for _ in 0..<3 { try Self.sendGarbage(host: peer.host, port: peer.port) }
        // A stranger with its own valid-looking node: a validator key that is not in the genesis.
        let strangerHome = cluster.directory + "/stranger"
        try FileManager.default.createDirectory(atPath: strangerHome + "/config", withIntermediateDirectories: true)
        var file = try JSONDecoder().decode(
            GenesisFile.self, from: Data(contentsOf: URL(fileURLWithPath: cluster.directory + "/net/genesis.json")))
        let strangerKey = SigningKey()
        // Same chain id, but its own copy of the validator list with its key swapped in for Soest.
        file.validators![3].public_key = strangerKey.publicKey.hex
        file.validators![3].peer_address = "127.0.0.1:\(cluster.port + 150)"
        try file.jsonData().write(to: URL(fileURLWithPath: strangerHome + "/config/genesis.json"))
        try Data((strangerKey.pem + "\n").utf8).write(to: URL(fileURLWithPath: strangerHome + "/config/validator.key"))
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: strangerHome + "/config/validator.key")
        let strangerURL = "http://127.0.0.1:\(cluster.port + 50)"
        var config = NodeConfig(
            name: file.validators![3].name!, api_address: String(strangerURL.dropFirst("http://".count)))
        config.peer_addresses = Dictionary(
            uniqueKeysWithValues: genesis.validators.validators.map { ($0.name, $0.peerAddress) })
        try config.write(home: strangerHome)
        let stranger = NodeProcess(home: strangerHome, url: strangerURL)
        try await stranger.start()
        defer { stranger.stopNow() }
        // The real network still commits, and the stranger learns nothing (its genesis differs, and its key is unknown).
        let result = try await cluster.anchor("still fine", via: 1)
        #expect(result.status == "committed")
        try await Task.sleep(for: .seconds(2))
        #expect(try await NodeClient(strangerURL).status().latest_height == 0)
        for node in cluster.nodes { #expect(node.process?.isRunning == true) }
    }

    static func sendGarbage(host: String, port: Int) throws {
        guard let fd = Harness.connectedSocket(host: host, port: port) else { return }
        defer { close(fd) }
        let garbage = [UInt8](repeating: 0xAB, count: 4096) + Array("GET / HTTP/1.1\r\n\r\n".utf8)
        _ = garbage.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        usleep(100_000)
    }
}
