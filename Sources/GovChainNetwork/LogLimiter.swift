import Synchronization

/// Lets a repeated warning through at most once per `intervalMs` per key, and says how many were
/// held back since the last one (style.md #14; issue: log flooding is a disk filler). The events
/// themselves are still counted where they happen; only the log lines are thinned.
package final class LogLimiter: Sendable {
    private struct Entry {
        var lastMs: UInt64
        var suppressed: UInt64
    }

    package let intervalMs: UInt64
    /// At most this many distinct keys are tracked; beyond it new keys are logged once per interval together.
    package static let keysMax = 1_024
    private let entries = Mutex<[String: Entry]>([:])
    private let start = ContinuousClock.now

    package init(intervalMs: UInt64) { self.intervalMs = intervalMs }

    /// Nil when the line should be dropped; otherwise how many were dropped before it.
    package func allow(_ key: String, nowMs: UInt64? = nil) -> UInt64? {
        let now = nowMs ?? UInt64((ContinuousClock.now - start).components.seconds * 1_000)
        return entries.withLock { entries in
            let key = entries.count >= Self.keysMax && entries[key] == nil ? "(other)" : key
            guard var entry = entries[key] else {
                entries[key] = Entry(lastMs: now, suppressed: 0)
                return 0
            }
            guard now >= entry.lastMs + intervalMs else {
                entry.suppressed += 1
                entries[key] = entry
                return nil
            }
            let suppressed = entry.suppressed
            entries[key] = Entry(lastMs: now, suppressed: 0)
            return suppressed
        }
    }
}
