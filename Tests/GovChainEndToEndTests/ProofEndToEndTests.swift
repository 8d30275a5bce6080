import Foundation
import GovChainAPI
import GovChainCore
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import GovChainCLI

/// Issue 9 on the five model municipalities: every answer `govchain verify` prints is proven
/// (anchored 0, revoked 3, superseded 3, never anchored 2), status and absence receipts verify
/// offline with the genesis only, and an HTTP proxy in front of a real node that rewrites its
/// answers never gets a VALID through.
@Suite(.serialized) struct ProofEndToEndTests {
    /// The ways the proxy lies about a document's proof.
    enum Lie: String, CaseIterable, Sendable {
        case honest
        /// REVOKED shown as VALID: the record from before the revocation under the newest header.
        case revokedShownValid
        /// Another (valid) document's record in place of this one's.
        case otherDocumentsRecord
        /// The revocation dropped: no record, no leaf (claims "never anchored").
        case revocationDropped
        /// A whole, genuine proof from before the revocation (withholding the newer blocks).
        case olderHeight
        /// Another chain's genesis (status and proofs name a different genesis hash).
        case otherGenesis
        /// A chain id nobody pinned, to dodge the pin (trust on first use must not take it).
        case newChainId
    }

    /// A lying node: forwards to `upstream`, rewriting proofs (and status) by `lie`.
    final class LyingProxy: Sendable {
        let upstream: String
        let lie = Mutex(Lie.honest)
        /// Proof bodies the proxy splices in, by document hash: (before revocation, other document).
        let material = Mutex<(before: StateProof?, other: StateProof?)>((nil, nil))

        init(upstream: String) { self.upstream = upstream }

        func forward(_ path: String) async throws -> [UInt8] {
            let reply = try await HTTPClient.request(.GET, upstream + path)
            var body = reply.body
            let lie = self.lie.withLock { $0 }
            if path.contains("/proof"), reply.status == 200,
                var proof = try? StateProof(json: Data(body), canonical: false)
            {
                let (before, other) = material.withLock { $0 }
                switch lie {
                case .honest: break
                case .revokedShownValid: proof.record = before?.record
                case .otherDocumentsRecord: proof.record = other?.record
                case .revocationDropped:
                    proof.record = nil
                    proof.state_proof.leaf = nil
                case .olderHeight: if let before { proof = before }
                case .otherGenesis: proof.genesis_hash = String(repeating: "ab", count: 32)
                case .newChainId: break
                }
                body = Array(proof.canonicalJSON)
            }
            if path.hasPrefix("/v1/status"), lie == .otherGenesis || lie == .newChainId,
                var status = try? JSONDecoder().decode(StatusResponse.self, from: Data(body))
            {
                if lie == .otherGenesis { status.genesis_hash = String(repeating: "ab", count: 32) }
                if lie == .newChainId { status.chain_id = "evil-chain-1" }
                body = Array(try JSONEncoder().encode(status))
            }
            return body
        }

        /// The proxy serving on `port` until `stop()`, once it answers. Stopped by a graceful
        /// shutdown, never by cancelling: a cancelled Hummingbird server can drop an accepted,
        /// unserved connection and trap in NIO ("Deinited NIOAsyncWriter").
        struct Running {
            let url: String
            let group: ServiceGroup
            let serving: Task<Void, any Error>

            func stop() async {
                await group.triggerGracefulShutdown()
                _ = try? await serving.value
            }
        }

        func start(port: Int) async throws -> Running {
            let group = ServiceGroup(
                services: [application(port: port)], gracefulShutdownSignals: [], cancellationSignals: [],
                logger: Logger(label: "lying-proxy"))
            let serving = Task { try await group.run() }
            let url = "http://127.0.0.1:\(port)"
            for _ in 0..<100 where (try? await NodeClient(url).status()) == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            return Running(url: url, group: group, serving: serving)
        }

        func application(port: Int) -> some ApplicationProtocol {
            let router = Router()
            for route in ["/v1/status", "/v1/genesis", "/v1/documents/:hash/proof", "/v1/documents/:hash"] {
                router.get(RouterPath(route)) { request, _ -> Response in
                    let bytes = try await self.forward(request.uri.description)
                    return Response(
                        status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
                }
            }
            // The verify page and its files, passed on unchanged: a browser loads the page from the
            // liar, so everything the page fetches goes through the lies too.
            for route in ["/", "/verify", "/v", "/web/:file"] {
                router.get(RouterPath(route)) { request, _ -> Response in
                    let reply = try await HTTPClient.request(.GET, self.upstream + request.uri.path)
                    let type =
                        request.uri.path.hasSuffix(".js")
                        ? "text/javascript" : request.uri.path.hasSuffix(".css") ? "text/css" : "text/html"
                    return Response(
                        status: .init(code: reply.status), headers: [.contentType: type],
                        body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
                }
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        }
    }

    @Test func everyStatusIsProvenAndALyingNodeNeverShowsValid() async throws {
        let names = ["Aachen", "Gelsenkirchen", "Paderborn", "Soest", "Wuppertal"]
        let cluster = try await ClusterEndToEndTests.Cluster(name: "proofs5", validators: names)
        defer { cluster.stopAll() }
        // Empty blocks every second, so a withheld proof ages while honest ones stay fresh.
        var file = try JSONDecoder().decode(
            GenesisFile.self, from: Data(contentsOf: URL(fileURLWithPath: cluster.directory + "/net/genesis.json")))
        file.consensus = file.consensus ?? .init()
        file.consensus!.empty_block_interval_ms = 1_000
        let bytes = file.jsonData()
        try bytes.write(to: URL(fileURLWithPath: cluster.directory + "/net/genesis.json"))
        for name in names {
            try bytes.write(
                to: URL(fileURLWithPath: cluster.directory + "/net/\(TestnetPlan.slug(name))/config/genesis.json"))
        }
        let genesis = cluster.directory + "/net/genesis.json"
        try await cluster.startAll()
        let url = cluster.urls[0]
        let govchain = Harness.PinnedCLI()
        defer { govchain.remove() }
        let doc = cluster.file
        let clerk = cluster.clerk
        let valid = try doc("valid.txt", "Gewerbeanmeldung Aachen 2026/17")
        let revoked = try doc("revoked.txt", "Meldebescheinigung Aachen 2026/3")
        let old = try doc("old.txt", "Baugenehmigung v1")
        let new = try doc("new.txt", "Baugenehmigung v2")
        for path in [valid, revoked, old] {
            let anchored = try await govchain(
                "anchor", path, "--type", "birth-certificate", "--key", clerk, "--node", url)
            try #require(anchored.status == 0, "\(anchored.stderr)")
        }
        let beforeRevocation = try await NodeClient(url).status().latest_height
        try #require(
            try await govchain("revoke", revoked, "--reason", "withdrawal", "--key", clerk, "--node", url).status == 0)
        try #require(try await govchain("supersede", old, new, "--key", clerk, "--node", url).status == 0)

        // Online, against every node in turn, first use pins the genesis (TOFU), then it is reused.
        let first = try await govchain("verify", valid, "--node", url)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("PINNED NOW"))
        #expect(first.stdout.contains("proven by"))
        let expected: [(String, Int32, String)] = [
            (valid, 0, "VALID"), (revoked, 3, "REVOKED"), (old, 3, "SUPERSEDED"), (new, 0, "VALID"),
        ]
        for (path, code, word) in expected {
            for node in cluster.urls {
                let result = try await govchain("verify", path, "--node", node)
                #expect(result.status == code, "\(path) via \(node): \(result.stdout)")
                #expect(result.stdout.hasPrefix(word), "\(path): \(result.stdout)")
                #expect(result.stdout.contains("pinned in"))
            }
        }
        let never = try await govchain("verify", "--hash", String(repeating: "cd", count: 32), "--node", url)
        #expect(never.status == 2 && never.stdout.hasPrefix("UNKNOWN: proven never anchored"), "\(never.stdout)")

        // Offline: status and absence receipts, with the genesis file only.
        try #require(
            try await govchain("receipt", revoked, "--status", "--out", cluster.directory + "/r.json", "--node", url)
                .status
                == 0)
        let offline = try await govchain(
            "verify", revoked, "--receipt", cluster.directory + "/r.json", "--genesis", genesis)
        #expect(offline.status == 3 && offline.stdout.hasPrefix("REVOKED"), "\(offline.stdout)")
        try #require(
            try await govchain(
                "receipt", "--status", String(repeating: "cd", count: 32), "--out", cluster.directory + "/a.json",
                "--node", url
            ).status == 0)
        let absent = try await govchain(
            "verify", "--hash", String(repeating: "cd", count: 32), "--receipt", cluster.directory + "/a.json",
            "--genesis", genesis)
        #expect(absent.status == 2, "\(absent.stdout)")
        try #require(
            try await govchain("receipt", new, "--status", "--out", cluster.directory + "/n.json", "--node", url).status
                == 0)
        #expect(
            try await govchain("verify", new, "--receipt", cluster.directory + "/n.json", "--genesis", genesis).status
                == 0)

        // The lying proxy.
        let proxy = LyingProxy(upstream: url)
        let revokedHash = Hash32.sha256(Array("Meldebescheinigung Aachen 2026/3".utf8)).hex
        let validHash = Hash32.sha256(Array("Gewerbeanmeldung Aachen 2026/17".utf8)).hex
        let before = try await NodeClient(url).proof(.document, revokedHash, height: beforeRevocation)
        let other = try await NodeClient(url).proof(.document, validHash)
        proxy.material.withLock { $0 = (before, other) }
        let proxyPort = cluster.port + 60
        let running = try await proxy.start(port: proxyPort)
        defer { Task { await running.stop() } }
        let proxyURL = running.url
        #expect(
            try await govchain("verify", revoked, "--node", proxyURL).status == 3, "the honest proxy passes answers on")
        try await Task.sleep(for: .seconds(4))  // the pre-revocation block is now ≥ 4 s old
        for lie in Lie.allCases where lie != .honest {
            proxy.lie.withLock { $0 = lie }
            for pinned in [true, false] {
                let result =
                    pinned
                    ? try await govchain("verify", revoked, "--node", proxyURL, "--max-age", "3s")
                    : try await govchain("verify", revoked, "--node", proxyURL, "--max-age", "3s", "--genesis", genesis)
                let headline = result.stdout.split(separator: "\n").first ?? ""
                print("[proofs] lie \(lie) (\(pinned ? "pinned" : "--genesis")): exit \(result.status): \(headline)")
                #expect(!result.stdout.hasPrefix("VALID"), "lie \(lie) got VALID through: \(result.stdout)")
                #expect([4, 5].contains(result.status), "lie \(lie): exit \(result.status) \(result.stdout)")
                #expect(result.stdout.contains("INVALID") || result.stdout.contains("STALE"), "\(result.stdout)")
            }
            // Asking the liar and an honest node: the honest, newer proof wins.
            let both = try await govchain(
                "verify", revoked, "--node", "\(proxyURL),\(cluster.urls[2])", "--max-age", "3s")
            #expect(
                both.status == 3 && both.stdout.hasPrefix("REVOKED"), "lie \(lie) with an honest node: \(both.stdout)")
        }
        await running.stop()
    }
}
