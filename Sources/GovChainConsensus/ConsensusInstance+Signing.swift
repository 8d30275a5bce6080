import GovChainCore

/// Signing, always through the guard: persist first, then sign, then broadcast.
extension ConsensusInstance {
    /// Signs and broadcasts a proposal for the current (height, round) (line 19).
    mutating func signProposal(_ block: Block, validRound: Round?) {
        guard let signer, let index else { return }
        let bytes = Proposal.signBytes(height: height, round: round, validRound: validRound, blockHash: block.hash, chainId: configuration.chainId)
        guard authorize(.propose, bytes: bytes) else { return }
        let proposal = Proposal(height: height, round: round, validRound: validRound, block: block, proposer: index, signature: signer.sign(bytes))
        outbox.append(.broadcast(.proposal(proposal)))
        validity[proposal.blockHash] = validity[proposal.blockHash] ?? true
        recordProposal(proposal)
    }

    /// Signs and broadcasts a vote for the current (height, round).
    mutating func signVote(_ type: VoteType, value: Hash32?) {
        guard let signer, let index else { return }
        let bytes = Vote.signBytes(type: type, height: height, round: round, block: value, chainId: configuration.chainId)
        guard authorize(ConsensusStep(type), bytes: bytes) else { return }
        let vote = Vote(type: type, height: height, round: round, block: value, validator: index, signature: signer.sign(bytes))
        outbox.append(.broadcast(.vote(vote)))
        recordVote(vote)
    }

    /// The signing guard. Refuses (and counts) a signature that could conflict with the last
    /// persisted one; otherwise emits the `.persist` that must be durable before the signature
    /// leaves the process. A refusal leaves the algorithm's step to move on as if the message
    /// had been sent and lost, which is always safe.
    mutating func authorize(_ signingStep: ConsensusStep, bytes: [UInt8]) -> Bool {
        let digest = Hash32.sha256(bytes)
        if let last = signingState, !last.permits(height: height, round: round, step: signingStep, digest: digest) {
            stats.refusedSignatures += 1
            return false
        }
        let state = SigningState(height: height, round: round, step: signingStep, signedDigest: digest, locked: locked, valid: valid)
        signingState = state
        outbox.append(.persist(state))
        return true
    }
}
