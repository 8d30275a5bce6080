import GovChainCore

/// The votes of one type in one round: at most one per validator, with power summed per value.
///
/// A second, different vote from the same validator does not count; it is reported as a
/// conflict so the instance can turn the pair into evidence.
struct VoteTally: Sendable {
    enum Outcome {
        case added
        case duplicate
        case conflict(existing: Vote)
    }

    private(set) var votes: [ValidatorIndex: Vote] = [:]
    private var powerByValue: [Hash32?: UInt64] = [:]
    /// Power of all votes, whatever their value (the paper's `⟨…, ∗⟩`).
    private(set) var totalPower: UInt64 = 0

    func existing(from validator: ValidatorIndex) -> Vote? { votes[validator] }

    mutating func add(_ vote: Vote, power: UInt64) -> Outcome {
        if let existing = votes[vote.validator] {
            return existing.block == vote.block ? .duplicate : .conflict(existing: existing)
        }
        votes[vote.validator] = vote
        powerByValue[vote.block, default: 0] += power
        totalPower += power
        return .added
    }

    func power(for value: Hash32?) -> UInt64 { powerByValue[value] ?? 0 }

    /// The votes for `value`, e.g. the precommits that make a commit.
    func votes(for value: Hash32?) -> [Vote] {
        votes.values.filter { $0.block == value }.sorted { $0.validator < $1.validator }
    }
}
