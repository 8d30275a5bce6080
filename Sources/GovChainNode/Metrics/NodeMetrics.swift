import Foundation
import GovChainAPI
import GovChainCore
import Prometheus
import Synchronization

/// What an operator watches (`GET /metrics`, Prometheus text format; alert rules in
/// docs/OPERATIONS.md, "Metrics"). Events are counted where they happen (admission, commits,
/// sync, API requests); states (height, round, mempool, peers, caches) are read when scraped.
/// One registry per node; `govchaind` also bootstraps swift-metrics with it, so libraries'
/// metrics (Hummingbird's request metrics) land here too.
package final class NodeMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry

    /// Seconds buckets for heights (sub-second to a stalled minute) and synced writes.
    static let heightBuckets: [Duration] = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60].map {
        .milliseconds(Int($0 * 1000))
    }
    static let writeBuckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500].map { .milliseconds($0) }

    private let heightSeconds: DurationHistogram
    private let appendSeconds: DurationHistogram
    private let roundsPerHeight: ValueHistogram
    private let lastCommit = Mutex<ContinuousClock.Instant?>(nil)
    /// Totals read from elsewhere at scrape time, turned into counter increments.
    private let seen = Mutex<[String: UInt64]>([:])
    private let requestCounters = Mutex<[RequestLabels: Counter]>([:])

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        heightSeconds = registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "govchain_height", unitName: "seconds",
                helpText: "Time from one committed height to the next"),
            buckets: Self.heightBuckets)
        appendSeconds = registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "govchain_store_append", unitName: "seconds",
                helpText: "Storing a committed block: one synced LevelDB batch (dominated by fsync)"),
            buckets: Self.writeBuckets)
        roundsPerHeight = registry.makeValueHistogram(
            descriptor: .init(
                metricName: "govchain_height", unitName: "rounds", helpText: "Rounds a height took (1 = first round)"),
            buckets: [1, 2, 3, 5, 8, 13])
    }

    // MARK: Events

    /// Admission results: admitted, or refused by error code; `source` is `client` or `gossip`.
    func admission(_ results: [Result<Transaction, GovChainError>], source: String) {
        var admitted = 0
        var refused: [String: Int] = [:]
        for result in results {
            switch result {
            case .success: admitted += 1
            case .failure(let error): refused[error.code.rawValue, default: 0] += 1
            }
        }
        if admitted > 0 {
            counter(
                "govchain_transactions_admitted_total", [("source", source)], "Transactions admitted to the mempool"
            ).increment(by: Int64(admitted))
        }
        for (reason, count) in refused {
            counter(
                "govchain_transactions_refused_total", [("source", source), ("reason", reason)],
                "Transactions refused at admission, by error code (docs/PROTOCOL.md, Error codes)"
            ).increment(by: Int64(count))
        }
    }

    /// A block was stored: its round, its transactions, and how long the synced write took.
    func committed(_ block: Block, round: UInt32, append: Duration) {
        let now = ContinuousClock.now
        if let previous = lastCommit.withLock({ last in
            defer { last = now }; return last
        }) {
            heightSeconds.recordNanoseconds(Int64((now - previous) / .nanoseconds(1)))
        }
        appendSeconds.record(append)
        roundsPerHeight.record(Int64(round) + 1)
        counter("govchain_blocks_committed_total", [], "Blocks stored by this node").increment()
        counter("govchain_transactions_committed_total", [], "Transactions in stored blocks")
            .increment(by: Int64(block.transactions.count))
    }

    /// A block from block sync was applied (`ok`) or refused.
    func synced(ok: Bool) {
        counter("govchain_sync_blocks_total", [("result", ok ? "applied" : "refused")], "Blocks received by block sync")
            .increment()
    }

    /// One answered API request, by route pattern and status. The counter of each pair is made
    /// once: the registry's lookup by name and labels cost 2 % of a document read (issue 12).
    /// Routes are the route table's patterns and `unmatched`, so the pairs are bounded.
    func request(route: String, status: Int) {
        let labels = RequestLabels(route: route, status: status)
        let counter = requestCounters.withLock { counters in
            if let counter = counters[labels] { return counter }
            let counter = self.counter(
                "govchain_api_requests_total", [("route", route), ("status", String(status))],
                "HTTP API requests by route and status")
            counters[labels] = counter
            return counter
        }
        counter.increment()
    }

    private struct RequestLabels: Hashable {
        var route: String
        var status: Int
    }

    // MARK: Scrape

    /// What is read at scrape time.
    struct State {
        var height: UInt64
        var latestBlockTimeMs: UInt64?
        var consensus: StatusResponse.ConsensusStatus?
        var mempoolCount: Int
        var mempoolBytes: Int
        var peers: PeersResponse?
        var transactionCache: (hits: UInt64, misses: UInt64)
        var messageCache: (hits: UInt64, misses: UInt64)
    }

    static let steps = ["propose", "prevote", "precommit", "commit"]

    /// The Prometheus text exposition of everything, after reading `state`.
    func render(_ state: State) -> [UInt8] {
        gauge("govchain_height", "Latest committed block height").set(Int64(state.height))
        if let time = state.latestBlockTimeMs {
            gauge("govchain_latest_block_time_seconds", "Time of the latest committed block (Unix seconds)")
                .set(Double(time) / 1000)
        }
        if let consensus = state.consensus {
            gauge("govchain_consensus_height", "Height the consensus instance decides").set(Int64(consensus.height))
            gauge("govchain_consensus_round", "Round of the height being decided").set(Int64(consensus.round))
            for step in Self.steps {
                gauge("govchain_consensus_step", [("step", step)], "1 for the step the consensus instance is in").set(
                    Int64(consensus.step == step ? 1 : 0))
            }
        }
        gauge("govchain_mempool_transactions", "Transactions waiting for a block").set(Int64(state.mempoolCount))
        gauge("govchain_mempool_bytes", "Encoded bytes waiting for a block").set(Int64(state.mempoolBytes))
        for (kind, cache) in [("transaction", state.transactionCache), ("message", state.messageCache)] {
            total(
                "govchain_verify_cache_hits_total", [("cache", kind)], cache.hits, "Signature checks saved by the cache"
            )
            total("govchain_verify_cache_misses_total", [("cache", kind)], cache.misses, "Signatures not in the cache")
        }
        if let peers = state.peers {
            var connected = 0
            for peer in peers.peers {
                let labels = [("peer", peer.validator)]
                if peer.connected { connected += 1 }
                gauge("govchain_peer_connected", labels, "1 while the link is up")
                    .set(Int64(peer.connected ? 1 : 0))
                for (reason, count) in peer.refused {
                    total(
                        "govchain_peer_refused_total", labels + [("reason", reason)], count,
                        "Messages refused from a peer, by reason (docs/PROTOCOL.md)")
                }
                total("govchain_peer_disconnects_total", labels, peer.disconnects, "Links closed for misbehaviour")
                total(
                    "govchain_peer_inbound_dropped_total", labels, peer.inbound_dropped, "Payloads over the byte budget"
                )
                total("govchain_peer_frames_total", labels, peer.frames_in, "Frames received")
            }
            gauge("govchain_peers_connected", "Peer links up").set(Int64(connected))
            gauge("govchain_peers", "Peers this node links to").set(Int64(peers.peers.count))
            total(
                "govchain_peer_handshakes_rejected_total", [], peers.transport.handshakes_rejected,
                "Inbound TLS handshakes rejected (unknown key, bad certificate)")
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    private func gauge(_ name: String, _ help: String) -> Gauge { gauge(name, [], help) }

    private func gauge(_ name: String, _ labels: [(String, String)], _ help: String) -> Gauge {
        labels.isEmpty
            ? registry.makeGauge(descriptor: Self.descriptor(name, help))
            : registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    private func counter(_ name: String, _ labels: [(String, String)], _ help: String) -> Counter {
        labels.isEmpty
            ? registry.makeCounter(descriptor: Self.descriptor(name, help))
            : registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// The full metric name in `metricName` (no unit suffix added), with its help text.
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Advances a counter to `value`, a running total kept elsewhere (never backwards).
    private func total(_ name: String, _ labels: [(String, String)], _ value: UInt64, _ help: String) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let delta = seen.withLock { seen -> UInt64 in
            let last = seen[key] ?? 0
            seen[key] = max(last, value)
            return value > last ? value - last : 0
        }
        let total = counter(name, labels, help)
        if delta > 0 { total.increment(by: Int64(clamping: delta)) }
    }
}
