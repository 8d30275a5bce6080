import GovChainCore

/// When a node stops taking client transactions: past capacity, refuse at once (503 `node_busy`
/// with `Retry-After`) rather than queue work whose commit would take minutes (issue 12:
/// overload must plateau). Pure: times come in as milliseconds, nothing is read from a clock.
///
/// Two signals, either of which refuses:
/// - **measured commit rate.** A transaction joining `waiting` others is expected to wait
///   `waiting ÷ rate`. The rate is measured only over intervals that began with a backlog (so it
///   measures capacity, not demand: an idle network commits little because little arrives), as
///   an exponentially weighted average over blocks.
/// - **a stalled queue.** Transactions have waited longer than the bound with no block committed
///   meanwhile (consensus stalled, or no rate measured yet). Not the oldest transaction's age on
///   its own: under load that lags the queue and refusing on it emptied the mempool in waves.
///
/// Below `floorCount` waiting nothing is refused, and before the first measurement only the
/// mempool's count and byte limits apply. Peers' gossip is not subject to it (a transaction a
/// validator admitted must still reach the others).
struct AdmissionControl: Sendable, Equatable {
    /// Longest a newly admitted transaction should expect to wait for its block.
    let waitMsMax: UInt64
    /// Never refuse while fewer wait.
    let floorCount: Int
    /// Transactions committed per second while a backlog waited; nil until first measured.
    private(set) var rate: Double?
    private var lastCommitMs: UInt64?
    private var backlogAtLastCommit = false
    /// Weight of the newest interval in `rate`.
    static let smoothing = 0.3

    init(waitMsMax: UInt64, floorCount: Int = 100) {
        self.waitMsMax = waitMsMax
        self.floorCount = floorCount
    }

    enum Decision: Equatable {
        case admit
        /// `expectedWaitMs`: what a transaction admitted now would wait (or the queue has stalled).
        case refuse(expectedWaitMs: UInt64, retryAfterSeconds: Int)
    }

    /// A block with `committed` transactions was stored at `nowMs`; `waitingAfter` still wait.
    mutating func noteCommitted(_ committed: Int, waitingAfter: Int, nowMs: UInt64) {
        if backlogAtLastCommit, let last = lastCommitMs, nowMs > last {
            let sample = Double(committed) * 1000 / Double(nowMs - last)
            rate = rate.map { $0 + Self.smoothing * (sample - $0) } ?? sample
        }
        lastCommitMs = nowMs
        backlogAtLastCommit = waitingAfter > 0
    }

    /// Whether one more client transaction may join `waiting` others, the oldest admitted at
    /// `oldestAdmittedMs`.
    func decide(waiting: Int, oldestAdmittedMs: UInt64?, nowMs: UInt64) -> Decision {
        guard waiting >= floorCount else { return .admit }
        // Waiting without progress: since the later of the last commit and the oldest admission.
        let since = max(lastCommitMs ?? 0, oldestAdmittedMs ?? nowMs)
        let stalled = nowMs > since ? nowMs - since : 0
        var expected: UInt64 = 0
        if let rate, rate > 0 {
            let ms = Double(waiting) * 1000 / rate
            expected = ms >= Double(UInt64.max / 2) ? UInt64.max / 2 : UInt64(ms)
        }
        let worst = max(expected, stalled)
        guard worst > waitMsMax else { return .admit }
        // Come back when about half the bound's worth of the backlog is left.
        let excessMs = worst - waitMsMax / 2
        let seconds = Int(min(60, max(1, (excessMs + 999) / 1000)))
        return .refuse(expectedWaitMs: worst, retryAfterSeconds: seconds)
    }

    /// `decide` as the error a client is answered with (503 `node_busy`), nil when admitted.
    func refusal(waiting: Int, oldestAdmittedMs: UInt64?, nowMs: UInt64) -> GovChainError? {
        guard
            case .refuse(let waitMs, let retry) = decide(
                waiting: waiting, oldestAdmittedMs: oldestAdmittedMs, nowMs: nowMs)
        else { return nil }
        func seconds(_ ms: UInt64) -> String { ms >= 10_000 ? "\(ms / 1000) s" : "\(Double(ms / 100) / 10) s" }
        return GovChainError(
            code: .nodeBusy,
            message:
                "The node is committing at capacity: a transaction submitted now would wait about \(seconds(waitMs)) for its block (this node refuses past \(seconds(waitMsMax))). Try again in \(retry) s.",
            retryAfterSeconds: retry)
    }
}
