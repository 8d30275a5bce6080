import GovChainCore

/// A timeout of Algorithm 1 (lines 21, 35, 48): which (height, round, step) it guards.
///
/// The shell schedules it when asked (`ConsensusEffect.scheduleTimeout`) and feeds it back as
/// `ConsensusInput.timeout` when it expires; a stale timeout is harmless (lines 58, 62, 66 check
/// height and round).
package struct Timeout: Hashable, Sendable, CustomStringConvertible {
    package var height: Height
    package var round: Round
    package var step: ConsensusStep

    package init(height: Height, round: Round, step: ConsensusStep) {
        self.height = height
        self.round = round
        self.step = step
    }

    package var description: String { "timeout(\(height)/\(round)/\(step))" }
}
