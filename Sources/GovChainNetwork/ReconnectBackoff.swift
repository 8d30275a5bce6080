/// Exponential backoff with jitter for redialling a peer.
///
/// Attempt `n` (from 0) waits a uniformly random delay in `[d/2, d]` with
/// `d = min(delayMsMax, baseDelayMs · 2^n)` ("equal jitter", so validators that lost a peer at
/// the same moment do not redial in lockstep). The generator is seeded so tests can reproduce it.
package struct ReconnectBackoff: Sendable {
    package let baseDelayMs: UInt64
    package let delayMsMax: UInt64
    package private(set) var attempt: UInt32 = 0
    private var generator: SplitMix64

    package init(baseDelayMs: UInt64, delayMsMax: UInt64, seed: UInt64) {
        precondition(baseDelayMs >= 1 && delayMsMax >= baseDelayMs, "backoff \(baseDelayMs)...\(delayMsMax) ms")
        self.baseDelayMs = baseDelayMs
        self.delayMsMax = delayMsMax
        generator = SplitMix64(seed: seed)
    }

    /// The delay before the next attempt, in milliseconds; advances the attempt count.
    package mutating func nextDelayMs() -> UInt64 {
        let shift = min(attempt, 32)
        let (scaled, overflow) = baseDelayMs.multipliedReportingOverflow(by: 1 << UInt64(shift))
        let ceiling = overflow ? delayMsMax : min(delayMsMax, scaled)
        attempt &+= 1
        let floor = ceiling / 2
        return floor + generator.next() % (ceiling - floor + 1)
    }

    /// A link was established: the next failure starts again from `baseDelayMs`.
    package mutating func reset() { attempt = 0 }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and good enough for jitter.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
