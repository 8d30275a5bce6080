import GovChainCore

/// The Tendermint consensus algorithm for one validator, as a pure state machine
/// ("The latest gossip on BFT consensus", Buchman, Kwon, Milosevic 2018, Algorithm 1).
///
/// Pure instance, thin shell (style.md §1): `step(_:)` takes one `ConsensusInput` and returns the
/// `ConsensusEffect`s for the shell to carry out, in order. No clock, socket or randomness is
/// used here; time arrives as `.timeout` inputs, blocks as `.proposalValue`, validity verdicts
/// as `.blockValidity`.
///
/// Mapping to the paper (details in docs/CONSENSUS.md): `startRound` is lines 11-21, the
/// `rule…` methods are the upon rules of lines 22-56, `onTimeout` is lines 57-67. Lines 52-54
/// (next height) happen on `.committed`, after the shell has stored the decided block.
///
/// Invariants, checked after every step: a persist precedes each broadcast of a newly signed
/// message; a lock is never older than the valid value; locks and the valid value belong to the
/// current height; the instance never signs what its `SigningState` does not permit.
package struct ConsensusInstance: Sendable {
    /// The outcome of a height, once the instance has decided (line 51).
    package struct Decision: Hashable, Sendable {
        package let block: Block
        package let commit: Commit
    }

    /// The set of the current height changes only between heights (`committed(nextValidators:)`).
    package internal(set) var configuration: ConsensusConfiguration
    let signer: SigningKey?
    /// This validator's index, nil for an observer that never signs (or one not in the set of
    /// this height: it follows the chain without voting).
    package internal(set) var index: ValidatorIndex?

    package internal(set) var height: Height
    package internal(set) var round: Round
    package internal(set) var step: ConsensusStep
    package internal(set) var locked: ValueAtRound?
    package internal(set) var valid: ValueAtRound?
    package internal(set) var decision: Decision?
    /// The last state handed to the shell for persistence (or the one resumed from).
    package internal(set) var signingState: SigningState?
    package internal(set) var stats = ConsensusStats()
    /// Evidence seen and not yet in a committed block, oldest first.
    package internal(set) var pendingEvidence: [DuplicateVoteEvidence] = []

    var rounds: [Round: RoundState] = [:]
    /// `valid(v)` verdicts of the shell for blocks at this height, by block hash.
    var validity: [Hash32: Bool] = [:]
    var validationRequested: Set<Hash32> = []
    var awaitingProposalValue = false
    var futureMessages: [ConsensusMessage] = []
    /// Bytes of `futureMessages` per signer.
    var futureBytes: [ValidatorIndex: Int] = [:]
    /// Bytes of proposals kept for rounds after the current one, per proposer (this height).
    var futureProposalBytes: [ValidatorIndex: Int] = [:]
    var started = false
    /// Effects of the step in progress.
    var outbox: [ConsensusEffect] = []

    /// An instance at `height` (the first height without a stored block).
    ///
    /// - Parameter resumingFrom: the last persisted `SigningState`, if any. At the same height the
    ///   instance restores its lock and valid value and resumes at the persisted round; at any
    ///   height it refuses to sign what could conflict with the persisted signature.
    package init(
        configuration: ConsensusConfiguration, signer: SigningKey?, height: Height,
        resumingFrom persisted: SigningState? = nil
    ) {
        precondition(height >= 1, "consensus starts at height 1, not \(height)")
        self.configuration = configuration
        self.signer = signer
        self.index = signer.flatMap { configuration.validators.index(of: $0.publicKey) }
        self.height = height
        self.round = 0
        self.step = .propose
        self.signingState = persisted
        if let persisted, persisted.height == height {
            round = persisted.round
            locked = persisted.locked
            valid = persisted.valid
        }
    }

    /// The proposer of (height, round) (`proposer(h, r)` in the paper).
    package func proposer(height: Height, round: Round) -> ValidatorIndex {
        configuration.schedule.proposer(height: height, round: round)
    }

    /// Handles one input and returns what the shell must do, in order.
    package mutating func step(_ input: ConsensusInput) -> [ConsensusEffect] {
        precondition(outbox.isEmpty, "consensus step re-entered at \(height)/\(round)")
        let durable = signingState
        switch input {
        case .start: onStart()
        case .message(let message): onMessage(message)
        case .timeout(let timeout): onTimeout(timeout)
        case .proposalValue(let block): onProposalValue(block)
        case .blockValidity(let hash, let isValid): onBlockValidity(hash, isValid: isValid)
        case .committed(let block, let commit, let next): onCommitted(block, commit: commit, nextValidators: next)
        }
        if started { evaluateRules() }
        checkInvariants(durable: durable)
        defer { outbox = [] }
        return outbox
    }

    // MARK: - Inputs

    mutating func onStart() {
        guard !started else { return }
        started = true
        resendRecentlySigned()
        startRound(round)
        replayFutureMessages()
    }

    mutating func onProposalValue(_ block: Block) {
        guard awaitingProposalValue, step == .propose, decision == nil, block.header.height == height else {
            stats.unusedProposalValues += 1
            return
        }
        awaitingProposalValue = false
        // The shell built this block for us; getValue() returns a valid value by definition.
        validity[block.hash] = true
        signProposal(block, validRound: nil)
    }

    mutating func onBlockValidity(_ hash: Hash32, isValid: Bool) {
        guard validationRequested.contains(hash), validity[hash] == nil else { return }
        validity[hash] = isValid
    }

    /// Lines 52-54: the next height starts once the shell has stored the block.
    mutating func onCommitted(_ block: Block, commit: Commit, nextValidators: ValidatorSet? = nil) {
        guard block.header.height >= height else {
            stats.stale += 1
            return
        }
        let recorded = Set(block.evidence.map(\.slot))
        pendingEvidence.removeAll { recorded.contains($0.slot) }
        if let nextValidators, nextValidators.hash != configuration.validators.hash {
            configuration.setValidators(nextValidators)
            index = signer.flatMap { nextValidators.index(of: $0.publicKey) }
            // Buffered messages were checked against the old set; evidence names old indices.
            futureMessages = []
            futureBytes = [:]
            pendingEvidence = []
        }
        enterHeight(block.header.height.next)
    }

    mutating func enterHeight(_ newHeight: Height) {
        height = newHeight
        rounds = [:]
        locked = nil
        valid = nil
        decision = nil
        validity = [:]
        validationRequested = []
        futureProposalBytes = [:]
        awaitingProposalValue = false
        round = 0
        step = .propose
        guard started else { return }
        startRound(0)
        replayFutureMessages()
    }

    mutating func replayFutureMessages() {
        let messages = futureMessages
        futureMessages = []
        futureBytes = [:]
        for message in messages where message.height == height {
            onMessage(message)
        }
    }

    // MARK: - Invariants

    func checkInvariants(durable: SigningState?) {
        if let locked {
            precondition(
                locked.block.header.height == height,
                "locked block at \(locked.block.header.height), instance at \(height)")
            precondition(
                valid != nil && valid!.round >= locked.round,
                "locked at round \(locked.round) but valid at \(valid?.round.description ?? "none") (\(height)/\(round))"
            )
        }
        if let valid {
            precondition(
                valid.block.header.height == height,
                "valid block at \(valid.block.header.height), instance at \(height)")
        }
        precondition(
            futureMessages.count <= configuration.bufferedMessagesMax, "buffer of \(futureMessages.count) messages")
        checkPersistBeforeBroadcast(durable: durable)
    }

    /// Every broadcast is covered by a persisted state holding that very message: one persisted
    /// earlier in this step, or the one already durable when the step began (style.md §4).
    func checkPersistBeforeBroadcast(durable: SigningState?) {
        var persisted = durable
        for effect in outbox {
            switch effect {
            case .persist(let state):
                persisted = state
            case .broadcast(let message):
                precondition(
                    persisted?.recentlySigned.contains(message) == true,
                    "broadcast of \(message.step) at \(message.height)/\(message.round) not covered by the persisted state (\(persisted.map { "\($0.height)/\($0.round)/\($0.step)" } ?? "none"))"
                )
            default:
                continue
            }
        }
    }
}
