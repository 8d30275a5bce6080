import GovChainCore

/// Durations of the three timeouts. Each grows linearly with the round (paper §3: "timeouts
/// increase with the round number", which gives liveness after GST whatever the unknown delay).
public struct TimeoutParameters: Hashable, Sendable {
    public var proposeMs: UInt64
    public var prevoteMs: UInt64
    public var precommitMs: UInt64
    /// Added per round to each of the three.
    public var deltaMs: UInt64

    public init(proposeMs: UInt64, prevoteMs: UInt64, precommitMs: UInt64, deltaMs: UInt64) {
        self.proposeMs = proposeMs
        self.prevoteMs = prevoteMs
        self.precommitMs = precommitMs
        self.deltaMs = deltaMs
    }

    /// The chain's values from its genesis.
    public init(_ parameters: Genesis.ConsensusParameters) {
        self.init(
            proposeMs: parameters.timeoutProposeMs, prevoteMs: parameters.timeoutPrevoteMs,
            precommitMs: parameters.timeoutPrecommitMs, deltaMs: parameters.timeoutDeltaMs)
    }

    /// `base(step) + round × delta`, saturating instead of overflowing.
    public func durationMs(_ step: ConsensusStep, round: Round) -> UInt64 {
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
