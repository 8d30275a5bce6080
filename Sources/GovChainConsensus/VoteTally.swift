import GovChainCore

/// The votes of one type in one round, with power summed per value.
///
/// As in the paper, "2f + 1 ⟨PREVOTE, h, r, id(v)⟩" counts distinct validators that sent that
/// message: a validator that equivocated counts towards each value it signed (up to
/// `valuesPerValidatorMax`), but only once towards the total of all values (`⟨…, ∗⟩`). Counting
/// equivocators for every value they signed is what the paper's proofs assume, and it matters
/// for liveness: an honest node must be able to see a polka that releases another's lock even
/// if it heard the equivocator's other vote first. A second value from one validator is
/// reported as a conflict so the instance can turn the pair into evidence.
struct VoteTally: Sendable {
    /// An equivocator cannot make us store more than this many votes of one type and round.
    static let valuesPerValidatorMax = 3

    enum Outcome {
        case added
        case duplicate
        case conflict(existing: Vote)
    }

    /// Per validator, its votes for distinct values, first received first.
    private(set) var votes: [ValidatorIndex: [Vote]] = [:]
    private var powerByValue: [Hash32?: UInt64] = [:]
    /// Power of the validators that voted at all, each counted once (the paper's `⟨…, ∗⟩`).
    private(set) var totalPower: UInt64 = 0

    func contains(from validator: ValidatorIndex, value: Hash32?) -> Bool {
        votes[validator]?.contains { $0.block == value } ?? false
    }

    mutating func add(_ vote: Vote, power: UInt64) -> Outcome {
        let existing = votes[vote.validator] ?? []
        if existing.contains(where: { $0.block == vote.block }) { return .duplicate }
        guard existing.count < Self.valuesPerValidatorMax else { return .conflict(existing: existing[0]) }
        votes[vote.validator, default: []].append(vote)
        powerByValue[vote.block, default: 0] += power
        if existing.isEmpty {
            totalPower += power
            return .added
        }
        return .conflict(existing: existing[0])
    }

    func power(for value: Hash32?) -> UInt64 { powerByValue[value] ?? 0 }

    /// One vote per validator for `value`, e.g. the precommits that make a commit.
    func votes(for value: Hash32?) -> [Vote] {
        votes.values.compactMap { list in list.first { $0.block == value } }.sorted { $0.validator < $1.validator }
    }

    /// Every vote stored, ordered by validator then arrival (for gossip).
    var allVotes: [Vote] {
        votes.keys.sorted().flatMap { votes[$0]! }
    }
}
