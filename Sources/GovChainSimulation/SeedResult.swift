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
    /// With `SimulationOptions.setChanges`: what changed and what the agreed chain shows of it.
    package var membership: MembershipOutcome?

    /// The set changes of a run as the agreed chain (the longest honest one) shows them.
    package struct MembershipOutcome: Hashable, Sendable {
        /// E.g. "add(v4) from height 5, remove(v2) from height 8, rotate(v0) from height 10".
        package var changes: String
        /// Commits from its join on that carry the joiner's precommit.
        package var joinerSigned: Int
        /// Commits from its rotation on that carry the rotated validator's precommit (checked
        /// against its new key, as every commit is checked against its height's set).
        package var rotatedSigned: Int
        /// Commits from its removal on that carry the removed validator's precommit (must be 0).
        package var removedSigned: Int
        /// Headers whose `validatorsHash` is not the planned set's (must be 0).
        package var wrongSetHeaders: Int
        /// Whether the removed validator's node stopped.
        package var removedRetired: Bool
    }

    package var description: String {
        let outcome = violation.map { "VIOLATION \($0)" } ?? "ok"
        return
            "seed \(seed): \(outcome); heights \(heightsDecided), messages \(messagesDelivered), virtual \(virtualTimeMs) ms, "
            + "behaviour \(behavior.rawValue), max round \(maxRound), evidence \(evidenceFound)/\(evidenceCommitted), dropped \(messagesDropped)"
            + (membership.map {
                "; set changes: \($0.changes); joiner signed \($0.joinerSigned), rotated signed \($0.rotatedSigned), removed signed \($0.removedSigned)"
            } ?? "")
    }
}
