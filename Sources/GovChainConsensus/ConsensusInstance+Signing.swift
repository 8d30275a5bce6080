import GovChainCore

/// Signing, always through the guard: persist first, then sign, then broadcast.
extension ConsensusInstance {
    /// Signs and broadcasts a proposal for the current (height, round) (line 19).
    mutating func signProposal(_ block: Block, validRound: Round?) {
        guard let signer, let index else { return }
        let bytes = Proposal.signBytes(
            height: height, round: round, validRound: validRound, blockHash: block.hash, chainId: configuration.chainId)
        guard permitted(.propose, bytes: bytes) else { return }
        let proposal = Proposal(
            height: height, round: round, validRound: validRound, block: block, proposer: index,
            signature: signer.sign(bytes))
        persistThenBroadcast(.proposal(proposal))
        validity[proposal.blockHash] = validity[proposal.blockHash] ?? true
        recordProposal(proposal)
    }

    /// Signs and broadcasts a vote for the current (height, round).
    mutating func signVote(_ type: VoteType, value: Hash32?) {
        guard let signer, let index else { return }
        let bytes = Vote.signBytes(
            type: type, height: height, round: round, block: value, chainId: configuration.chainId)
        guard permitted(ConsensusStep(type), bytes: bytes) else { return }
        let vote = Vote(
            type: type, height: height, round: round, block: value, validator: index, signature: signer.sign(bytes))
        persistThenBroadcast(.vote(vote))
        recordVote(vote)
    }

    /// The signing guard: false (and counted) when a signature could conflict with the last
    /// persisted one. A refusal leaves the algorithm's step to move on as if the message had
    /// been sent and lost, which is always safe.
    mutating func permitted(_ signingStep: ConsensusStep, bytes: [UInt8]) -> Bool {
        guard let last = signingState else { return true }
        guard last.permits(height: height, round: round, step: signingStep, digest: Hash32.sha256(bytes)) else {
            stats.refusedSignatures += 1
            return false
        }
        return true
    }

    /// The signature exists only in memory until the shell has made the new state durable:
    /// `.persist` comes first in the effect list, the `.broadcast` after it.
    mutating func persistThenBroadcast(_ message: ConsensusMessage) {
        let state =
            signingState?.adding(message, chainId: configuration.chainId, locked: locked, valid: valid)
            ?? SigningState(recentlySigned: [message], chainId: configuration.chainId, locked: locked, valid: valid)
        signingState = state
        outbox.append(.persist(state))
        outbox.append(.broadcast(message))
    }

    /// After a restart at the same height: send what we signed in the last two rounds again (it
    /// may never have left the process) and count it as ours. No new signature, so no new persist.
    mutating func resendRecentlySigned() {
        guard let state = signingState, state.height == height, let index else { return }
        for message in state.recentlySigned where message.signer == index {
            outbox.append(.broadcast(message))
            switch message {
            case .proposal(let proposal):
                validity[proposal.blockHash] = true
                recordProposal(proposal)
            case .vote(let vote):
                recordVote(vote)
            }
        }
    }
}
