import GovChainCore

extension ConsensusInstance {
    // MARK: - Receiving

    /// Stateful admission of a message: height and round window, signer, signature, duplicates.
    mutating func onMessage(_ message: ConsensusMessage) {
        if message.height < height {
            stats.stale += 1
            return
        }
        if message.height > height {
            bufferFuture(message)
            return
        }
        guard UInt64(message.round.rawValue) <= UInt64(round.rawValue) + UInt64(configuration.roundsAheadMax) else {
            stats.tooFarAhead += 1
            return
        }
        switch message {
        case .proposal(let proposal): receiveProposal(proposal)
        case .vote(let vote): receiveVote(vote)
        }
    }

    /// Next-height messages wait for the instance, but only authenticated ones, and each signer
    /// only within its byte budget: what an unverified or greedy peer sends costs it, not us.
    private mutating func bufferFuture(_ message: ConsensusMessage) {
        guard message.height == height.next, futureMessages.count < configuration.bufferedMessagesMax else {
            stats.tooFarAhead += 1
            return
        }
        guard
            isAuthentic(
                signer: message.signer, signature: message.signature,
                bytes: message.signBytes(chainId: configuration.chainId))
        else {
            return
        }
        guard !futureMessages.contains(message) else {
            stats.duplicates += 1
            return
        }
        let bytes = message.approximateBytes
        let used = futureBytes[message.signer, default: 0]
        let count = futureMessages.lazy.filter { $0.signer == message.signer }.count
        // Each signer gets its share of the message count too, so nobody can fill the buffer alone.
        guard used + bytes <= configuration.futureBytesPerSignerMax,
            count < configuration.bufferedMessagesMax / max(configuration.validators.count, 1)
        else {
            stats.overBudget += 1
            return
        }
        futureBytes[message.signer] = used + bytes
        stats.buffered += 1
        futureMessages.append(message)
    }

    private mutating func receiveProposal(_ proposal: Proposal) {
        guard proposal.proposer == proposer(height: height, round: proposal.round) else {
            stats.wrongProposer += 1
            return
        }
        let known = rounds[proposal.round]?.proposals ?? []
        if known.contains(where: { $0.blockHash == proposal.blockHash && $0.validRound == proposal.validRound }) {
            stats.duplicates += 1
            return
        }
        guard known.count < configuration.proposalsPerRoundMax else {
            stats.tooManyProposals += 1
            return
        }
        // A fresh proposal's block names its own proposer; a re-proposed valid value (validRound
        // set) keeps the proposer of the round it was first proposed in, so it must name the
        // proposer of some round before this one.
        let named = proposal.block.header.proposer
        let proposerMatches =
            proposal.validRound == nil
            ? named == proposal.proposer
            : (0...min(UInt64(proposal.round.rawValue), UInt64(configuration.schedule.cycle.count))).contains {
                proposer(height: height, round: Round(UInt32($0))) == named
            }
        guard proposerMatches else {
            stats.wrongBlockProposer += 1
            return
        }
        // The signature and every verdict are keyed by the header hash, so the body must match
        // the header before anything counts: otherwise a relay could swap the transactions,
        // last commit or evidence under a header already judged valid.
        guard (try? proposal.block.validateBasic()) != nil else {
            stats.malformed += 1
            return
        }
        guard
            isAuthentic(
                signer: proposal.proposer, signature: proposal.signature,
                bytes: proposal.signBytes(chainId: configuration.chainId))
        else {
            return
        }
        if proposal.round > round {
            let bytes = ConsensusMessage.proposal(proposal).approximateBytes
            let used = futureProposalBytes[proposal.proposer, default: 0]
            guard used + bytes <= configuration.futureProposalBytesPerProposerMax else {
                stats.overBudget += 1
                return
            }
            futureProposalBytes[proposal.proposer] = used + bytes
        }
        if !known.isEmpty, !known.contains(where: { $0.blockHash == proposal.blockHash }) {
            // Two signed proposals of one proposer for one round: kept as a counter and an effect
            // (there is no on-chain proposal evidence yet; docs/CONSENSUS.md, "Threats").
            stats.conflictingProposals += 1
            outbox.append(.conflictingProposals(proposer: proposal.proposer, height: height, round: proposal.round))
        }
        recordProposal(proposal)
    }

    private mutating func receiveVote(_ vote: Vote) {
        guard configuration.validators[vote.validator] != nil else {
            stats.unknownValidator += 1
            return
        }
        if rounds[vote.round]?.tally(vote.type).contains(from: vote.validator, value: vote.block) == true {
            // Cheap path for re-sent votes: no signature check for something already counted.
            stats.duplicates += 1
            return
        }
        guard
            isAuthentic(
                signer: vote.validator, signature: vote.signature, bytes: vote.signBytes(chainId: configuration.chainId)
            )
        else {
            return
        }
        recordVote(vote)
    }

    private mutating func isAuthentic(signer: ValidatorIndex, signature: Signature, bytes: [UInt8]) -> Bool {
        guard let validator = configuration.validators[signer] else {
            stats.unknownValidator += 1
            return false
        }
        guard configuration.verifier.isValid(signature, by: validator.publicKey, for: bytes) else {
            stats.invalidSignature += 1
            return false
        }
        return true
    }

    // MARK: - Recording (authenticated messages, ours included)

    mutating func recordProposal(_ proposal: Proposal) {
        stats.accepted += 1
        rounds[proposal.round, default: RoundState()].proposals.append(proposal)
        rounds[proposal.round]!.noteSender(proposal.proposer, power: configuration.power(of: proposal.proposer))
        requestValidation(of: proposal.block, hash: proposal.blockHash)
    }

    mutating func recordVote(_ vote: Vote) {
        let power = configuration.power(of: vote.validator)
        switch rounds[vote.round, default: RoundState()].add(vote, power: power) {
        case .added:
            stats.accepted += 1
            rounds[vote.round]!.noteSender(vote.validator, power: power)
        case .duplicate:
            stats.duplicates += 1
        case .conflict(let existing):
            stats.accepted += 1
            noteEquivocation(existing, vote)
        }
    }

    /// Two validly signed votes of one validator for the same (height, round, type) and
    /// different values. Only the first one counts; the pair becomes evidence.
    private mutating func noteEquivocation(_ first: Vote, _ second: Vote) {
        guard let evidence = DuplicateVoteEvidence(first, second) else { return }
        guard !pendingEvidence.contains(where: { $0.slot == evidence.slot }) else {
            stats.duplicates += 1
            return
        }
        stats.evidence += 1
        if pendingEvidence.count >= configuration.pendingEvidenceMax { pendingEvidence.removeFirst() }
        pendingEvidence.append(evidence)
        outbox.append(.evidence(evidence))
    }

    private mutating func requestValidation(of block: Block, hash: Hash32) {
        guard validity[hash] == nil, !validationRequested.contains(hash) else { return }
        validationRequested.insert(hash)
        outbox.append(.validateBlock(block))
    }
}
