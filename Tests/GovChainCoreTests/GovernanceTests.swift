import Foundation
import Synchronization
import Testing

@testable import GovChainCore

/// Governance rules (issue 10, docs/GOVERNANCE.md), pure: proposals, votes by power of the set
/// signing each block, the H + 2 rule for validator changes, expiry, withdrawal, every action and
/// its refusals, the records' codecs.
@Suite("Governance")
struct GovernanceTests {
    static let validatorKeys = (20...23).map { Fixtures.key(UInt8($0)) }
    static let koeln = Fixtures.key(30)
    static let koelnAuthority = Fixtures.key(31)
    static let koelnClerk = Fixtures.key(32)

    static let genesis: Genesis = {
        var file = Fixtures.genesisFile()
        file.validators = validatorKeys.enumerated().map { i, key in
            .init(name: "V\(i)", public_key: key.publicKey.hex, peer_address: "127.0.0.1:\(26600 + i)", power: 1)
        }
        return try! Genesis(validating: file)
    }()

    /// A chain in memory: each `block` applies its transactions at the next height, then ends it.
    struct Chain {
        let rules = LedgerRules(genesis: GovernanceTests.genesis)
        var state = MemoryState()
        var height: UInt64 = 0

        init() { state.merge(rules.genesisState()) }

        /// The codes of the transactions (nil: applied), in order.
        @discardableResult
        mutating func block(_ transactions: [Transaction]) -> [String?] {
            height += 1
            var overlay = LedgerOverlay(base: state)
            var codes: [String?] = []
            for (i, transaction) in transactions.enumerated() {
                do {
                    try rules.apply(
                        transaction, at: TransactionLocation(height: Height(height), index: UInt32(i)),
                        blockTime: Fixtures.at(height * 1000), to: &overlay)
                    codes.append(nil)
                } catch {
                    codes.append(error.code.rawValue)
                }
            }
            try! rules.endBlock(height: Height(height), state: &overlay)
            state.merge(overlay)
            return codes
        }

        var schedule: ValidatorSchedule { try! rules.schedule(in: state) }
        func proposal(_ id: UInt64) -> ProposalRecord? { state.proposals[id] }
    }

    static let nonce = Mutex<UInt64>(0)
    static func tx(_ body: TransactionBody, by key: SigningKey) -> Transaction {
        Fixtures.tx(
            body, by: key,
            nonce: nonce.withLock {
                $0 += 1; return $0
            })
    }
    static func propose(_ action: GovernanceAction, by v: Int, expires: UInt64 = 100) -> Transaction {
        tx(.proposeGovernance(.init(action: action, expiresAt: Height(expires))), by: validatorKeys[v])
    }
    static func vote(_ id: UInt64, by v: Int, approve: Bool = true) -> Transaction {
        tx(.voteGovernance(.init(proposal: id, approve: approve)), by: validatorKeys[v])
    }
    static let addKoeln = GovernanceAction.addValidator(
        Validator(name: "Köln", publicKey: koeln.publicKey, peerAddress: "127.0.0.1:26610", power: 1))

    @Test("a validator joins: approved by more than two thirds in block H, in force from H + 2, named by H + 1")
    func validatorJoinsAtHPlusTwo() {
        var chain = Chain()
        #expect(chain.block([Self.propose(Self.addKoeln, by: 0)]) == [nil])  // 1 of 4
        #expect(chain.proposal(1)?.status == .pending)
        #expect(chain.block([Self.vote(1, by: 1)]) == [nil])  // 2 of 4: not yet more than two thirds
        #expect(chain.proposal(1)?.status == .pending)
        let before = chain.schedule.next
        #expect(chain.block([Self.vote(1, by: 2)]) == [nil])  // 3 of 4, block 3
        #expect(chain.proposal(1)?.status == .approved(height: 3, effective: 5))
        // After block 3: block 4 is still signed by the old set, and names the new one as next.
        let signers4 = chain.schedule.signers
        #expect(signers4.current == before)
        #expect(signers4.nextHash != before.hash)
        #expect(chain.schedule.afterNext[ValidatorIndex(4)]?.name == "Köln")
        chain.block([])
        // After block 4: block 5 is signed by the set with Köln, member 4.
        let set5 = chain.schedule.next
        #expect(set5.count == 5)
        #expect(set5.index(of: Self.koeln.publicKey) == ValidatorIndex(4))
        #expect(set5.hash == signers4.nextHash)
        #expect(chain.schedule.nextMember == 5)
        // Köln votes from block 5 on; a vote after the decision is refused.
        #expect(
            chain.block([Self.tx(.voteGovernance(.init(proposal: 1, approve: true)), by: Self.koeln)])
                == ["proposal_not_pending"])
    }

    @Test("votes: once per validator, only by validators of the signing set, refused after the decision")
    func votingRules() {
        var chain = Chain()
        chain.block([Self.propose(Self.addKoeln, by: 0)])
        #expect(chain.block([Self.vote(1, by: 0)]) == ["proposal_already_voted"])  // its proposal is its vote
        #expect(
            chain.block([Self.vote(1, by: 1), Self.vote(1, by: 1, approve: false)]) == [nil, "proposal_already_voted"])
        let stranger = Self.tx(.voteGovernance(.init(proposal: 1, approve: true)), by: Fixtures.aachenKey)
        #expect(chain.block([stranger]) == ["governance_not_validator"])
        #expect(chain.block([Self.vote(7, by: 2)]) == ["proposal_unknown"])
        #expect(chain.proposal(1)?.approvals.count == 2)
    }

    @Test("rejected once approval can no longer reach more than two thirds; withdrawn only by its proposer")
    func rejectAndWithdraw() {
        var chain = Chain()
        chain.block([Self.propose(.setPower(Self.validatorKeys[3].publicKey, power: 5), by: 0)])
        chain.block([Self.vote(1, by: 1, approve: false)])
        #expect(chain.proposal(1)?.status == .pending)  // 1 for, 1 against: 3 could still approve
        chain.block([Self.vote(1, by: 2, approve: false)])
        #expect(chain.proposal(1)?.status == .rejected(height: 3))
        #expect(chain.schedule.pending.isEmpty)

        chain.block([Self.propose(.removeValidator(Self.validatorKeys[3].publicKey), by: 1)])
        let withdraw = { (v: Int) in Self.tx(.withdrawGovernance(.init(proposal: 2)), by: Self.validatorKeys[v]) }
        #expect(chain.block([withdraw(2)]) == ["proposal_not_proposer"])
        #expect(chain.block([withdraw(1)]) == [nil])
        #expect(chain.proposal(2)?.status == .withdrawn(height: 6))
        #expect(chain.block([Self.vote(2, by: 0)]) == ["proposal_not_pending"])
    }

    @Test("a proposal expires after its last height; its expiry must lie ahead, and not too far")
    func expiry() {
        var chain = Chain()
        #expect(chain.block([Self.propose(Self.addKoeln, by: 0, expires: 1)]) == ["proposal_expiry_invalid"])
        #expect(chain.block([Self.propose(Self.addKoeln, by: 0, expires: 2_000_000)]) == ["proposal_expiry_invalid"])
        #expect(chain.block([Self.propose(Self.addKoeln, by: 0, expires: 5)]) == [nil])  // block 3, id 1
        chain.block([Self.vote(1, by: 1)])  // block 4
        chain.block([])  // block 5: its last height
        #expect(chain.proposal(1)?.status == .expired(height: 5))
        #expect(chain.block([Self.vote(1, by: 2)]) == ["proposal_not_pending"])
        #expect(chain.schedule.next.count == 4)
    }

    @Test("remove, set power and rotate a key: indices stay, keys are never reused, the last validator stays")
    func removeSetPowerRotate() {
        var chain = Chain()
        func pass(_ action: GovernanceAction) -> [String?] {
            let id = chain.schedule.nextProposal
            let codes = chain.block([Self.propose(action, by: 0), Self.vote(id, by: 1), Self.vote(id, by: 2)])
            chain.block([])
            chain.block([])
            return codes
        }
        // V3 is removed: its index 3 is gone from the set, and it can no longer vote.
        #expect(pass(.removeValidator(Self.validatorKeys[3].publicKey)) == [nil, nil, nil])
        #expect(chain.schedule.next.indices == [0, 1, 2].map { ValidatorIndex($0) })
        #expect(chain.block([Self.propose(Self.addKoeln, by: 3)]) == ["governance_not_validator"])
        // V2 gets power 4: now V0 + V1 (2 of 6) are not enough.
        #expect(pass(.setPower(Self.validatorKeys[2].publicKey, power: 4)) == [nil, nil, nil])
        #expect(chain.schedule.next.totalPower == 6)
        let id = chain.schedule.nextProposal
        chain.block([Self.propose(Self.addKoeln, by: 0), Self.vote(id, by: 1)])
        #expect(chain.proposal(id)?.status == .pending)
        chain.block([Self.vote(id, by: 2)])
        #expect(chain.proposal(id)?.status != .pending)
        chain.block([])
        chain.block([])
        #expect(chain.schedule.next.index(of: Self.koeln.publicKey) == ValidatorIndex(4))
        // V1 rotates to a new key: same member index; the old key is retired for good.
        let newKey = Fixtures.key(40)
        let rotate = GovernanceAction.rotateValidatorKey(old: Self.validatorKeys[1].publicKey, new: newKey.publicKey)
        let rid = chain.schedule.nextProposal
        chain.block([Self.propose(rotate, by: 2)])  // power 4 of 7: not yet
        chain.block([Self.vote(rid, by: 0)])  // 5 of 7: more than two thirds
        chain.block([])
        chain.block([])
        #expect(chain.schedule.next.index(of: newKey.publicKey) == ValidatorIndex(1))
        #expect(chain.schedule.next.index(of: Self.validatorKeys[1].publicKey) == nil)
        let readd = GovernanceAction.addValidator(
            Validator(
                name: "Old", publicKey: Self.validatorKeys[1].publicKey, peerAddress: "127.0.0.1:26611", power: 1))
        #expect(chain.block([Self.propose(readd, by: 2)]) == ["governance_action_invalid"])
        #expect(
            chain.block([
                Self.propose(
                    .addValidator(
                        Validator(name: "V0", publicKey: Fixtures.key(41).publicKey, peerAddress: "h:1", power: 1)),
                    by: 2)
            ]) == ["governance_action_invalid"])
        #expect(
            chain.block([Self.propose(.setPower(Self.validatorKeys[2].publicKey, power: 0), by: 2)]) == [
                "governance_action_invalid"
            ])
    }

    @Test("the last validator cannot be removed")
    func lastValidatorStays() {
        let rules = LedgerRules(genesis: Fixtures.genesis)
        var overlay = rules.genesisState()
        let remove = Fixtures.tx(
            .proposeGovernance(.init(action: .removeValidator(Fixtures.validatorKey.publicKey), expiresAt: 9)),
            by: Fixtures.validatorKey)
        #expect(throws: GovChainError.self) {
            try rules.apply(remove, at: .init(height: 1, index: 0), blockTime: Fixtures.at(1), to: &overlay)
        }
    }

    @Test("an added authority registers clerks who anchor; a rotated authority key replaces the old one")
    func authorities() {
        var chain = Chain()
        let koeln = AuthorityRecord(
            id: Code("koeln")!, name: "Stadt Köln", publicKey: Self.koelnAuthority.publicKey,
            documentTypes: [Fixtures.birth], saltedDocumentTypes: [])
        let register = Fixtures.tx(
            .registerClerk(
                .init(authority: koeln.id, clerk: Self.koelnClerk.publicKey, documentTypes: [Fixtures.birth])),
            by: Self.koelnAuthority, nonce: 1)
        #expect(chain.block([register]) == ["authority_unknown"])
        chain.block([Self.propose(.addAuthority(koeln), by: 0), Self.vote(1, by: 1), Self.vote(1, by: 2)])
        #expect(chain.proposal(1)?.status == .approved(height: 2, effective: 2))  // at once
        #expect(chain.block([register]) == [nil])
        #expect(chain.block([Fixtures.anchor("köln birth", by: Self.koelnClerk, authority: "koeln")]) == [nil])
        #expect(chain.block([Self.propose(.addAuthority(koeln), by: 0)]) == ["governance_action_invalid"])
        // Aachen's authority key is rotated: the old key can no longer register clerks.
        let newAachen = Fixtures.key(42)
        chain.block([
            Self.propose(.rotateAuthorityKey(Code("aachen")!, new: newAachen.publicKey), by: 0), Self.vote(2, by: 1),
            Self.vote(2, by: 2),
        ])
        let body = TransactionBody.registerClerk(
            .init(authority: Code("aachen")!, clerk: Fixtures.key(43).publicKey, documentTypes: [Fixtures.birth]))
        #expect(chain.block([Fixtures.tx(body, by: Fixtures.aachenKey, nonce: 9)]) == ["not_authority_key"])
        #expect(chain.block([Fixtures.tx(body, by: newAachen, nonce: 9)]) == [nil])
    }

    @Test("a chain that never used governance writes no governance record: its state roots stay as they were")
    func noGovernanceNoRecord() throws {
        var chain = Chain()
        chain.block([Fixtures.anchor("plain")])
        chain.block([])
        #expect(chain.state.schedule == nil)
        #expect(chain.state.proposals.isEmpty)
        var overlay = LedgerOverlay(base: chain.state)
        try chain.rules.endBlock(height: 3, state: &overlay)
        #expect(!overlay.changesGovernance)
    }

    @Test("records and transactions round-trip; truncations and bad tags are refused")
    func codecs() throws {
        let actions: [GovernanceAction] = [
            Self.addKoeln, .removeValidator(Self.koeln.publicKey), .setPower(Self.koeln.publicKey, power: 9),
            .rotateValidatorKey(old: Self.koeln.publicKey, new: Self.koelnClerk.publicKey),
            .addAuthority(
                AuthorityRecord(
                    id: Code("koeln")!, name: "Stadt Köln", publicKey: Self.koelnAuthority.publicKey,
                    documentTypes: [Fixtures.birth, Fixtures.permit], saltedDocumentTypes: [Fixtures.permit])),
            .rotateAuthorityKey(Code("koeln")!, new: Self.koeln.publicKey),
            .setAuthorityTypes(Code("koeln")!, documentTypes: [Fixtures.birth], salted: []),
        ]
        for action in actions {
            let transaction = Self.tx(
                .proposeGovernance(.init(action: action, expiresAt: 10)), by: Self.validatorKeys[0])
            let decoded = try Transaction(decoding: transaction.encoded)
            #expect(decoded == transaction)
            #expect(decoded.hasValidSignature(chainId: Fixtures.chainId))
            for cut in [1, 5, 40] where cut < transaction.encoded.count {
                #expect(throws: CodecError.self) { try Transaction(decoding: Array(transaction.encoded.dropLast(cut))) }
            }
            let record = ProposalRecord(
                id: 3, action: action, proposer: Self.koeln.publicKey, proposedHeight: 2, expiresAt: 10,
                approvals: [Self.koeln.publicKey], rejections: [], status: .approved(height: 4, effective: 6),
                proposalTx: transaction.id)
            #expect(try ProposalRecord(decoding: record.encoded) == record)
        }
        var schedule = ValidatorSchedule(genesis: Self.genesis.validators)
        schedule.pending = [1, 2]
        schedule.retiredKeys = [Self.koeln.publicKey]
        #expect(try ValidatorSchedule(decoding: schedule.encoded) == schedule)
        var bad = Self.vote(1, by: 0).encoded
        bad[bad.count - 65] = 2  // approve must be 0 or 1
        #expect(throws: CodecError.self) { try Transaction(decoding: bad) }
    }

    @Test("a sparse set binds its member indices in its hash; a dense one keeps the first release's hash")
    func sparseSetHash() {
        let members = Self.genesis.validators.members
        let dense = ValidatorSet(members: members)
        #expect(dense.hash == Self.genesis.validators.hash)
        let shifted = ValidatorSet(
            members: members.enumerated().map { (ValidatorIndex(UInt16($0.offset * 2)), $0.element.validator) })
        #expect(!shifted.isDense)
        #expect(shifted.hash != dense.hash)
        #expect(shifted[ValidatorIndex(2)] == members[1].validator)
        #expect(shifted[ValidatorIndex(1)] == nil)
        var reader = ByteReader(shifted.encoded)
        #expect(try! ValidatorSet(from: &reader, field: "set") == shifted)
    }
}

/// `ValidatorSetChain`: a verifier that trusts only the genesis follows set changes, each under a
/// commit of the set before it; anything hidden, forged or out of order is refused.
@Suite("Validator set chain")
struct ValidatorSetChainTests {
    let genesis = GovernanceTests.genesis
    let keys = GovernanceTests.validatorKeys

    /// A header at `height` signed by `set` (commit by `signers`, keys by member index) naming `next`.
    func change(
        at height: UInt64, from set: ValidatorSet, to next: ValidatorSet, signers: [(ValidatorIndex, SigningKey)]
    ) -> ValidatorSetChange {
        let header = BlockHeader(
            chainId: Fixtures.chainId, height: Height(height - 1), time: Fixtures.at(height), previousHash: .zero,
            lastCommitHash: .zero, txRoot: .zero, txCount: 0, validatorsHash: set.hash, nextValidatorsHash: next.hash,
            evidenceHash: .zero, stateRoot: .zero, proposer: ValidatorIndex(0))
        let votes = signers.map { index, key in
            Vote.sign(
                type: .precommit, height: header.height, round: 0, block: header.hash, validator: index,
                chainId: Fixtures.chainId, key: key)
        }
        return ValidatorSetChange(
            height: height, validators: Hex.encode(next.encoded), block_header: Hex.encode(header.encoded),
            commit: Hex.encode(Commit(precommits: votes).encoded))
    }

    var withKoeln: ValidatorSet {
        ValidatorSet(
            members: genesis.validators.members + [
                (
                    ValidatorIndex(4),
                    Validator(
                        name: "Köln", publicKey: GovernanceTests.koeln.publicKey, peerAddress: "h:1", power: 1)
                )
            ])
    }

    var withoutV3: ValidatorSet {
        ValidatorSet(members: withKoeln.members.filter { $0.index != ValidatorIndex(3) })
    }

    func signers(_ indices: [Int], extra: [(ValidatorIndex, SigningKey)] = []) -> [(ValidatorIndex, SigningKey)] {
        indices.map { (ValidatorIndex(UInt16($0)), keys[$0]) } + extra
    }

    @Test("two changes, each signed by the set before it, lead to the set of a later height")
    func followsChanges() throws {
        let first = change(at: 10, from: genesis.validators, to: withKoeln, signers: signers([0, 1, 2]))
        let second = change(
            at: 20, from: withKoeln, to: withoutV3,
            signers: signers([0, 1, 2], extra: [(ValidatorIndex(4), GovernanceTests.koeln)]))
        #expect(try ValidatorSetChain.set(at: 5, changes: [first, second], genesis: genesis) == genesis.validators)
        #expect(try ValidatorSetChain.set(at: 10, changes: [first, second], genesis: genesis) == withKoeln)
        #expect(try ValidatorSetChain.set(at: 19, changes: [first, second], genesis: genesis) == withKoeln)
        #expect(try ValidatorSetChain.set(at: 99, changes: [first, second], genesis: genesis) == withoutV3)
    }

    @Test("a hidden change, a weak or forged commit, a wrong next set or disorder is refused")
    func refusesLies() {
        let first = change(at: 10, from: genesis.validators, to: withKoeln, signers: signers([0, 1, 2]))
        let second = change(
            at: 20, from: withKoeln, to: withoutV3,
            signers: signers([0, 1, 2], extra: [(ValidatorIndex(4), GovernanceTests.koeln)]))
        func refused(_ changes: [ValidatorSetChange]) -> Bool {
            (try? ValidatorSetChain.set(at: 99, changes: changes, genesis: genesis)) == nil
        }
        #expect(refused([second]), "the first change was hidden")
        #expect(refused([second, first]), "out of order")
        #expect(refused([change(at: 10, from: genesis.validators, to: withKoeln, signers: signers([0, 1]))]))
        // Köln's own key cannot vouch for its admission: it is not in the set before.
        #expect(
            refused([
                change(
                    at: 10, from: genesis.validators, to: withKoeln,
                    signers: signers([0, 1], extra: [(ValidatorIndex(3), GovernanceTests.koeln)]))
            ]))
        var wrongSet = first
        wrongSet.validators = Hex.encode(withoutV3.encoded)
        #expect(refused([wrongSet]), "the header names another set")
        var garbage = first
        garbage.commit = "00"
        #expect(refused([garbage]))
        var wrongHeight = first
        wrongHeight.height = 11
        #expect(refused([wrongHeight]))
    }
}
