import Testing

@testable import GovChainNode

/// The per-client token buckets of the write routes: pure, on a clock the test passes in.
@Suite("Client rate limit")
struct ClientRateLimitTests {
    @Test("a client gets its burst at once, then the rate; others are not affected")
    func burstThenRate() {
        var limit = ClientRateLimit(ratePerSecond: 10, burst: 20)
        for _ in 0..<20 { #expect(limit.take(1, client: "a", nowMs: 1_000) == nil) }
        #expect(limit.take(1, client: "a", nowMs: 1_000) == 1, "empty: back in a tenth of a second, rounded up")
        #expect(limit.take(1, client: "b", nowMs: 1_000) == nil, "another address has its own bucket")
        #expect(limit.take(1, client: "a", nowMs: 1_099) != nil)
        #expect(limit.take(1, client: "a", nowMs: 1_100) == nil, "refilled at 10 per second")
        #expect(limit.take(5, client: "a", nowMs: 1_200) == 1, "a batch needs all its tokens")
        #expect(limit.take(5, client: "a", nowMs: 1_700) == nil)
        #expect(limit.take(10, client: "a", nowMs: 1_700) == 1)
        #expect(limit.take(15, client: "a", nowMs: 99_000) == nil, "refills up to the burst only")
        #expect(limit.take(6, client: "a", nowMs: 99_000) == 1)
    }

    @Test(
        "a batch larger than the burst is never granted; the wait is capped at 60 s; a clock going back grants nothing")
    func edges() {
        var limit = ClientRateLimit(ratePerSecond: 0.5, burst: 10)
        #expect(limit.take(11, client: "a", nowMs: 10_000) == 60)
        #expect(limit.take(10, client: "a", nowMs: 10_000) == nil)
        #expect(limit.take(10, client: "a", nowMs: 10_000) == 20)
        #expect(limit.take(1, client: "a", nowMs: 10_000) == 2)
        #expect(limit.take(1, client: "a", nowMs: 4_000) == 2, "a clock that went back refills nothing")
        var slow = ClientRateLimit(ratePerSecond: 0.001, burst: 1)
        #expect(slow.take(1, client: "a", nowMs: 0) == nil)
        #expect(slow.take(1, client: "a", nowMs: 0) == 60)
    }

    @Test("memory is bounded: past clientsMax, refilled buckets are forgotten first")
    func bounded() {
        var limit = ClientRateLimit(ratePerSecond: 1, burst: 5, clientsMax: 100)
        for i in 0..<1_000 { _ = limit.take(1, client: "c\(i)", nowMs: UInt64(i)) }
        #expect(limit.clientCount <= 100)
        // A client that just emptied its bucket is kept, so it cannot reset it by churning others.
        for _ in 0..<5 { _ = limit.take(1, client: "heavy", nowMs: 2_000) }
        for i in 0..<500 { _ = limit.take(1, client: "d\(i)", nowMs: 2_000) }
        #expect(limit.take(1, client: "heavy", nowMs: 2_000) != nil)
    }

    @Test("exempt addresses and unknown ones are never limited; others get 429 rate_limited with Retry-After")
    func limiter() throws {
        let limiter = ClientRateLimiter(ClientRateLimit(ratePerSecond: 1, burst: 1), exempt: ["127.0.0.1"])
        for _ in 0..<10 {
            try limiter.check(1, client: "127.0.0.1", nowMs: 0)
            try limiter.check(1, client: nil, nowMs: 0)
        }
        try limiter.check(1, client: "10.0.0.7", nowMs: 0)
        do {
            try limiter.check(1, client: "10.0.0.7", nowMs: 0)
            Issue.record("the second transaction in the same millisecond was allowed")
        } catch {
            #expect(error.code == .rateLimited && error.code.httpStatus == 429 && error.retryAfterSeconds == 1)
        }
    }
}
