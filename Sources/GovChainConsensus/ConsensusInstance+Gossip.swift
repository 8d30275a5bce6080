import GovChainCore

extension ConsensusInstance {
    /// The messages of the current height worth sending again while the height makes no
    /// progress: proposals and votes of the current and previous round, and of the rounds that
    /// locks, valid values and current proposals refer to. The paper assumes gossip: whatever a
    /// correct process receives, every correct process eventually receives. Re-sending what we
    /// hold (not only what we signed) is how the shell provides it; receivers drop duplicates
    /// before checking signatures.
    package func gossipMessages() -> [ConsensusMessage] {
        var wanted: Set<Round> = [round]
        if round.rawValue > 0 { wanted.insert(Round(round.rawValue - 1)) }
        if let locked { wanted.insert(locked.round) }
        if let valid { wanted.insert(valid.round) }
        for proposal in rounds[round]?.proposals ?? [] {
            if let validRound = proposal.validRound { wanted.insert(validRound) }
        }
        return wanted.sorted().flatMap { gossipRound in
            guard let state = rounds[gossipRound] else { return [ConsensusMessage]() }
            return state.proposals.map(ConsensusMessage.proposal)
                + state.prevotes.allVotes.map(ConsensusMessage.vote)
                + state.precommits.allVotes.map(ConsensusMessage.vote)
        }
    }
}
