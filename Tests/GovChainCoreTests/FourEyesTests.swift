import Foundation
import Synchronization
import Testing

@testable import GovChainCore

/// Four-eyes signing (issue 10, Deliver 4): an authority puts document types under four eyes, and
/// their anchor, revoke and supersede then need a second clerk's signature; the co-signed
/// transaction's bytes and the records that name both clerks.
@Suite("Four eyes")
struct FourEyesTests {
    typealias Chain = GovernanceTests.Chain
    static let aachen = Code("aachen")!
    static let supervisor = Fixtures.key(50)
    static let permitClerk = Fixtures.key(51)

    static func tx(_ body: TransactionBody, by key: SigningKey) -> Transaction { GovernanceTests.tx(body, by: key) }

    static func register(_ clerk: SigningKey, _ types: [Code]) -> Transaction {
        tx(
            .registerClerk(.init(authority: aachen, clerk: clerk.publicKey, documentTypes: types)),
            by: Fixtures.aachenKey)
    }

    static func fourEyes(_ types: [Code], by key: SigningKey = Fixtures.aachenKey) -> Transaction {
        tx(.setFourEyes(.init(authority: aachen, documentTypes: types)), by: key)
    }

    /// `body` signed by `first`, co-signed by `second`.
    static func cosigned(
        _ body: TransactionBody, by first: SigningKey = Fixtures.aachenClerk, and second: SigningKey = supervisor
    ) -> Transaction {
        let nonce = GovernanceTests.nonce.withLock {
            $0 += 1
            return $0
        }
        return Transaction.Pending(
            body: body, time: Fixtures.at(0), nonce: nonce, chainId: Fixtures.chainId, key: first
        )
        .cosigned(chainId: Fixtures.chainId, key: second)
    }

    static func anchorBody(_ text: String) -> TransactionBody {
        .anchorDocument(.init(document: Fixtures.hash(text), documentType: Fixtures.birth, authority: aachen))
    }

    static func revokeBody(_ text: String) -> TransactionBody {
        .revokeDocument(.init(document: Fixtures.hash(text), reason: .annulment, effective: Fixtures.at(50_000)))
    }

    /// A chain where Aachen has a second birth-certificate clerk (the supervisor) and a permit clerk.
    static func chain() -> Chain {
        var chain = Chain()
        let codes = chain.block([
            register(supervisor, [Fixtures.birth]), register(permitClerk, [Fixtures.permit]),
        ])
        precondition(codes == [nil, nil], "fixture clerks")
        return chain
    }

    @Test(
        "under four eyes a single signature is refused with cosignature_required; a second clerk's makes it apply, and both are recorded"
    )
    func singleRefusedCosignedApplies() throws {
        var chain = Self.chain()
        #expect(chain.block([Fixtures.anchor("before")]) == [nil])
        #expect(chain.block([Self.fourEyes([Fixtures.birth])]) == [nil])
        #expect(chain.block([Fixtures.anchor("single")]) == ["cosignature_required"])
        #expect(chain.block([Self.cosigned(Self.anchorBody("pair"))]) == [nil])
        let record = try #require(chain.state.documents[Fixtures.hash("pair")])
        #expect(record.clerk == Fixtures.aachenClerk.publicKey)
        #expect(record.cosigner == Self.supervisor.publicKey)
        #expect(record.statusCosigner == nil)
        // Another authority, and another type of the same authority, are not affected.
        #expect(chain.block([Fixtures.anchor("soest", by: Fixtures.soestClerk, authority: "soest")]) == [nil])
        #expect(chain.block([Fixtures.anchor("permit", by: Self.permitClerk, type: Fixtures.permit)]) == [nil])
        // Revoking a document anchored before the rule also needs four eyes now.
        #expect(chain.block([Self.tx(Self.revokeBody("before"), by: Fixtures.aachenClerk)]) == ["cosignature_required"])
        #expect(
            chain.block([Self.cosigned(Self.revokeBody("before"), by: Self.supervisor, and: Fixtures.aachenClerk)]) == [
                nil
            ])
        let revoked = try #require(chain.state.documents[Fixtures.hash("before")])
        #expect(revoked.cosigner == nil)
        #expect(revoked.statusCosigner == Fixtures.aachenClerk.publicKey)
        guard case .revoked(_, _, _, _, let by) = revoked.status else { Issue.record("not revoked"); return }
        #expect(by == Self.supervisor.publicKey)
        // Supersede: the old record names the co-signer of its supersession, the new one of its anchoring.
        let supersede = TransactionBody.supersedeDocument(
            .init(old: Fixtures.hash("pair"), new: Fixtures.hash("pair 2"), effective: Fixtures.at(50_000)))
        #expect(chain.block([Self.tx(supersede, by: Fixtures.aachenClerk)]) == ["cosignature_required"])
        #expect(chain.block([Self.cosigned(supersede)]) == [nil])
        #expect(chain.state.documents[Fixtures.hash("pair")]?.statusCosigner == Self.supervisor.publicKey)
        #expect(chain.state.documents[Fixtures.hash("pair 2")]?.cosigner == Self.supervisor.publicKey)
        // Lifting the rule: one signature suffices again.
        #expect(chain.block([Self.fourEyes([])]) == [nil])
        #expect(chain.block([Fixtures.anchor("single")]) == [nil])
    }

    @Test("the co-signer must be another active clerk of the same authority, registered for the type")
    func cosignerChecked() {
        var chain = Self.chain()
        #expect(chain.block([Self.fourEyes([Fixtures.birth])]) == [nil])
        // A clerk of another authority, a clerk not registered for the type, an unknown key.
        #expect(chain.block([Self.cosigned(Self.anchorBody("a"), and: Fixtures.soestClerk)]) == ["cosigner_invalid"])
        #expect(chain.block([Self.cosigned(Self.anchorBody("b"), and: Self.permitClerk)]) == ["cosigner_invalid"])
        #expect(chain.block([Self.cosigned(Self.anchorBody("c"), and: Fixtures.key(60))]) == ["cosigner_invalid"])
        // A revoked clerk no longer co-signs.
        let revokeSupervisor = Self.tx(
            .revokeClerk(.init(authority: Self.aachen, clerk: Self.supervisor.publicKey)), by: Fixtures.aachenKey)
        #expect(chain.block([revokeSupervisor]) == [nil])
        #expect(chain.block([Self.cosigned(Self.anchorBody("d"))]) == ["cosigner_invalid"])
        // Without a rule a co-signature is optional, but still checked when present.
        var open = Self.chain()
        #expect(open.block([Self.cosigned(Self.anchorBody("e"), and: Fixtures.soestClerk)]) == ["cosigner_invalid"])
        #expect(open.block([Self.cosigned(Self.anchorBody("f"))]) == [nil])
        #expect(open.state.documents[Fixtures.hash("f")]?.cosigner == Self.supervisor.publicKey)
    }

    @Test("only the authority key sets the rule, for types the authority issues; governance changes keep it")
    func ruleItself() throws {
        var chain = Self.chain()
        #expect(chain.block([Self.fourEyes([Fixtures.birth], by: Fixtures.aachenClerk)]) == ["not_authority_key"])
        #expect(chain.block([Self.fourEyes([Fixtures.birth], by: Fixtures.soestKey)]) == ["not_authority_key"])
        #expect(chain.block([Self.fourEyes([Code("passport")!])]) == ["document_type_not_issued"])
        #expect(chain.block([Self.fourEyes([Fixtures.birth, Fixtures.permit])]) == [nil])
        #expect(chain.state.authorities[Self.aachen]?.fourEyesDocumentTypes == [Fixtures.birth, Fixtures.permit])
        // A rotated authority key keeps the rule; narrowing the types keeps it for those that remain.
        let newKey = Fixtures.key(61)
        chain.block([
            GovernanceTests.propose(.rotateAuthorityKey(Self.aachen, new: newKey.publicKey), by: 0),
            GovernanceTests.vote(1, by: 1), GovernanceTests.vote(1, by: 2),
        ])
        #expect(chain.state.authorities[Self.aachen]?.publicKey == newKey.publicKey)
        #expect(chain.state.authorities[Self.aachen]?.fourEyesDocumentTypes == [Fixtures.birth, Fixtures.permit])
        chain.block([
            GovernanceTests.propose(
                .setAuthorityTypes(Self.aachen, documentTypes: [Fixtures.birth], salted: []), by: 0),
            GovernanceTests.vote(2, by: 1), GovernanceTests.vote(2, by: 2),
        ])
        #expect(chain.state.authorities[Self.aachen]?.fourEyesDocumentTypes == [Fixtures.birth])
        #expect(chain.block([Fixtures.anchor("single")]) == ["cosignature_required"])
        #expect(chain.block([Self.fourEyes([], by: Fixtures.aachenKey)]) == ["not_authority_key"])
        #expect(chain.block([Self.fourEyes([], by: newKey)]) == [nil])
    }

    @Test(
        "co-signed bytes: round trip; the first signature covers version 2, so the second cannot be stripped; tampering is caught"
    )
    func transactionBytes() throws {
        let transaction = Self.cosigned(Self.anchorBody("bytes"))
        #expect(transaction.version == 2)
        #expect(transaction.encoded.first == 2)
        #expect(transaction.encoded.count == transaction.pending.encoded.count + 32 + 64)
        let decoded = try Transaction(decoding: transaction.encoded)
        #expect(decoded == transaction)
        #expect(decoded.cosignature?.cosigner == Self.supervisor.publicKey)
        #expect(decoded.hasValidSignature(chainId: Fixtures.chainId))
        #expect(!decoded.hasValidSignature(chainId: ChainID("other-chain")!))
        // Stripped of its co-signature and relabelled version 1: decodes, but the signature fails.
        var stripped = transaction.pending.encoded
        stripped[0] = 1
        #expect(!(try Transaction(decoding: stripped)).hasValidSignature(chainId: Fixtures.chainId))
        // Every byte of either signature, or of the co-signer key, matters.
        let bytes = transaction.encoded
        for index in [bytes.count - 1, bytes.count - 64, bytes.count - 65, bytes.count - 96, bytes.count - 97] {
            var tampered = bytes
            tampered[index] ^= 0x01
            let parsed = try? Transaction(decoding: tampered)
            #expect(parsed?.hasValidSignature(chainId: Fixtures.chainId) != true, "byte \(index)")
        }
        // The pending part round-trips alone and is not a transaction; a transaction is not pending.
        let pending = try Transaction.Pending(decoding: transaction.pending.encoded)
        #expect(pending == transaction.pending)
        #expect(pending.hasValidSignature(chainId: Fixtures.chainId))
        #expect(throws: CodecError.self) { try Transaction(decoding: transaction.pending.encoded) }
        #expect(throws: CodecError.self) { try Transaction.Pending(decoding: transaction.encoded) }
        // Co-signer = signer, and version 2 for a non-document kind, are refused when decoding.
        var same = transaction.pending.encoded
        same += Fixtures.aachenClerk.publicKey.bytes + [UInt8](repeating: 0, count: 64)
        #expect(throws: CodecError.self) { try Transaction(decoding: same) }
        let register = Transaction.Pending(
            body: .registerClerk(
                .init(authority: Self.aachen, clerk: Self.supervisor.publicKey, documentTypes: [Fixtures.birth])),
            time: Fixtures.at(0), nonce: 1, chainId: Fixtures.chainId, key: Fixtures.aachenKey)
        #expect(throws: CodecError.self) { try Transaction.Pending(decoding: register.encoded) }
        #expect(throws: CodecError.self) {
            try Transaction(decoding: register.cosigned(chainId: Fixtures.chainId, key: Self.supervisor).encoded)
        }
    }

    @Test("records: version 2 only with a co-signer; version-1 bytes unchanged; the authority trailer only when set")
    func recordBytes() throws {
        var chain = Self.chain()
        chain.block([Fixtures.anchor("plain"), Self.cosigned(Self.anchorBody("pair"))])
        let plain = try #require(chain.state.documents[Fixtures.hash("plain")])
        let pair = try #require(chain.state.documents[Fixtures.hash("pair")])
        #expect(plain.encoded.first == 1)
        #expect(pair.encoded.first == 2)
        var asVersion1 = pair
        asVersion1.cosigner = nil
        #expect(
            pair.encoded == asVersion1.encoded.replacing([1], with: [2], maxReplacements: 1) + [1]
                + Self.supervisor.publicKey.bytes + [0])
        #expect(try DocumentRecord(decoding: pair.encoded) == pair)
        #expect(try DocumentRecord(decoding: plain.encoded) == plain)
        // Version 2 without a co-signer is not canonical; a valid record has no status co-signer.
        var noCosigner = plain.encoded
        noCosigner[0] = 2
        #expect(throws: CodecError.self) { try DocumentRecord(decoding: noCosigner + [0, 0]) }
        #expect(throws: CodecError.self) {
            try DocumentRecord(decoding: noCosigner + [0, 1] + Self.supervisor.publicKey.bytes)
        }
        // Authority records: the trailer appears with a rule, and an empty trailer is refused.
        let genesisAachen = AuthorityRecord(Fixtures.genesis.authority(Self.aachen)!)
        var ruled = genesisAachen
        ruled.fourEyesDocumentTypes = [Fixtures.birth]
        #expect(ruled.encoded.count > genesisAachen.encoded.count)
        #expect(try AuthorityRecord(decoding: ruled.encoded) == ruled)
        #expect(try AuthorityRecord(decoding: genesisAachen.encoded) == genesisAachen)
        #expect(throws: CodecError.self) { try AuthorityRecord(decoding: genesisAachen.encoded + [0, 0]) }
        // The set-four-eyes transaction round-trips.
        let rule = Self.fourEyes([Fixtures.birth, Fixtures.permit])
        #expect(try Transaction(decoding: rule.encoded) == rule)
    }
}
