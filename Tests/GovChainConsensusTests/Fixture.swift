import GovChainConsensus
import GovChainCore

/// Four validators of equal power (f = 1, quorum 3, f + 1 = 2) and helpers to sign what the
/// others send. With equal powers the proposer of (height 1, round r) is validator r mod 4.
enum Fixture {
    static let chainId = ChainID("consensus-test")!
    static let keys: [SigningKey] = (0..<4).map { index in
        // A fixed 32-byte seed is always a valid Ed25519 key.
        try! SigningKey(seed: Hash32.sha256(Array("consensus-test-\(index)".utf8)).bytes)
    }
    static let validators = ValidatorSet(
        keys.enumerated().map { index, key in
            Validator(name: "v\(index)", publicKey: key.publicKey, peerAddress: "test:\(index)", power: 10)
        })
    static let timeouts = TimeoutParameters(proposeMs: 1_000, prevoteMs: 500, precommitMs: 500, deltaMs: 250)
    static let configuration = ConsensusConfiguration(chainId: chainId, validators: validators, timeouts: timeouts)

    /// A distinct empty block at height 1 per `variant`.
    static func block(_ variant: UInt64, proposer: ValidatorIndex = 0, height: Height = 1) -> Block {
        Block.make(
            chainId: chainId, height: height, time: Timestamp(rawValue: 1_000 + variant), previousHash: .zero,
            lastCommit: nil, transactions: [], validators: validators, proposer: proposer)
    }

    static func proposal(_ block: Block, round: Round, validRound: Round? = nil, height: Height = 1) -> ConsensusMessage
    {
        let proposer = configuration.schedule.proposer(height: height, round: round)
        return .proposal(
            Proposal.sign(
                height: height, round: round, validRound: validRound, block: block, proposer: proposer,
                chainId: chainId, key: keys[Int(proposer.rawValue)]))
    }

    static func vote(
        _ type: VoteType, round: Round, _ block: Block?, from validator: Int, height: Height = 1
    ) -> ConsensusMessage {
        .vote(
            Vote.sign(
                type: type, height: height, round: round, block: block?.hash,
                validator: ValidatorIndex(UInt16(validator)),
                chainId: chainId, key: keys[validator]))
    }

    /// Validator `index` (3 by default: it proposes only in round 3), started.
    static func started(
        _ index: Int = 3, resumingFrom state: SigningState? = nil
    ) -> (ConsensusInstance, [ConsensusEffect]) {
        var instance = ConsensusInstance(
            configuration: configuration, signer: keys[index], height: 1, resumingFrom: state)
        let effects = instance.step(.start)
        return (instance, effects)
    }
}

extension ConsensusInstance {
    /// Feeds messages, answering validation requests with `valid` (the shell's ledger verdict).
    mutating func receive(_ messages: ConsensusMessage..., valid: Bool = true) -> [ConsensusEffect] {
        var effects: [ConsensusEffect] = []
        for message in messages {
            var pending = step(.message(message))
            while !pending.isEmpty {
                effects += pending
                let requests = pending.compactMap { effect -> Block? in
                    if case .validateBlock(let block) = effect { return block }
                    return nil
                }
                pending = requests.flatMap { step(.blockValidity(blockHash: $0.hash, valid: valid)) }
            }
        }
        return effects
    }
}

extension Array where Element == ConsensusEffect {
    var signedVotes: [Vote] {
        compactMap { effect in
            if case .broadcast(.vote(let vote)) = effect { return vote }
            return nil
        }
    }

    var signedProposals: [Proposal] {
        compactMap { effect in
            if case .broadcast(.proposal(let proposal)) = effect { return proposal }
            return nil
        }
    }

    var timeouts: [Timeout] {
        compactMap { effect in
            if case .scheduleTimeout(let timeout, _) = effect { return timeout }
            return nil
        }
    }

    var decisions: [(Block, Commit)] {
        compactMap { effect in
            if case .decide(let block, let commit) = effect { return (block, commit) }
            return nil
        }
    }

    var evidence: [DuplicateVoteEvidence] {
        compactMap { effect in
            if case .evidence(let evidence) = effect { return evidence }
            return nil
        }
    }
}
