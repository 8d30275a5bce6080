import GovChainCore

/// The outcome of one simulated seed.
public struct SeedResult: Hashable, Sendable, CustomStringConvertible {
    public var seed: UInt64
    /// The lowest committed height among honest nodes at the end of the run.
    public var heightsDecided: Int
    public var messagesDelivered: Int
    public var virtualTimeMs: UInt64
    /// The first invariant broken, if any; the run stops there.
    public var violation: Violation?
    /// The byzantine behaviour the run used.
    public var behavior: ByzantineBehavior
    public var events: Int
    /// Highest round any honest node reached.
    public var maxRound: UInt32
    /// Evidence records found by honest nodes, and how many ended up in committed blocks.
    public var evidenceFound: Int
    public var evidenceCommitted: Int
    /// Messages honest instances dropped (bad signature, garbage, stale, …).
    public var messagesDropped: Int
    /// FNV-1a over the event trace: equal for equal runs.
    public var traceDigest: UInt64
    /// One line per event when `SimulationOptions.recordTrace` is set.
    public var trace: [String]

    public var description: String {
        let outcome = violation.map { "VIOLATION \($0)" } ?? "ok"
        return
            "seed \(seed): \(outcome); heights \(heightsDecided), messages \(messagesDelivered), virtual \(virtualTimeMs) ms, "
            + "behaviour \(behavior.rawValue), max round \(maxRound), evidence \(evidenceFound)/\(evidenceCommitted), dropped \(messagesDropped)"
    }
}
