import Foundation
import GovChainAPI
import GovChainConsensus
import GovChainCore
import Synchronization
import Testing

@testable import GovChainCLI

/// Four honest `govchaind` processes and one hostile validator in the test process (`HostilePeer`:
/// a real key, the real protocol, hand-made messages), one test per attack of the hardening
/// issue. Powers are 3, 3, 3, 3 and 1 (Wuppertal, the attacker): any three honest validators
/// (9 of 13) commit without the attacker, so a stopped honest node can fall behind and must
/// catch up while the attacker lies to it.
///
/// For every attack: honest nodes stay up, anchors keep committing within `latencyBound`, block
/// times stay honest, and resident memory stays under `memoryBoundMiB`.
@Suite(.serialized) struct ByzantineEndToEndTests {
    /// Debug build, four nodes and the attacker on two cores: most attacks stay under 2 s; the
    /// future-height flood (thousands of validly signed votes a second) has reached 4.9–6.1 s.
    static let latencyBound: Duration = .seconds(10)
    static let memoryBoundMiB = 400
    static let attackSeconds = 8

    struct Network {
        let directory: String
        let nodes: [NodeProcess]
        let urls: [String]
        let hostileHome: String

        init(name: String) async throws {
            directory = Harness.temporaryDirectory(name)
            let names = ["Aachen", "Gelsenkirchen", "Paderborn", "Soest", "Wuppertal"]
            let port = Harness.portBlock()
            let result = try await Harness.govchain(
                "testnet", "init", "--dir", directory + "/net", "--validators", names.joined(separator: ","),
                "--base-port", String(port))
            guard result.status == 0 else { throw TestFailure(result.stderr) }
            // Reweigh: honest 3 each, the attacker 1; every home gets the same genesis bytes.
            var file = try JSONDecoder().decode(
                GenesisFile.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/net/genesis.json")))
            for i in file.validators!.indices {
                file.validators![i].power = file.validators![i].name == "Wuppertal" ? 1 : 3
            }
            let bytes = file.jsonData()
            try bytes.write(to: URL(fileURLWithPath: directory + "/net/genesis.json"))
            for name in names {
                try bytes.write(
                    to: URL(fileURLWithPath: directory + "/net/\(TestnetPlan.slug(name))/config/genesis.json"))
            }
            let base = directory
            urls = (0..<4).map { "http://127.0.0.1:\(port + $0)" }
            nodes = (0..<4).map {
                NodeProcess(home: base + "/net/" + TestnetPlan.slug(names[$0]), url: "http://127.0.0.1:\(port + $0)")
            }
            hostileHome = directory + "/net/wuppertal"
        }

        func start() async throws -> HostilePeer {
            for node in nodes { try await node.start() }
            return try HostilePeer(home: hostileHome)
        }

        func stop(_ hostile: HostilePeer?) async {
            await hostile?.stop()
            nodes.forEach { $0.stopNow() }
            if ProcessInfo.processInfo.environment["GOVCHAIN_KEEP_TEST_DIRS"] == nil {
                try? FileManager.default.removeItem(atPath: directory)
            } else {
                print("[byzantine] kept \(directory)")
            }
        }

        func anchor(_ text: String, via node: Int) async throws -> (SubmitResponse, Duration) {
            let began = ContinuousClock.now
            let response = try await Harness.anchor(
                text, clerkKey: directory + "/net/aachen/keys/clerk.key", via: urls[node])
            return (response, ContinuousClock.now - began)
        }

        /// Prints what every honest node says about itself (for a failing run).
        func dump() async {
            for url in urls {
                let status = try? await HTTPClient.request(.GET, url + "/v1/status")
                let peers = try? await HTTPClient.request(.GET, url + "/v1/peers")
                print(
                    "[byzantine] \(url) status: \(status.map { String(decoding: $0.body, as: UTF8.self) } ?? "unreachable")"
                )
                print(
                    "[byzantine] \(url) peers: \(peers.map { String(decoding: $0.body, as: UTF8.self) } ?? "unreachable")"
                )
            }
        }

        func height(_ node: Int) async -> UInt64 { (try? await NodeClient(urls[node]).status().latest_height) ?? 0 }

        func peers(_ node: Int) async throws -> PeersResponse { try await NodeClient(urls[node]).get("/v1/peers") }

        /// Resident memory of each honest node.
        var residentMiB: [Int] {
            nodes.map { $0.process.map { GovChainEndToEndTests.residentMiB($0.processIdentifier) } ?? -1 }
        }
    }

    /// Anchors through the honest nodes in turn while `attack` runs; returns the commit latencies.
    func underAttack(
        _ network: Network, via nodes: [Int] = [0, 1, 2, 3], seconds: Int = attackSeconds,
        _ attack: @escaping @Sendable () async -> Void
    ) async throws -> [Duration] {
        let attacking = Task { await attack() }
        defer { attacking.cancel() }
        var latencies: [Duration] = []
        let end = ContinuousClock.now + .seconds(seconds)
        var i = 0
        while ContinuousClock.now < end {
            let response: SubmitResponse, latency: Duration
            do {
                (response, latency) = try await network.anchor("under attack \(UUID())", via: nodes[i % nodes.count])
            } catch {
                await network.dump()
                throw error
            }
            #expect(response.status == "committed")
            latencies.append(latency)
            i += 1
        }
        attacking.cancel()
        _ = await attacking.value
        return latencies
    }

    /// What every attack must leave true.
    func checkHealthy(_ network: Network, latencies: [Duration], since started: Date, attack: String) async throws {
        for (i, node) in network.nodes.enumerated() {
            #expect(node.process?.isRunning == true, "\(attack): honest node \(i) died")
        }
        #expect(latencies.count >= 5, "\(attack): only \(latencies.count) anchors committed")
        let worst = latencies.max() ?? .zero
        #expect(worst <= Self.latencyBound, "\(attack): an anchor took \(worst)")
        let memory = network.residentMiB
        #expect(memory.allSatisfy { $0 > 0 && $0 <= Self.memoryBoundMiB }, "\(attack): resident memory \(memory) MiB")
        // Every block committed is honestly dated: not in the future, not before the test began.
        let head = await network.height(0)
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let floor = UInt64(started.timeIntervalSince1970 * 1000) - 60_000
        for h in 1...max(head, 1) {
            let block = try await NodeClient(network.urls[0]).block(String(h))
            let time = try #require(Timestamp(rfc3339: block.time)).rawValue
            #expect(time <= now + 10_000 && time >= floor, "\(attack): block \(h) is dated \(block.time)")
        }
        let sorted = latencies.sorted()
        print(
            "[byzantine] \(attack): \(latencies.count) anchors, latency p50 \(sorted[sorted.count / 2]), max \(worst), RSS \(memory) MiB, height \(head)"
        )
    }

    // MARK: - The attacks

    @Test("a proposer dating blocks in 2500 or at 2^64−1 ms: nil prevotes, honest times, no crash")
    func farFutureBlockTime() async throws {
        let network = try await Network(name: "byz-time")
        let hostile = try await network.start()
        let started = Date()
        let proposals = Mutex(0)
        let latencies = try await underAttack(network, seconds: 12) {
            var proposed = Set<UInt64>()
            let schedule = ProposerSchedule(validators: hostile.genesis.validators)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(30))
                guard let (tip, commit) = await hostile.fetchTip() else { continue }
                let height = tip.header.height.next
                for round in UInt32(0)..<13
                where schedule.proposer(height: height, round: Round(round)) == hostile.index {
                    let key = height.rawValue << 8 | UInt64(round)
                    guard proposed.insert(key).inserted else { continue }
                    // 2500-01-01, or the end of time.
                    let time: UInt64 = proposed.count % 2 == 0 ? 16_725_225_600_000 : .max
                    let block = Block.make(
                        chainId: hostile.genesis.chainId, height: height, time: Timestamp(rawValue: time),
                        previousHash: tip.hash, lastCommit: commit, transactions: [],
                        validators: hostile.genesis.validators, proposer: hostile.index)
                    hostile.propose(block, round: Round(round))
                    proposals.withLock { $0 += 1 }
                }
            }
        }
        try await checkHealthy(network, latencies: latencies, since: started, attack: "far-future block time")
        #expect(proposals.withLock { $0 } >= 1, "the attacker never got to propose")
        await network.stop(hostile)
    }

    @Test("a status lie of 2^64−1 while an honest node catches up: it still catches up")
    func statusLieDuringCatchUp() async throws {
        let network = try await Network(name: "byz-status")
        let hostile = try await network.start()
        let started = Date()
        await network.nodes[3].stop()
        let lying = Task {
            while !Task.isCancelled {
                hostile.broadcast(.status(Height(.max)))
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { lying.cancel() }
        for i in 0..<6 { _ = try await network.anchor("while soest is down \(i)", via: i % 3) }
        let target = await network.height(0)
        try await network.nodes[3].start()
        let caughtUp = ContinuousClock.now
        var height: UInt64 = 0
        while ContinuousClock.now - caughtUp < .seconds(30) {
            height = await network.height(3)
            if height >= target { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let took = ContinuousClock.now - caughtUp
        #expect(height >= target, "Soest reached \(height) of \(target) in \(took)")
        print("[byzantine] status lie: restarted node caught up \(target) heights in \(took)")
        let latencies = try await underAttack(network, seconds: 4) {}
        try await checkHealthy(network, latencies: latencies, since: started, attack: "status lie during catch-up")
        lying.cancel()
        await network.stop(hostile)
    }

    @Test("a gossip flood of junk transactions: bounded memory, commits continue")
    func gossipFlood() async throws {
        let network = try await Network(name: "byz-gossip")
        let hostile = try await network.start()
        let started = Date()
        let latencies = try await underAttack(network) {
            let junk = (0..<NodeMessage.transactionsPerMessageMax).map { i in
                [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 200)
            }
            let message = NodeMessage.transactions(junk)
            while !Task.isCancelled {
                for _ in 0..<8 { hostile.broadcast(message) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try await checkHealthy(network, latencies: latencies, since: started, attack: "gossip flood")
        await network.stop(hostile)
    }

    @Test("a flood of validly signed next-height proposals and votes: budgets hold")
    func futureHeightFlood() async throws {
        let network = try await Network(name: "byz-future")
        let hostile = try await network.start()
        let started = Date()
        let latencies = try await underAttack(network) {
            let filler = (0..<2_000).map { i in
                Transaction(
                    body: .anchorDocument(
                        .init(
                            document: Hash32.sha256([UInt8(i & 0xff), UInt8(i >> 8)]),
                            documentType: Code("birth-certificate")!,
                            authority: Code("aachen")!)),
                    time: currentTime(), nonce: UInt64(i), chainId: hostile.genesis.chainId, key: hostile.key)
            }
            var round: UInt32 = 0
            while !Task.isCancelled {
                let (height, _) = hostile.current
                let next = height.next
                let block = Block.make(
                    chainId: hostile.genesis.chainId, height: next, time: currentTime(),
                    previousHash: Hash32.sha256([1]),
                    lastCommit: nil, transactions: filler, validators: hostile.genesis.validators,
                    proposer: hostile.index)
                hostile.propose(block, round: Round(round))
                for r in 0..<50 {
                    let vote = Vote.sign(
                        type: .prevote, height: next, round: Round(round &+ UInt32(r)), block: nil,
                        validator: hostile.index,
                        chainId: hostile.genesis.chainId, key: hostile.key)
                    hostile.broadcast(.consensus(.vote(vote)))
                }
                round &+= 1
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        try await checkHealthy(network, latencies: latencies, since: started, attack: "future-height flood")
        await network.stop(hostile)
    }

    @Test("a vote flood with forged signatures: the sender is disconnected, banned and counted")
    func forgedVoteFlood() async throws {
        let network = try await Network(name: "byz-votes")
        let hostile = try await network.start()
        let started = Date()
        let latencies = try await underAttack(network) {
            while !Task.isCancelled {
                let (seen, round) = hostile.current
                for i in 0..<500 {
                    // This height and the next: the honest nodes' edge window (older ones are
                    // dropped unchecked, as stale, and cost nothing).
                    let height = i % 2 == 0 ? seen : seen.next
                    let forged = Vote(
                        type: .prevote, height: height, round: i % 2 == 0 ? round : 0,
                        block: Hash32.sha256([UInt8.random(in: 0...255)]),
                        validator: hostile.index, signature: Signature((0..<64).map { _ in UInt8.random(in: 0...255) })!
                    )
                    hostile.broadcast(.consensus(.vote(forged)))
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try await checkHealthy(network, latencies: latencies, since: started, attack: "forged vote flood")
        let report = try await network.peers(0)
        let wuppertal = try #require(report.peers.first { $0.validator == "Wuppertal" })
        #expect(wuppertal.refused["invalid_signature", default: 0] >= 1 && wuppertal.disconnects >= 1, "\(wuppertal)")
        print(
            "[byzantine] forged votes: Aachen's /v1/peers for Wuppertal: \(wuppertal.refused), disconnects \(wuppertal.disconnects)"
        )
        await network.stop(hostile)
    }

    @Test("block requests for the whole chain, again and again: served one at a time, memory bounded")
    func serveAmplification() async throws {
        let network = try await Network(name: "byz-serve")
        let hostile = try await network.start()
        for i in 0..<20 { _ = try await network.anchor("history \(i)", via: i % 4) }
        let started = Date()
        let latencies = try await underAttack(network) {
            while !Task.isCancelled {
                for _ in 0..<200 { hostile.broadcast(.blockRequest(from: 1, count: NodeMessage.blocksPerRequestMax)) }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        try await checkHealthy(network, latencies: latencies, since: started, attack: "serve amplification")
        let report = try await network.peers(1)
        let wuppertal = try #require(report.peers.first { $0.validator == "Wuppertal" })
        #expect(wuppertal.refused["request_while_serving", default: 0] > 0, "\(wuppertal)")
        await network.stop(hostile)
    }

    @Test("a slow reader that asks for blocks and never reads: the servers' queues stay bounded")
    func slowReader() async throws {
        let network = try await Network(name: "byz-slow")
        let hostile = try await network.start()
        // Some history worth serving, with transactions in every block.
        for i in 0..<30 { _ = try await network.anchor("history \(i)", via: i % 4) }
        hostile.network.setReading(false)
        let started = Date()
        let latencies = try await underAttack(network) {
            while !Task.isCancelled {
                for _ in 0..<50 { hostile.broadcast(.blockRequest(from: 1, count: NodeMessage.blocksPerRequestMax)) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try await checkHealthy(network, latencies: latencies, since: started, attack: "slow reader")
        hostile.network.setReading(true)
        await network.stop(hostile)
    }
}
