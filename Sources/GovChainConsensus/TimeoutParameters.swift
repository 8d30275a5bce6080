import GovChainCore

/// Durations of the three timeouts. Each grows linearly with the round (paper §3: "timeouts
/// increase with the round number", which gives liveness after GST whatever the unknown delay).
package struct TimeoutParameters: Hashable, Sendable {
    package var proposeMs: UInt64
    package var prevoteMs: UInt64
    package var precommitMs: UInt64
    /// Added per round to each of the three.
    package var deltaMs: UInt64

    package init(proposeMs: UInt64, prevoteMs: UInt64, precommitMs: UInt64, deltaMs: UInt64) {
        self.proposeMs = proposeMs
        self.prevoteMs = prevoteMs
        self.precommitMs = precommitMs
        self.deltaMs = deltaMs
    }

    /// The chain's values from its genesis.
    package init(_ parameters: Genesis.ConsensusParameters) {
        self.init(
            proposeMs: parameters.timeoutProposeMs, prevoteMs: parameters.timeoutPrevoteMs,
            precommitMs: parameters.timeoutPrecommitMs, deltaMs: parameters.timeoutDeltaMs)
    }

    /// `base(step) + round × delta`, saturating instead of overflowing.
    package func durationMs(_ step: ConsensusStep, round: Round) -> UInt64 {
        let base =
            switch step {
            case .propose: proposeMs
            case .prevote: prevoteMs
            case .precommit: precommitMs
            }
        let (growth, overflowA) = deltaMs.multipliedReportingOverflow(by: UInt64(round.rawValue))
        let (total, overflowB) = base.addingReportingOverflow(growth)
        return overflowA || overflowB ? UInt64.max : total
    }
}
