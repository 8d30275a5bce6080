/// Governance on the ledger (docs/GOVERNANCE.md): validators propose changes to the validator set
/// and to the authorities, and a change passes once validators holding more than two thirds of
/// the power of the set signing the block have approved it.
///
/// - Proposing, voting and withdrawing are signed by a validator key of the set that signs the
///   block the transaction lands in (`schedule.next` while that block executes).
/// - A proposal counts as its proposer's approval; each validator votes once; the proposer alone
///   may withdraw it while it is pending; it expires after `expiresAt`.
/// - Power is counted with the set signing the block that holds the vote, so a validator removed
///   meanwhile no longer counts, and one added meanwhile does.
/// - An approved validator change goes into `schedule.upcoming` and is in force from the height
///   after next (H + 2); an approved authority change is in force from the approving block on.
/// - An action is checked when proposed and again when approved (other changes may have passed
///   in between); one that no longer applies cannot be approved and will expire.
extension LedgerRules {
    /// Heights between a proposal and its expiry, at most.
    package static let proposalLifetimeMax: UInt64 = 1_000_000

    /// The governance record in force (the genesis sets until governance changed something).
    package func schedule(in state: any LedgerStateReader) throws(GovChainError) -> ValidatorSchedule {
        try state.validatorSchedule() ?? ValidatorSchedule(genesis: genesis.validators)
    }

    /// Authority `id` as in force: its governance record, else its genesis entry.
    package func authority(_ id: Code, in state: any LedgerStateReader) throws(GovChainError) -> Genesis.Authority? {
        try authorityRecord(id, in: state)?.authority
    }

    /// Authority `id`'s record as in force (its four-eyes types among it): the state record, else
    /// one made from its genesis entry.
    package func authorityRecord(_ id: Code, in state: any LedgerStateReader) throws(GovChainError) -> AuthorityRecord?
    {
        if let record = try state.authorityRecord(id) { return record }
        return genesis.authority(id).map(AuthorityRecord.init)
    }

    func applyGovernance(
        _ transaction: Transaction, at location: TransactionLocation, to state: inout LedgerOverlay
    ) throws(GovChainError) {
        var schedule = try schedule(in: state)
        let signers = schedule.next
        guard let voter = signers.index(of: transaction.signer).flatMap({ signers[$0] }) else {
            throw GovChainError(
                code: .governanceNotValidator,
                message:
                    "Only a validator of the set signing block \(location.height) can take part in governance; this transaction was signed with another key."
            )
        }
        let height = location.height
        switch transaction.body {
        case .proposeGovernance(let body):
            let (lifetime, overflow) = body.expiresAt.rawValue.subtractingReportingOverflow(height.rawValue)
            guard !overflow, lifetime >= 1, lifetime <= Self.proposalLifetimeMax else {
                throw GovChainError(
                    code: .proposalExpiryInvalid,
                    message:
                        "A proposal must expire after the block it is in (\(height)) and at most \(Self.proposalLifetimeMax) heights later; it names \(body.expiresAt)."
                )
            }
            guard schedule.pending.count < ValidatorSchedule.pendingProposalsMax else {
                throw GovChainError(
                    code: .proposalsFull,
                    message:
                        "\(ValidatorSchedule.pendingProposalsMax) proposals are pending; decide, withdraw or let some expire first."
                )
            }
            _ = try check(body.action, schedule: schedule, in: state)
            var record = ProposalRecord(
                id: schedule.nextProposal, action: body.action, proposer: transaction.signer, proposedHeight: height,
                expiresAt: body.expiresAt, approvals: [transaction.signer], rejections: [], status: .pending,
                proposalTx: transaction.id)
            schedule.nextProposal += 1
            schedule.pending.append(record.id)
            try decide(&record, schedule: &schedule, height: height, in: &state)
            state.put(record)
            state.put(schedule)
        case .voteGovernance(let body):
            var record = try pendingProposal(body.proposal, height: height, in: state)
            guard !record.approvals.contains(transaction.signer), !record.rejections.contains(transaction.signer) else {
                throw GovChainError(
                    code: .proposalAlreadyVoted,
                    message: "\(voter.name) has already voted on proposal \(record.id); a vote is final.")
            }
            if body.approve {
                record.approvals = (record.approvals + [transaction.signer]).sorted()
            } else {
                record.rejections = (record.rejections + [transaction.signer]).sorted()
            }
            try decide(&record, schedule: &schedule, height: height, in: &state)
            state.put(record)
            state.put(schedule)
        case .withdrawGovernance(let body):
            var record = try pendingProposal(body.proposal, height: height, in: state)
            guard record.proposer == transaction.signer else {
                throw GovChainError(
                    code: .proposalNotProposer,
                    message: "Only the validator that proposed \(record.id) can withdraw it.")
            }
            record.status = .withdrawn(height: height)
            schedule.pending.removeAll { $0 == record.id }
            state.put(record)
            state.put(schedule)
        default:
            preconditionFailure("applyGovernance called for \(transaction.body.kind)")
        }
    }

    /// Runs after a block's last transaction: proposals whose last height this was expire, and the
    /// validator sets move on one height (`ValidatorSchedule`). Writes nothing for a chain that
    /// never used governance.
    package func endBlock(height: Height, state: inout LedgerOverlay) throws(GovChainError) {
        guard var schedule = try state.validatorSchedule() else { return }
        let before = schedule
        for id in schedule.pending {
            guard var record = try state.proposal(id), record.status == .pending else { continue }
            if record.expiresAt <= height {
                record.status = .expired(height: height)
                state.put(record)
                schedule.pending.removeAll { $0 == id }
            }
        }
        schedule.next = schedule.afterNext
        schedule.afterNext = schedule.upcoming
        if schedule != before || state.schedule != nil { state.put(schedule) }
    }

    // MARK: - Deciding

    private func pendingProposal(
        _ id: UInt64, height: Height, in state: LedgerOverlay
    ) throws(GovChainError) -> ProposalRecord {
        guard let record = try state.proposal(id) else {
            throw GovChainError(code: .proposalUnknown, message: "There is no governance proposal \(id).")
        }
        guard record.status == .pending, height <= record.expiresAt else {
            throw GovChainError(
                code: .proposalNotPending,
                message:
                    "Proposal \(id) is \(record.status == .pending ? "expired" : record.status.name); it takes no more votes."
            )
        }
        return record
    }

    /// Approves or rejects `record` once the votes of the signing set decide it.
    private func decide(
        _ record: inout ProposalRecord, schedule: inout ValidatorSchedule, height: Height, in state: inout LedgerOverlay
    ) throws(GovChainError) {
        let signers = schedule.next
        func power(_ keys: [PublicKey]) -> UInt64 {
            keys.reduce(0) { $0 + (signers.index(of: $1).flatMap { signers[$0]?.power } ?? 0) }
        }
        if power(record.approvals) >= signers.quorumPower {
            let effect = try check(record.action, schedule: schedule, in: state)
            switch effect {
            case .validators(let set, let retired):
                schedule.upcoming = set
                schedule.retiredKeys += retired
                if case .addValidator = record.action { schedule.nextMember += 1 }
                record.status = .approved(height: height, effective: Height(height.rawValue + 2))
            case .authority(let authority):
                state.put(authority)
                record.status = .approved(height: height, effective: height)
            }
            schedule.pending.removeAll { $0 == record.id }
        } else if power(record.rejections) > signers.totalPower - signers.quorumPower {
            record.status = .rejected(height: height)
            schedule.pending.removeAll { $0 == record.id }
        }
    }

    private enum Effect {
        case validators(ValidatorSet, retired: [PublicKey])
        case authority(AuthorityRecord)
    }

    /// What `action` would do now, or why it cannot.
    private func check(
        _ action: GovernanceAction, schedule: ValidatorSchedule, in state: any LedgerStateReader
    ) throws(GovChainError) -> Effect {
        func invalid(_ message: String) -> GovChainError {
            GovChainError(code: .governanceActionInvalid, message: message)
        }
        let set = schedule.upcoming
        func fresh(_ key: PublicKey) throws(GovChainError) {
            if set.index(of: key) != nil || schedule.next.index(of: key) != nil
                || schedule.afterNext.index(of: key) != nil || schedule.retiredKeys.contains(key)
            {
                throw invalid(
                    "The key \(key.hex.prefix(16))… is or was a validator key; a key is never admitted twice.")
            }
            if genesis.authority(key: key) != nil {
                throw invalid("The key \(key.hex.prefix(16))… is an authority key; a validator needs its own key.")
            }
        }
        func member(_ key: PublicKey) throws(GovChainError) -> ValidatorIndex {
            guard let index = set.index(of: key) else {
                throw invalid("No validator with key \(key.hex.prefix(16))… is in the set.")
            }
            return index
        }
        func replacing(
            _ index: ValidatorIndex, with validator: Validator?, retired: [PublicKey]
        ) throws(GovChainError) -> Effect {
            var members = set.members.filter { $0.index != index }
            if let validator { members.append((index, validator)) }
            members.sort { $0.index < $1.index }
            return try validated(members, retired: retired)
        }
        func validated(
            _ members: [(index: ValidatorIndex, validator: Validator)], retired: [PublicKey]
        ) throws(GovChainError) -> Effect {
            guard !members.isEmpty else { throw invalid("The last validator cannot be removed.") }
            if let reason = ValidatorSet.refusal(members) { throw invalid("The set would not hold: \(reason).") }
            return .validators(ValidatorSet(members: members), retired: retired)
        }
        switch action {
        case .addValidator(let validator):
            try fresh(validator.publicKey)
            guard set.index(named: validator.name) == nil else {
                throw invalid("A validator named \(validator.name) is already in the set.")
            }
            guard Genesis.isHostPort(validator.peerAddress), !validator.name.isEmpty else {
                throw invalid("The peer address \"\(validator.peerAddress)\" is not host:port (or the name is empty).")
            }
            guard schedule.nextMember < UInt16.max else { throw invalid("No member index is left.") }
            let members = set.members + [(ValidatorIndex(schedule.nextMember), validator)]
            return try validated(members, retired: [])
        case .removeValidator(let key):
            return try replacing(try member(key), with: nil, retired: [key])
        case .setPower(let key, let power):
            let index = try member(key)
            var validator = set[index]!
            validator.power = power
            return try replacing(index, with: validator, retired: [])
        case .rotateValidatorKey(let old, let new):
            let index = try member(old)
            try fresh(new)
            var validator = set[index]!
            validator.publicKey = new
            return try replacing(index, with: validator, retired: [old])
        case .addAuthority(let record):
            guard try authority(record.id, in: state) == nil else {
                throw invalid("An authority \(record.id) exists already.")
            }
            return .authority(try checkedAuthority(record))
        case .rotateAuthorityKey(let id, let new):
            guard var record = try authorityRecord(id, in: state) else {
                throw invalid("There is no authority \(id).")
            }
            record.publicKey = new
            return .authority(try checkedAuthority(record))
        case .setAuthorityTypes(let id, let types, let salted):
            guard var record = try authorityRecord(id, in: state) else {
                throw invalid("There is no authority \(id).")
            }
            record.documentTypes = types
            record.saltedDocumentTypes = salted
            // A four-eyes rule outlives a change of types for the types that remain.
            record.fourEyesDocumentTypes = record.fourEyesDocumentTypes.filter(types.contains)
            return .authority(try checkedAuthority(record))
        }
    }

    private func checkedAuthority(_ record: AuthorityRecord) throws(GovChainError) -> AuthorityRecord {
        let key = record.publicKey
        if let other = genesis.authority(key: key), other.id != record.id {
            throw GovChainError(
                code: .governanceActionInvalid, message: "The key is already the authority key of \(other.name).")
        }
        if genesis.validators.index(of: key) != nil {
            throw GovChainError(
                code: .governanceActionInvalid, message: "An authority key cannot be a validator key.")
        }
        return record
    }
}
