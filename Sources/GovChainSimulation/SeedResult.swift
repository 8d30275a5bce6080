import GovChainCore

/// The outcome of one simulated seed.
package struct SeedResult: Hashable, Sendable, CustomStringConvertible {
    package var seed: UInt64
    /// The lowest committed height among honest nodes at the end of the run.
    package var heightsDecided: Int
    package var messagesDelivered: Int
    package var virtualTimeMs: UInt64
    /// The first invariant broken, if any; the run stops there.
    package var violation: Violation?
    /// The byzantine behaviour the run used.
    package var behavior: ByzantineBehavior
    package var events: Int
    /// Highest round any honest node reached.
    package var maxRound: UInt32
    /// Evidence records found by honest nodes, and how many ended up in committed blocks.
    package var evidenceFound: Int
    package var evidenceCommitted: Int
    /// Messages honest instances dropped (bad signature, garbage, stale, …).
    package var messagesDropped: Int
    /// FNV-1a over the event trace: equal for equal runs.
    package var traceDigest: UInt64
    /// One line per event when `SimulationOptions.recordTrace` is set.
    package var trace: [String]

    package var description: String {
        let outcome = violation.map { "VIOLATION \($0)" } ?? "ok"
        return
            "seed \(seed): \(outcome); heights \(heightsDecided), messages \(messagesDelivered), virtual \(virtualTimeMs) ms, "
            + "behaviour \(behavior.rawValue), max round \(maxRound), evidence \(evidenceFound)/\(evidenceCommitted), dropped \(messagesDropped)"
    }
}
