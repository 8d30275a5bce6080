import GovChainCore
import Synchronization

/// Per-client token buckets for the write routes: each client address may submit `ratePerSecond`
/// transactions per second on average, `burst` at once; a batch costs one token per transaction.
/// Past that the client gets 429 `rate_limited` with `Retry-After`, before any signature is
/// checked, so one anonymous client cannot take the admission capacity of everyone else. Pure
/// (the clock is passed in); bounded: at most `clientsMax` buckets, full ones forgotten first.
struct ClientRateLimit: Sendable {
    let ratePerSecond: Double
    let burst: Double
    let clientsMax: Int

    private struct Bucket {
        var tokens: Double
        var updatedMs: UInt64
    }

    private var buckets: [String: Bucket] = [:]

    init(ratePerSecond: Double, burst: Double, clientsMax: Int = 10_000) {
        precondition(ratePerSecond > 0 && burst >= 1 && clientsMax >= 1, "rate limit parameters")
        (self.ratePerSecond, self.burst, self.clientsMax) = (ratePerSecond, burst, clientsMax)
    }

    /// Takes `cost` tokens for `client` at `nowMs`; nil when granted, else the seconds until the
    /// bucket holds them again (at least 1; a cost above the burst can never be granted: 60).
    mutating func take(_ cost: Int, client: String, nowMs: UInt64) -> Int? {
        var bucket = refilled(buckets[client] ?? Bucket(tokens: burst, updatedMs: nowMs), nowMs: nowMs)
        defer { store(bucket, for: client, nowMs: nowMs) }
        let need = Double(cost)
        guard bucket.tokens >= need else {
            guard need <= burst else { return 60 }
            return max(1, min(60, Int(((need - bucket.tokens) / ratePerSecond).rounded(.up))))
        }
        bucket.tokens -= need
        return nil
    }

    private func refilled(_ bucket: Bucket, nowMs: UInt64) -> Bucket {
        let elapsedMs = nowMs > bucket.updatedMs ? nowMs - bucket.updatedMs : 0
        return Bucket(tokens: min(burst, bucket.tokens + Double(elapsedMs) / 1000 * ratePerSecond), updatedMs: nowMs)
    }

    private mutating func store(_ bucket: Bucket, for client: String, nowMs: UInt64) {
        buckets[client] = bucket
        guard buckets.count > clientsMax else { return }
        // Forget the fullest buckets (refilled ones lose nothing) down to 90 % of the cap in one
        // pass, so a stream of new addresses costs one sort per tenth of the cap, not one each.
        let keep = clientsMax * 9 / 10
        let byFullness = buckets.sorted {
            refilled($0.value, nowMs: nowMs).tokens < refilled($1.value, nowMs: nowMs).tokens
        }
        for (key, _) in byFullness.dropFirst(keep) where key != client { buckets.removeValue(forKey: key) }
    }

    var clientCount: Int { buckets.count }
}

/// The shared limiter of a node's API, and the addresses it never limits.
final class ClientRateLimiter: Sendable {
    private let limit: Mutex<ClientRateLimit>
    let exempt: Set<String>

    init(_ limit: ClientRateLimit, exempt: Set<String>) {
        self.limit = Mutex(limit)
        self.exempt = exempt
    }

    /// Throws 429 `rate_limited` when `client` may not submit `cost` transactions now.
    func check(_ cost: Int, client: String?, nowMs: UInt64) throws(GovChainError) {
        guard let client, !exempt.contains(client) else { return }
        if let seconds = limit.withLock({ $0.take(cost, client: client, nowMs: nowMs) }) {
            throw GovChainError(
                code: .rateLimited,
                message:
                    "This address submits faster than the node allows one client; try again in \(seconds) s (node.json api_client_tx_per_second).",
                retryAfterSeconds: seconds)
        }
    }
}
