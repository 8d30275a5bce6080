import Foundation
import GovChainAPI
import GovChainCore
import Testing

@testable import GovChainCLI

/// Issue 13, "Metrics": `GET /metrics` of a real validator among four, after real traffic, shows
/// what an operator alerts on (docs/OPERATIONS.md, "Metrics"), with values that match the ledger.
@Suite(.serialized) struct MetricsEndToEndTests {
    /// `name{labels} value` lines of a Prometheus text exposition, by `name{labels}`.
    static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            out[String(line[..<space])] = value
        }
        return out
    }

    @Test func metricsShowHeightAdmissionPeersAndRequests() async throws {
        let cluster = try await ClusterEndToEndTests.Cluster(name: "metrics")
        defer { cluster.stopAll() }
        try await cluster.startAll()
        var last: SubmitResponse?
        for i in 0..<5 { last = try await cluster.anchor("metrics \(i)", via: 0) }
        try await cluster.waitForHeight(1, on: 0)
        // A duplicate is refused, and counted by its reason.
        let duplicate = try? await cluster.anchor("metrics 0", via: 0)
        #expect(duplicate == nil)
        _ = try await HTTPClient.request(.GET, cluster.urls[0] + "/v1/status")
        _ = try await HTTPClient.request(.GET, cluster.urls[0] + "/v1/documents/\(String(repeating: "ab", count: 32))")
        for _ in 0..<100 {
            let status = try await NodeClient(cluster.urls[0]).status()
            if let last, let height = last.height, status.latest_height >= height { break }
            try await Task.sleep(for: .milliseconds(100))
        }

        let reply = try await HTTPClient.request(.GET, cluster.urls[0] + "/metrics")
        #expect(reply.status == 200)
        let text = String(decoding: reply.body, as: UTF8.self)
        let values = Self.samples(text)
        let height = try await NodeClient(cluster.urls[0]).status().latest_height
        #expect((values["govchain_height"] ?? 0) >= Double(height) - 1, "\(text.prefix(2000))")
        #expect(values["govchain_transactions_admitted_total{source=\"client\"}"] == 5)
        #expect(
            values.contains { $0.key.hasPrefix("govchain_transactions_refused_total{") && $0.value >= 1 }, "\(text)")
        #expect((values["govchain_transactions_committed_total"] ?? 0) >= 5)
        #expect((values["govchain_blocks_committed_total"] ?? 0) >= 1)
        #expect(values["govchain_peers_connected"] == 3)
        #expect(values["govchain_peer_connected{peer=\"Gelsenkirchen\"}"] == 1)
        #expect(values.keys.contains { $0.hasPrefix("govchain_consensus_step{") })
        #expect(values["govchain_mempool_transactions"] != nil && values["govchain_mempool_bytes"] != nil)
        #expect((values["govchain_store_append_seconds_count"] ?? 0) >= 1)
        #expect(values.keys.contains { $0.hasPrefix("govchain_height_seconds_bucket{") })
        #expect(values.keys.contains { $0.hasPrefix("govchain_height_rounds_bucket{") })
        #expect((values["govchain_verify_cache_hits_total{cache=\"transaction\"}"] ?? 0) >= 1)
        #expect((values["govchain_api_requests_total{route=\"/v1/status\",status=\"200\"}"] ?? 0) >= 1, "\(text)")
        #expect(
            values.keys.contains {
                $0.hasPrefix("govchain_api_requests_total{route=\"/v1/documents/") && $0.hasSuffix("status=\"404\"}")
            }, "\(text)")
        #expect(text.contains("# TYPE govchain_height_seconds histogram"))
    }
}
