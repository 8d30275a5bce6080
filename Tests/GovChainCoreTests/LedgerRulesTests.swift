import Testing

@testable import GovChainCore

/// Each rule of design §4/§5, and each refusal with its code.
@Suite struct LedgerRulesTests {
    let rules = LedgerRules(genesis: Fixtures.genesis)

    /// Applies transactions one by one, as consecutive blocks of one transaction each.
    /// Returns the final state and the error code of each (nil when applied).
    func run(_ transactions: [Transaction]) -> (MemoryState, [String?]) {
        var state = MemoryState()
        state.merge(rules.genesisState())
        var codes: [String?] = []
        for (i, tx) in transactions.enumerated() {
            var overlay = LedgerOverlay(base: state)
            do {
                try rules.apply(
                    tx, at: TransactionLocation(height: Height(UInt64(i + 1)), index: 0),
                    blockTime: Fixtures.at(UInt64(i + 1) * 1000), to: &overlay)
                state.merge(overlay)
                codes.append(nil)
            } catch {
                #expect(overlay.isEmpty, "a refused transaction must leave no trace")
                codes.append(error.code.rawValue)
            }
        }
        return (state, codes)
    }

    func code(_ transactions: [Transaction]) -> String? { run(transactions).1.last! }

    let newClerk = Fixtures.key(20)
    var register: Transaction {
        Fixtures.tx(
            .registerClerk(
                .init(authority: Code("aachen")!, clerk: newClerk.publicKey, documentTypes: [Fixtures.permit])),
            by: Fixtures.aachenKey)
    }

    @Test func clerkAnchorsForItsAuthority() {
        let (state, codes) = run([Fixtures.anchor("doc")])
        #expect(codes == [nil])
        let record = state.documents[Fixtures.hash("doc")]
        #expect(record?.authority == Code("aachen"))
        #expect(record?.status == .valid)
        #expect(record?.anchoredHeight == 1)
        #expect(record?.anchoredTime == Fixtures.at(1000))
    }

    @Test func onlyTheAuthorityRegistersItsClerks() {
        #expect(code([register]) == nil)
        let forged = Fixtures.tx(
            .registerClerk(
                .init(authority: Code("aachen")!, clerk: newClerk.publicKey, documentTypes: [Fixtures.permit])),
            by: Fixtures.soestKey)
        #expect(code([forged]) == "not_authority_key")
        let unknown = Fixtures.tx(
            .registerClerk(
                .init(authority: Code("berlin")!, clerk: newClerk.publicKey, documentTypes: [Fixtures.permit])),
            by: Fixtures.aachenKey)
        #expect(code([unknown]) == "authority_unknown")
        let foreignType = Fixtures.tx(
            .registerClerk(
                .init(authority: Code("soest")!, clerk: newClerk.publicKey, documentTypes: [Fixtures.permit])),
            by: Fixtures.soestKey)
        #expect(code([foreignType]) == "document_type_not_issued")
        #expect(
            code([register, Fixtures.tx(register.body, by: Fixtures.aachenKey, nonce: 1)]) == "clerk_already_registered"
        )
        let authorityAsClerk = Fixtures.tx(
            .registerClerk(
                .init(authority: Code("aachen")!, clerk: Fixtures.soestKey.publicKey, documentTypes: [Fixtures.birth])),
            by: Fixtures.aachenKey)
        #expect(code([authorityAsClerk]) == "clerk_key_is_authority")
    }

    @Test func registeredClerkAnchorsOnlyItsTypes() {
        let permit = Fixtures.anchor("permit", by: newClerk, type: Fixtures.permit)
        let birth = Fixtures.anchor("birth", by: newClerk, type: Fixtures.birth)
        #expect(run([register, permit]).1 == [nil, nil])
        #expect(code([register, birth]) == "document_type_not_allowed")
        #expect(code([permit]) == "clerk_not_registered")
    }

    @Test func clerkCannotActForAnotherAuthority() {
        #expect(code([Fixtures.anchor("doc", by: Fixtures.soestClerk, authority: "aachen")]) == "clerk_wrong_authority")
        #expect(
            code([Fixtures.anchor("doc", by: Fixtures.soestClerk, authority: "nowhere")]) == "clerk_wrong_authority")
    }

    @Test func revokedClerkIsRefusedButItsEarlierAnchorsStay() {
        let revokeClerk = Fixtures.tx(
            .revokeClerk(.init(authority: Code("aachen")!, clerk: newClerk.publicKey)), by: Fixtures.aachenKey)
        let before = Fixtures.anchor("before", by: newClerk, type: Fixtures.permit)
        let after = Fixtures.anchor("after", by: newClerk, type: Fixtures.permit)
        let (state, codes) = run([register, before, revokeClerk, after])
        #expect(codes == [nil, nil, nil, "clerk_revoked"])
        #expect(state.documents[Fixtures.hash("before")]?.status == .valid)
        #expect(state.clerks[newClerk.publicKey]?.revokedHeight == 3)
        #expect(
            code([register, revokeClerk, Fixtures.tx(revokeClerk.body, by: Fixtures.aachenKey, nonce: 9)])
                == "clerk_already_revoked")
        let foreignRevoke = Fixtures.tx(
            .revokeClerk(.init(authority: Code("soest")!, clerk: newClerk.publicKey)), by: Fixtures.soestKey)
        #expect(code([register, foreignRevoke]) == "clerk_unknown")
    }

    @Test func hashIsAnchoredOnceAndTransactionAppliedOnce() {
        let first = Fixtures.anchor("doc")
        #expect(code([first, first]) == "transaction_already_applied")
        let second = Fixtures.tx(first.body, by: Fixtures.aachenClerk, nonce: 1)
        #expect(code([first, second]) == "document_already_anchored")
        #expect(
            code([Fixtures.anchor("doc"), Fixtures.anchor("doc", by: Fixtures.soestClerk, authority: "soest")])
                == "document_already_anchored")
    }

    @Test func revokeRules() {
        let anchor = Fixtures.anchor("doc")
        let revoke = Fixtures.tx(
            .revokeDocument(.init(document: Fixtures.hash("doc"), reason: .withdrawal, effective: Fixtures.at(1077))),
            by: Fixtures.aachenClerk)
        let (state, codes) = run([anchor, revoke])
        #expect(codes == [nil, nil])
        #expect(
            state.documents[Fixtures.hash("doc")]?.status
                == .revoked(
                    reason: .withdrawal, effective: Fixtures.at(1077), height: 2, tx: revoke.id,
                    by: Fixtures.aachenClerk.publicKey))
        #expect(code([revoke]) == "document_unknown")
        let foreign = Fixtures.tx(revoke.body, by: Fixtures.soestClerk)
        #expect(code([anchor, foreign]) == "clerk_wrong_authority")
        #expect(
            code([anchor, revoke, Fixtures.tx(revoke.body, by: Fixtures.aachenClerk, nonce: 3)])
                == "document_already_revoked")
    }

    @Test func supersedeRules() {
        let anchor = Fixtures.anchor("old")
        let supersede = Fixtures.tx(
            .supersedeDocument(
                .init(old: Fixtures.hash("old"), new: Fixtures.hash("new"), effective: Fixtures.at(1005))),
            by: Fixtures.aachenClerk)
        let (state, codes) = run([anchor, supersede])
        #expect(codes == [nil, nil])
        #expect(
            state.documents[Fixtures.hash("old")]?.status
                == .superseded(
                    by: Fixtures.hash("new"), effective: Fixtures.at(1005), height: 2, tx: supersede.id,
                    clerk: Fixtures.aachenClerk.publicKey))
        let new = state.documents[Fixtures.hash("new")]
        #expect(new?.status == .valid)
        #expect(new?.supersedes == Fixtures.hash("old"))
        #expect(new?.documentType == Fixtures.birth)
        #expect(code([supersede]) == "document_unknown")
        #expect(code([anchor, Fixtures.tx(supersede.body, by: Fixtures.soestClerk)]) == "clerk_wrong_authority")
        #expect(code([anchor, Fixtures.anchor("new"), supersede]) == "document_already_anchored")
        let revokeOld = Fixtures.tx(
            .revokeDocument(.init(document: Fixtures.hash("old"), reason: .correction, effective: Fixtures.at(1001))),
            by: Fixtures.aachenClerk)
        #expect(code([anchor, supersede, revokeOld]) == "document_already_superseded")
    }

    @Test func executorRefusesABlockWithOneBadTransaction() throws {
        let executor = BlockExecutor(rules: rules)
        let good = Fixtures.anchor("a")
        var forged = Fixtures.anchor("b")
        forged.signature = good.signature
        let base = { () -> MemoryState in
            var s = MemoryState(); s.merge(rules.genesisState()); return s
        }()
        let block = Block.make(
            chainId: Fixtures.chainId, height: 1, time: Fixtures.at(5), previousHash: .zero, lastCommit: nil,
            transactions: [good, forged], validators: Fixtures.genesis.validators, proposer: 0)
        #expect(throws: GovChainError.self) { try executor.execute(block, over: base, signaturesVerified: false) }
        let ok = Block.make(
            chainId: Fixtures.chainId, height: 1, time: Fixtures.at(5), previousHash: .zero, lastCommit: nil,
            transactions: [good, Fixtures.anchor("b")], validators: Fixtures.genesis.validators, proposer: 0)
        let changes = try executor.execute(ok, over: base, signaturesVerified: false)
        #expect(changes.documents.count == 2)
        #expect(changes.transactions[good.id] == TransactionLocation(height: 1, index: 0))
        let dup = Block.make(
            chainId: Fixtures.chainId, height: 1, time: Fixtures.at(5), previousHash: .zero, lastCommit: nil,
            transactions: [good, good], validators: Fixtures.genesis.validators, proposer: 0)
        #expect(throws: GovChainError.self) { try executor.execute(dup, over: base, signaturesVerified: true) }
    }
}
