import GovChainCore

/// The upon rules of Algorithm 1. The paper executes each rule atomically when its condition
/// becomes true; here all conditions are re-evaluated after every input until none fires,
/// which is the same thing for a process that handles one input at a time.
extension ConsensusInstance {
    mutating func evaluateRules() {
        var fired = true
        while fired && decision == nil {
            fired =
                ruleDecide()
                || ruleSkipRound()
                || ruleProposalPrevote()
                || rulePrevoteTimeout()
                || rulePolka()
                || ruleNilPolka()
                || rulePrecommitTimeout()
        }
    }

    // MARK: - Lines 11-21

    /// StartRound(round), lines 11-21. Deviation: the proposer schedules timeoutPropose too.
    /// It is a no-op when the proposal goes out at once (the step has moved on), and it keeps
    /// the proposer live when it cannot propose: the shell has no block yet, or the signing
    /// guard refuses because it proposed something else in this round before a crash.
    mutating func startRound(_ newRound: Round) {
        round = newRound  // line 12
        step = .propose  // line 13
        awaitingProposalValue = false
        if proposer(height: height, round: round) == index {  // line 14
            if let valid, valid.round < round {  // line 15
                signProposal(valid.block, validRound: valid.round)  // lines 16, 19
            } else if valid != nil {
                // Only after a restart into the round of our own valid value: we cannot know
                // what we proposed then, so we do not propose again (the guard would refuse).
            } else {
                awaitingProposalValue = true  // line 18: getValue()
                outbox.append(.requestProposal(height: height, round: round, evidence: pendingEvidence))
            }
        }
        schedule(.propose)  // line 21
    }

    mutating func schedule(_ timeoutStep: ConsensusStep) {
        let timeout = Timeout(height: height, round: round, step: timeoutStep)
        outbox.append(
            .scheduleTimeout(timeout, durationMs: configuration.timeouts.durationMs(timeoutStep, round: round)))
    }

    // MARK: - Lines 22-33

    /// Lines 22-27 (no valid round) and 28-33 (a proposal re-proposing a value with a polka at
    /// `vr`). Waits while the shell has not yet said whether the block is valid.
    mutating func ruleProposalPrevote() -> Bool {
        guard step == .propose, let state = rounds[round] else { return false }
        for proposal in state.proposals {
            guard let isValid = validity[proposal.blockHash] else { continue }
            let acceptable: Bool
            if let validRound = proposal.validRound {
                guard validRound < round,  // line 28
                    (rounds[validRound]?.prevotes.power(for: proposal.blockHash) ?? 0) >= configuration.quorumPower
                else { continue }
                // Line 29.
                acceptable =
                    isValid && (locked.map { $0.round <= validRound || $0.blockHash == proposal.blockHash } ?? true)
            } else {
                acceptable = isValid && (locked.map { $0.blockHash == proposal.blockHash } ?? true)  // line 23
            }
            signVote(.prevote, value: acceptable ? proposal.blockHash : nil)  // lines 24/26, 30/32
            step = .prevote  // lines 27, 33
            return true
        }
        return false
    }

    // MARK: - Lines 34-48

    /// Lines 34-35: 2f + 1 prevotes of any value in this round, the first time.
    mutating func rulePrevoteTimeout() -> Bool {
        guard step == .prevote, let state = rounds[round], !state.prevoteTimeoutScheduled,
            state.prevotes.totalPower >= configuration.quorumPower
        else { return false }
        rounds[round]!.prevoteTimeoutScheduled = true
        schedule(.prevote)
        return true
    }

    /// Lines 36-43: a proposal with a polka in this round, the first time: lock and precommit
    /// (only while in the prevote step), and remember it as the valid value in any case.
    mutating func rulePolka() -> Bool {
        guard step >= .prevote, let state = rounds[round], !state.polkaHandled else { return false }
        for proposal in state.proposals
        where validity[proposal.blockHash] == true
            && state.prevotes.power(for: proposal.blockHash) >= configuration.quorumPower
        {
            rounds[round]!.polkaHandled = true
            let value = ValueAtRound(round: round, block: proposal.block)
            if step == .prevote {  // line 37
                locked = value  // lines 38-39
                valid = value  // lines 42-43 (before signing, so the persisted state has both)
                signVote(.precommit, value: proposal.blockHash)  // line 40
                step = .precommit  // line 41
            }
            valid = value  // lines 42-43
            return true
        }
        return false
    }

    /// Lines 44-46: 2f + 1 nil prevotes in this round while in the prevote step.
    mutating func ruleNilPolka() -> Bool {
        guard step == .prevote, let state = rounds[round], state.prevotes.power(for: nil) >= configuration.quorumPower
        else { return false }
        signVote(.precommit, value: nil)
        step = .precommit
        return true
    }

    /// Lines 47-48: 2f + 1 precommits of any value in this round, the first time.
    mutating func rulePrecommitTimeout() -> Bool {
        guard let state = rounds[round], !state.precommitTimeoutScheduled,
            state.precommits.totalPower >= configuration.quorumPower
        else { return false }
        rounds[round]!.precommitTimeoutScheduled = true
        schedule(.precommit)
        return true
    }

    // MARK: - Lines 49-56

    /// Lines 49-51: a proposal of any round with 2f + 1 precommits for it, and valid. The commit
    /// is made of exactly those precommits. Lines 52-54 wait for `.committed`.
    mutating func ruleDecide() -> Bool {
        guard decision == nil else { return false }
        for decidingRound in rounds.keys.sorted() {
            let state = rounds[decidingRound]!
            for proposal in state.proposals
            where state.precommits.power(for: proposal.blockHash) >= configuration.quorumPower
                && validity[proposal.blockHash] == true
            {
                let commit = Commit(precommits: state.precommits.votes(for: proposal.blockHash))
                decision = Decision(block: proposal.block, commit: commit)
                outbox.append(.decide(proposal.block, commit))
                return true
            }
        }
        return false
    }

    /// Lines 55-56: messages from f + 1 of the power in a higher round: jump to the highest such.
    mutating func ruleSkipRound() -> Bool {
        let current = round
        let skipPower = configuration.skipPower
        var target: Round? = nil
        for (candidate, state) in rounds where candidate > current && state.senderPower >= skipPower {
            target = max(target ?? candidate, candidate)
        }
        guard let target else { return false }
        startRound(target)
        return true
    }

    // MARK: - Lines 57-67

    mutating func onTimeout(_ timeout: Timeout) {
        guard started, decision == nil, timeout.height == height, timeout.round == round else { return }
        switch timeout.step {
        case .propose where step == .propose:  // lines 57-60
            signVote(.prevote, value: nil)
            step = .prevote
        case .prevote where step == .prevote:  // lines 61-64
            signVote(.precommit, value: nil)
            step = .precommit
        case .precommit:  // lines 65-67
            startRound(Round(round.rawValue + 1))
        default:
            break
        }
    }
}
