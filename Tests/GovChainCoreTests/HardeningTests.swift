import Crypto
import Foundation
import Testing

@testable import GovChainCore

/// The byzantine-hardening rules of Core (issue "One lying municipality…"): each test fails on
/// the code before the fix (a block dated 2500 or 2^64−1 was accepted, `head.time + 1`
/// trapped, small-order keys were accepted, transactions never expired, a long UTF-8 name
/// trapped at startup).
@Suite("Hardening: block time, keys, ledger times, genesis limits")
struct HardeningTests {
    let rules = BlockRules(genesis: Fixtures.genesis)
    let parent = ChainTip(height: 1, hash: Hash32.sha256([1]), time: Fixtures.at(10_000))

    func block(
        time: Timestamp, height: Height = 2, previous: Hash32? = nil, transactions: [Transaction] = [],
        proposer: ValidatorIndex = 0, evidence: [DuplicateVoteEvidence] = []
    ) -> Block {
        Block.make(
            chainId: Fixtures.chainId, height: height, time: time, previousHash: previous ?? parent.hash,
            lastCommit: nil, transactions: transactions, validators: Fixtures.genesis.validators, proposer: proposer,
            evidence: evidence)
    }

    func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? GovChainError)?.code.rawValue ?? "\(error)"
        }
    }

    // MARK: - Block time

    @Test("a block dated beyond the local clock plus the drift is refused; within it, accepted")
    func futureBlockTime() {
        let clock = Fixtures.at(20_000)
        let drift = Fixtures.genesis.consensus.clockDriftMsMax
        #expect(drift == 10_000)
        let year2500 = Timestamp(rawValue: 16_725_225_600_000)
        #expect(
            code { try rules.checkExtends(block(time: year2500), tip: parent, localTime: clock) }
                == "block_time_in_future")
        #expect(
            code { try rules.checkExtends(block(time: Timestamp(rawValue: .max)), tip: parent, localTime: clock) }
                == "block_time_in_future")
        #expect(
            code {
                try rules.checkExtends(
                    block(time: Timestamp(rawValue: clock.rawValue + drift + 1)), tip: parent, localTime: clock)
            }
                == "block_time_in_future")
        #expect(
            code {
                try rules.checkExtends(
                    block(time: Timestamp(rawValue: clock.rawValue + drift)), tip: parent, localTime: clock)
            } == nil)
        // The store re-checks without a clock: only the order.
        #expect(code { try rules.checkExtends(block(time: year2500), tip: parent, localTime: nil) } == nil)
    }

    @Test("a block not later than its parent, or than the genesis for block 1, is refused")
    func timeOrder() {
        #expect(
            code { try rules.checkExtends(block(time: parent.time), tip: parent, localTime: nil) }
                == "block_time_not_increasing")
        let first = block(time: Fixtures.genesis.genesisTime, height: 1, previous: .zero)
        #expect(code { try rules.checkExtends(first, tip: nil, localTime: nil) } == "block_time_not_increasing")
    }

    @Test("the next block time never overflows: a parent at the end of time is an error, not a trap")
    func nextTimeIsChecked() throws {
        let end = ChainTip(height: 1, hash: parent.hash, time: Timestamp(rawValue: .max))
        #expect(code { _ = try rules.nextTime(after: end, localTime: Fixtures.at(1)) } == "block_time_exhausted")
        #expect(
            try rules.nextTime(after: parent, localTime: Fixtures.at(5))
                == Timestamp(rawValue: parent.time.rawValue + 1))
        #expect(try rules.nextTime(after: parent, localTime: Fixtures.at(50_000)) == Fixtures.at(50_000))
    }

    @Test("linkage, limits and proposer: each refused with its own code")
    func linkageAndLimits() {
        let time = Fixtures.at(11_000)
        #expect(
            code { try rules.checkExtends(block(time: time, height: 3), tip: parent, localTime: nil) }
                == "block_not_next")
        #expect(
            code { try rules.checkExtends(block(time: time, previous: .zero), tip: parent, localTime: nil) }
                == "block_wrong_previous")
        #expect(
            code { try rules.checkExtends(block(time: time, proposer: 7), tip: parent, localTime: nil) }
                == "block_proposer_unknown")
        var small = rules
        small.blockTxsMax = 1
        let two = block(time: time, transactions: [Fixtures.anchor("a"), Fixtures.anchor("b")])
        #expect(code { try small.checkExtends(two, tip: parent, localTime: nil) } == "block_too_large")
        small = rules
        small.blockBytesMax = 100
        #expect(code { try small.checkExtends(two, tip: parent, localTime: nil) } == "block_too_large")
        let overflow = ChainTip(height: Height(.max), hash: parent.hash, time: parent.time)
        #expect(code { try rules.checkExtends(block(time: time), tip: overflow, localTime: nil) } == "block_not_next")
    }

    @Test("evidence: not from a later height, and one equivocation once per block")
    func evidenceRules() throws {
        let key = Fixtures.validatorKey
        func vote(_ block: Hash32?, height: Height) -> Vote {
            Vote.sign(
                type: .prevote, height: height, round: 0, block: block, validator: 0, chainId: Fixtures.chainId,
                key: key)
        }
        let evidence = try #require(DuplicateVoteEvidence(vote(nil, height: 2), vote(Hash32.sha256([7]), height: 2)))
        let third = try #require(DuplicateVoteEvidence(vote(nil, height: 2), vote(Hash32.sha256([8]), height: 2)))
        #expect(evidence.slot == third.slot)
        let time = Fixtures.at(11_000)
        #expect(
            code { try rules.checkExtends(block(time: time, evidence: [evidence]), tip: parent, localTime: nil) } == nil
        )
        #expect(
            code {
                try rules.checkExtends(block(time: time, evidence: [evidence, third]), tip: parent, localTime: nil)
            } == "block_evidence_invalid")
        let later = try #require(DuplicateVoteEvidence(vote(nil, height: 3), vote(Hash32.sha256([7]), height: 3)))
        #expect(
            code { try rules.checkExtends(block(time: time, evidence: [later]), tip: parent, localTime: nil) }
                == "block_evidence_invalid")
    }

    // MARK: - Small-order keys

    @Test("small-order public keys are refused: for the identity, R = B and S = 1 forge any message")
    func smallOrderKeys() throws {
        let identity = [1] + [UInt8](repeating: 0, count: 31)
        // The attack is real: swift-crypto verifies the forged signature for the identity key.
        let basePoint = Hex.decode("5866666666666666666666666666666666666666666666666666666666666666")!
        let forged = basePoint + [1] + [UInt8](repeating: 0, count: 31)
        let raw = try Curve25519.Signing.PublicKey(rawRepresentation: identity)
        #expect(raw.isValidSignature(forged, for: Array("any message at all".utf8)))
        #expect(PublicKey(identity) == nil)
        let smallOrder = [
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        ]
        for hex in smallOrder {
            var bytes = Hex.decode(hex)!
            #expect(PublicKey(bytes) == nil, "\(hex)")
            bytes[31] ^= 0x80  // the other sign
            #expect(PublicKey(bytes) == nil, "\(hex) with the sign bit flipped")
        }
        #expect(PublicKey(Fixtures.aachenClerk.publicKey.bytes) != nil)
        var file = Fixtures.genesisFile()
        file.initial_clerks![0].public_key = Hex.encode(identity)
        #expect(code { _ = try Genesis(validating: file) } == "genesis_invalid")
    }

    // MARK: - Ledger times

    func apply(
        _ transaction: Transaction, blockTime: Timestamp, over state: LedgerOverlay? = nil
    ) -> (String?, LedgerOverlay) {
        var overlay = state ?? LedgerRules(genesis: Fixtures.genesis).genesisState()
        let rules = LedgerRules(genesis: Fixtures.genesis)
        do {
            try rules.apply(
                transaction, at: TransactionLocation(height: 1, index: 0), blockTime: blockTime, to: &overlay)
            return (nil, overlay)
        } catch {
            return (error.code.rawValue, overlay)
        }
    }

    @Test("a signed transaction applies only within 24 hours of its own time: it expires")
    func transactionWindow() {
        let day: UInt64 = 86_400_000
        let anchor = Fixtures.tx(
            .anchorDocument(
                .init(document: Fixtures.hash("w"), documentType: Fixtures.birth, authority: Code("aachen")!)),
            by: Fixtures.aachenClerk, time: Fixtures.at(day))
        #expect(apply(anchor, blockTime: Fixtures.at(2 * day)).0 == nil)
        #expect(apply(anchor, blockTime: Fixtures.at(0)).0 == nil)
        #expect(apply(anchor, blockTime: Fixtures.at(2 * day + 1)).0 == "transaction_time_outside_window")
        #expect(
            apply(anchor, blockTime: Timestamp(rawValue: Fixtures.genesisMs - 1)).0 == "transaction_time_outside_window"
        )
    }

    @Test("validity and effective times are plausible: not a century ahead, not before the document began")
    func plausibleTimes() {
        let century = LedgerRules.documentHorizonMs
        let far = Fixtures.tx(
            .anchorDocument(
                .init(
                    document: Fixtures.hash("f"), documentType: Fixtures.birth, authority: Code("aachen")!,
                    validUntil: Fixtures.at(century + 1))), by: Fixtures.aachenClerk)
        #expect(apply(far, blockTime: Fixtures.at(0)).0 == "document_time_implausible")
        let anchor = Fixtures.tx(
            .anchorDocument(
                .init(
                    document: Fixtures.hash("e"), documentType: Fixtures.birth, authority: Code("aachen")!,
                    validFrom: Fixtures.at(100))), by: Fixtures.aachenClerk)
        let (refused, anchored) = apply(anchor, blockTime: Fixtures.at(1_000))
        #expect(refused == nil)
        func revoke(effective: Timestamp) -> String? {
            let revoke = Fixtures.tx(
                .revokeDocument(.init(document: Fixtures.hash("e"), reason: .withdrawal, effective: effective)),
                by: Fixtures.aachenClerk, nonce: effective.rawValue)
            var state = anchored
            let rules = LedgerRules(genesis: Fixtures.genesis)
            do {
                try rules.apply(
                    revoke, at: TransactionLocation(height: 2, index: 0), blockTime: Fixtures.at(2_000), to: &state)
                return nil
            } catch { return error.code.rawValue }
        }
        #expect(revoke(effective: Fixtures.at(100)) == nil)  // back to when the document began
        #expect(revoke(effective: Fixtures.at(99)) == "effective_time_implausible")
        #expect(revoke(effective: Fixtures.at(2_000 + LedgerRules.effectiveAheadMaxMs)) == nil)
        #expect(revoke(effective: Fixtures.at(2_001 + LedgerRules.effectiveAheadMaxMs)) == "effective_time_implausible")
        #expect(revoke(effective: Timestamp(rawValue: .max)) == "effective_time_implausible")
    }

    // MARK: - Genesis limits

    @Test("a long non-ASCII name, an oversized block limit and bad drift values are errors, not traps")
    func genesisLimits() throws {
        var file = Fixtures.genesisFile()
        file.validators![0].name = String(repeating: "Ü", count: 64)  // 64 characters, 128 bytes
        #expect(code { _ = try Genesis(validating: file) } == "genesis_invalid")
        file = Fixtures.genesisFile()
        file.authorities![0].name = String(repeating: "ß", count: 100)  // 200 bytes: accepted
        #expect(code { _ = try Genesis(validating: file) } == nil)
        file.authorities![0].name = String(repeating: "€", count: 100)  // 300 bytes: over the 255-byte field
        #expect(code { _ = try Genesis(validating: file) } == "genesis_invalid")
        file = Fixtures.genesisFile()
        file.consensus?.max_block_bytes = 8 << 20
        #expect(code { _ = try Genesis(validating: file) } == "genesis_invalid")
        file.consensus?.max_block_bytes = Genesis.ConsensusParameters.blockBytesLimit
        #expect(code { _ = try Genesis(validating: file) } == nil)
        file.consensus?.max_clock_drift_ms = 0
        #expect(code { _ = try Genesis(validating: file) } == "genesis_invalid")
    }

    @Test("the drift and the transaction window are part of the genesis hash")
    func parametersAreHashed() throws {
        let base = try Genesis(validating: Fixtures.genesisFile())
        var file = Fixtures.genesisFile()
        file.consensus?.max_clock_drift_ms = 10_000
        file.consensus?.tx_time_window_ms = 86_400_000
        #expect(try Genesis(validating: file).hash == base.hash)  // the defaults, written out
        file.consensus?.max_clock_drift_ms = 5_000
        #expect(try Genesis(validating: file).hash != base.hash)
        file = Fixtures.genesisFile()
        file.consensus?.tx_time_window_ms = 3_600_000
        #expect(try Genesis(validating: file).hash != base.hash)
    }
}
