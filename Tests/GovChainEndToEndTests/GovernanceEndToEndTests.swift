import Foundation
import GovChainAPI
import GovChainCore
import Synchronization
import Testing

@testable import GovChainCLI

/// Governance on real processes (issue 10): Köln joins a running network of the five model
/// municipalities under a steady load of anchors, catches up and signs; Soest is removed and no
/// longer signs; Wuppertal's validator key is rotated. No fork, no lost anchor, the right signers
/// after each change, and a node synced from genesis afterwards ends on the same hash.
@Suite(.serialized) struct GovernanceEndToEndTests {
    static let names = ["Aachen", "Gelsenkirchen", "Paderborn", "Soest", "Wuppertal"]

    /// Runs `govchain` and fails with its output when it does not exit 0.
    @discardableResult
    static func cli(_ arguments: String...) async throws -> String {
        let result = try await Harness.run("govchain", arguments, timeout: 90)
        guard result.status == 0 else {
            throw TestFailure("govchain \(arguments.joined(separator: " ")) failed:\n\(result.stdout)\(result.stderr)")
        }
        return result.stdout
    }

    /// The proposal id `govchain governance propose … --json` printed.
    static func proposalId(_ json: String) throws -> UInt64 {
        let proposal = try JSONDecoder().decode(ProposalResponse.self, from: Data(json.utf8))
        return proposal.id
    }

    /// Waits (bounded) until `condition` holds.
    static func eventually(
        _ what: String, seconds: Int = 60, _ condition: () async throws -> Bool
    ) async throws {
        for _ in 0..<(seconds * 5) {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("not within \(seconds) s: \(what)")
    }

    /// The member indices that signed the commit of block `height`, as `node` serves it.
    static func signers(_ url: String, _ height: UInt64) async throws -> Set<UInt16> {
        let block = try await NodeClient(url).block(String(height))
        return Set(block.commit.map(\.validator))
    }

    @Test("Köln joins under load and signs, Soest leaves, Wuppertal rotates its key: no fork, nothing lost")
    func joinLeaveRotate() async throws {
        let cluster = try await ClusterEndToEndTests.Cluster(name: "gov", validators: Self.names)
        defer { cluster.stopAll() }
        try await cluster.startAll()
        let net = cluster.directory + "/net"
        let key = { (name: String) in net + "/" + TestnetPlan.slug(name) + "/config/validator.key" }
        let url = cluster.urls

        // A steady load of anchors through the first three nodes, acknowledged ones recorded.
        let acknowledged = Mutex<[String]>([])
        let clerk = cluster.clerk
        let load = Task {
            var i = 0
            while !Task.isCancelled {
                i += 1
                let text = "governance load \(i)"
                if let reply = try? await Harness.anchor(text, clerkKey: clerk, via: url[i % 3]),
                    reply.status == "committed"
                {
                    acknowledged.withLock { $0.append(text) }
                }
                try? await Task.sleep(for: .milliseconds(150))
            }
        }
        defer { load.cancel() }
        let genesis = try Genesis.load(contentsOf: net + "/genesis.json")
        _ = try await Harness.anchor("before Köln", clerkKey: clerk, via: url[0])

        // Köln: a home with its own key; its node starts before it is admitted and follows.
        let joined = try await Self.cli(
            "testnet", "join", "--dir", net, "--name", "Köln", "--api-port", String(cluster.port + 5),
            "--peer-port", String(cluster.port + 105), "--json")
        let koeln = try JSONDecoder().decode(TestnetJoin.Result.self, from: Data(joined.utf8))
        let koelnNode = NodeProcess(home: koeln.home, url: koeln.api_url)
        defer { koelnNode.stopNow() }
        try await koelnNode.start()

        // Aachen proposes, three others approve: 4 of 5 is more than two thirds.
        let add = try Self.proposalId(
            try await Self.cli(
                "governance", "propose", "add-validator", "--name", "Köln", "--public-key", koeln.public_key,
                "--peer-address", koeln.peer_address, "--key", key("Aachen"), "--node", url[0], "--json"))
        for (i, name) in [(1, "Gelsenkirchen"), (2, "Paderborn")] {
            try await Self.cli("governance", "approve", String(add), "--key", key(name), "--node", url[i])
        }
        let pending: ProposalResponse = try await NodeClient(url[0]).get("/v1/governance/proposals/\(add)")
        #expect(pending.status == "pending", "3 of 5 must not pass")
        try await Self.cli("governance", "approve", String(add), "--key", key("Soest"), "--node", url[3])
        let approved: ProposalResponse = try await NodeClient(url[0]).get("/v1/governance/proposals/\(add)")
        #expect(approved.status == "approved")
        let effective = try #require(approved.effective_height)
        #expect(effective == approved.status_height! + 2)

        // From the effective height on the set has six members, and Köln (member 5) signs.
        try await Self.eventually("block \(effective) is committed") {
            try await NodeClient(url[0]).status().latest_height >= effective
        }
        let before: ValidatorsResponse = try await NodeClient(url[0]).get("/v1/validators?height=\(effective - 1)")
        let after: ValidatorsResponse = try await NodeClient(url[0]).get("/v1/validators?height=\(effective)")
        #expect(before.validators.count == 5)
        #expect(after.validators.map(\.name) == Self.names + ["Köln"])
        let header1 = try await NodeClient(url[0]).block(String(effective - 1))
        #expect(header1.next_validators_hash == after.validators_hash)
        #expect(header1.validators_hash == before.validators_hash)
        try await Self.eventually("Köln catches up and signs a commit", seconds: 90) {
            let head = try await NodeClient(url[0]).status().latest_height
            guard head > effective + 2 else { return false }
            for h in effective...(head - 1) where try await Self.signers(url[0], h).contains(5) { return true }
            return false
        }
        _ = try await Harness.anchor("after Köln", clerkKey: clerk, via: url[1])
        try await Self.eventually("Köln's node is at the head") {
            let head = try await NodeClient(url[0]).status().latest_height
            return try await NodeClient(koeln.api_url).status().latest_height + 2 >= head
        }

        // Soest is removed: 5 of 6 approve (quorum of 6 is 5).
        let remove = try Self.proposalId(
            try await Self.cli(
                "governance", "propose", "remove-validator", "--validator", "Soest", "--key", key("Aachen"),
                "--node", url[0], "--json"))
        for (i, name) in [(1, "Gelsenkirchen"), (2, "Paderborn"), (4, "Wuppertal")] {
            try await Self.cli("governance", "approve", String(remove), "--key", key(name), "--node", url[i])
        }
        try await Self.cli("governance", "approve", String(remove), "--key", key("Köln"), "--node", koeln.api_url)
        let removed: ProposalResponse = try await NodeClient(url[0]).get("/v1/governance/proposals/\(remove)")
        #expect(removed.status == "approved", "\(removed)")
        let soestGone = try #require(removed.effective_height)
        try await Self.eventually("blocks after Soest's removal") {
            try await NodeClient(url[0]).status().latest_height >= soestGone + 3
        }
        for h in soestGone...(soestGone + 2) {
            #expect(!(try await Self.signers(url[0], h)).contains(3), "Soest (3) signed block \(h) after its removal")
        }
        let soestVote = try await Harness.run(
            "govchain",
            [
                "governance", "propose", "set-power", "--validator", "Aachen", "--power", "2",
                "--key", key("Soest"), "--node", url[3],
            ], timeout: 60)
        #expect(soestVote.status != 0)
        #expect(
            (soestVote.stderr + soestVote.stdout).contains("Only a validator of the set"),
            "\(soestVote.stdout)\(soestVote.stderr)")

        // Wuppertal's key is rotated; its node restarts with the new key and signs again.
        let newKey = SigningKey()
        let newKeyFile = net + "/wuppertal-new.key"
        try Files.create(newKeyFile, newKey.pem + "\n", mode: 0o600)
        let rotate = try Self.proposalId(
            try await Self.cli(
                "governance", "propose", "rotate-key", "--validator", "Wuppertal", "--new-key", newKey.publicKey.hex,
                "--key", key("Aachen"), "--node", url[0], "--json"))
        for (node, name) in [(url[1], "Gelsenkirchen"), (url[2], "Paderborn"), (koeln.api_url, "Köln")] {
            try await Self.cli("governance", "approve", String(rotate), "--key", key(name), "--node", node)
        }
        let rotated: ProposalResponse = try await NodeClient(url[0]).get("/v1/governance/proposals/\(rotate)")
        #expect(rotated.status == "approved", "\(rotated)")
        let rotatedAt = try #require(rotated.effective_height)
        try await Self.eventually("the rotation is in force") {
            try await NodeClient(url[0]).status().latest_height >= rotatedAt
        }
        await cluster.nodes[4].stop()
        try FileManager.default.removeItem(atPath: key("Wuppertal"))
        try FileManager.default.copyItem(atPath: newKeyFile, toPath: key("Wuppertal"))
        try await cluster.nodes[4].start()
        try await Self.eventually("Wuppertal signs with its new key", seconds: 90) {
            let head = try await NodeClient(url[0]).status().latest_height
            guard head > rotatedAt + 2 else { return false }
            for h in (rotatedAt + 1)...(head - 1) where try await Self.signers(url[0], h).contains(4) { return true }
            return false
        }
        let set: ValidatorsResponse = try await NodeClient(url[0]).get("/v1/validators")
        #expect(set.validators.first { $0.index == 4 }?.public_key == newKey.publicKey.hex)
        _ = try await Harness.anchor("after the rotation", clerkKey: clerk, via: url[2])

        // Receipts from before and after each change verify offline with the original genesis
        // alone; the ones after carry the set changes, each signed by the set before it.
        for (text, changes) in [("before Köln", 0), ("after Köln", 1), ("after the rotation", 3)] {
            let receipt = try await NodeClient(url[0]).receipt(Hash32.sha256(Array(text.utf8)))
            #expect((receipt.validator_sets?.count ?? 0) == changes, "\(text)")
            let proven = try ReceiptVerifier(genesis: genesis).verify(receipt)
            #expect(proven.signers.count >= 4, "\(text): \(proven.signers)")
            // A receipt that hides the changes does not verify.
            if changes > 0 {
                var hidden = receipt
                hidden.validator_sets = nil
                #expect(throws: GovChainError.self) { try ReceiptVerifier(genesis: genesis).verify(hidden) }
            }
        }
        // Online: the proof of a document anchored before Köln, at today's head, checked by the
        // CLI against the original genesis file.
        let online = try await Harness.run(
            "govchain",
            [
                "verify", "--hash", Hash32.sha256(Array("before Köln".utf8)).hex, "--node", url[0], "--genesis",
                net + "/genesis.json",
            ], timeout: 60)
        #expect(online.status == 0, "\(online.stdout)\(online.stderr)")
        #expect(online.stdout.contains("VALID"), "\(online.stdout)")

        // Stop the load; every acknowledged anchor is on every running node; no fork.
        load.cancel()
        _ = await load.result
        let head = try await NodeClient(url[0]).status().latest_height
        let running = [url[0], url[1], url[2], url[4], koeln.api_url]
        for node in running {
            try await Self.eventually("\(node) reaches \(head)") {
                try await NodeClient(node).status().latest_height >= head
            }
        }
        let reference = try await NodeClient(url[0]).block(String(head)).hash
        for node in running { #expect(try await NodeClient(node).block(String(head)).hash == reference) }
        let texts = acknowledged.withLock { $0 }
        #expect(texts.count >= 20, "only \(texts.count) anchors were acknowledged")
        for text in texts {
            for node in [url[1], koeln.api_url] {
                let record = try await NodeClient(node).document(Hash32.sha256(Array(text.utf8)))
                #expect(record?.status == "valid", "\(text) missing on \(node)")
            }
        }

        // Gelsenkirchen, wiped, syncs from genesis, replays every change, ends on the same hash.
        await cluster.nodes[1].stop()
        try FileManager.default.removeItem(atPath: net + "/gelsenkirchen/data")
        try await cluster.nodes[1].start()
        try await Self.eventually("the wiped node catches up", seconds: 120) {
            try await NodeClient(url[1]).status().latest_height >= head
        }
        #expect(try await NodeClient(url[1]).block(String(head)).hash == reference)
        let replayed: ValidatorsResponse = try await NodeClient(url[1]).get("/v1/validators?height=\(head)")
        #expect(
            replayed.validators_hash
                == (try await NodeClient(url[0]).get("/v1/validators?height=\(head)") as ValidatorsResponse)
                .validators_hash)
    }
}
