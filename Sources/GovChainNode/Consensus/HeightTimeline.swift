import GovChainCore

/// When the height being decided reached each stage, in the driver's milliseconds: the first
/// time only (a later round's proposal or a second validity verdict does not move a stage).
/// Read when the height is stored, for the log; a height the node joined midway (started before
/// this shell ran, or reached by sync) has no timeline.
struct HeightTimeline {
    enum Stage { case proposal, validated, decided }

    private var height: Height?
    private var startMs: UInt64 = 0
    private var reached: [Stage: UInt64] = [:]
    /// How old the proposal was when it arrived, by its header time against this node's clock.
    var proposalAgeMs: UInt64?

    mutating func start(_ height: Height, nowMs: UInt64) {
        self.height = height
        startMs = nowMs
        reached = [:]
        proposalAgeMs = nil
    }

    mutating func note(_ stage: Stage, height: Height, nowMs: UInt64) {
        guard height == self.height, reached[stage] == nil else { return }
        reached[stage] = nowMs
    }

    /// Milliseconds from opening `height` to each stage and to `storedMs`, if it was timed.
    func times(
        of height: Height, storedMs: UInt64
    ) -> (stored: UInt64, proposal: UInt64?, validated: UInt64?, decided: UInt64?)? {
        guard height == self.height else { return nil }
        func since(_ ms: UInt64?) -> UInt64? { ms.map { $0 >= startMs ? $0 - startMs : 0 } }
        return (since(storedMs) ?? 0, since(reached[.proposal]), since(reached[.validated]), since(reached[.decided]))
    }
}
