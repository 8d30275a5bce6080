import GovChainCore

/// What an instance knows about one round of its current height.
struct RoundState: Sendable {
    /// Proposals from the round's proposer, in arrival order, distinct by (block, validRound).
    /// More than one means the proposer equivocated; every rule looks at all of them.
    var proposals: [Proposal] = []
    var prevotes = VoteTally()
    var precommits = VoteTally()
    /// Validators that sent anything in this round, for the f + 1 round skip (line 55).
    private(set) var senders: Set<ValidatorIndex> = []
    private(set) var senderPower: UInt64 = 0

    // "for the first time" flags of lines 34, 36 and 47.
    var prevoteTimeoutScheduled = false
    var polkaHandled = false
    var precommitTimeoutScheduled = false

    mutating func noteSender(_ validator: ValidatorIndex, power: UInt64) {
        if senders.insert(validator).inserted { senderPower += power }
    }

    func tally(_ type: VoteType) -> VoteTally {
        switch type {
        case .prevote: prevotes
        case .precommit: precommits
        }
    }

    mutating func add(_ vote: Vote, power: UInt64) -> VoteTally.Outcome {
        switch vote.type {
        case .prevote: prevotes.add(vote, power: power)
        case .precommit: precommits.add(vote, power: power)
        }
    }
}
