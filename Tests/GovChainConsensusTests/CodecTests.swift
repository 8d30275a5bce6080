import GovChainConsensus
import GovChainCore
import Testing

@Suite("Consensus codecs")
struct CodecTests {
    let block = Fixture.block(1)

    @Test("proposal sign bytes: domain tag, chain id, height, round, optional valid round, block hash")
    func proposalSignBytesKnownAnswer() {
        let bytes = Proposal.signBytes(
            height: 7, round: 2, validRound: 1, blockHash: Hash32(hex: String(repeating: "ab", count: 32))!,
            chainId: ChainID("c")!)
        let expected =
            [UInt8(20)] + Array("govchain/proposal/v1".utf8) + [1] + Array("c".utf8)
            + [0, 0, 0, 0, 0, 0, 0, 7] + [0, 0, 0, 2] + [1, 0, 0, 0, 1] + [UInt8](repeating: 0xab, count: 32)
        #expect(bytes == expected)
        let none = Proposal.signBytes(height: 7, round: 2, validRound: nil, blockHash: .zero, chainId: ChainID("c")!)
        #expect(none.count == expected.count - 4)
    }

    @Test("proposal and message round trip; the layout starts with version and tag")
    func messageRoundTrip() throws {
        let message = Fixture.proposal(block, round: 3, validRound: 1)
        let bytes = message.encoded
        #expect(Array(bytes.prefix(2)) == [1, 1])
        #expect(try ConsensusMessage(decoding: bytes) == message)
        let vote = Fixture.vote(.precommit, round: 0, nil, from: 2)
        #expect(try ConsensusMessage(decoding: vote.encoded) == vote)
        #expect(Array(vote.encoded.prefix(3)) == [1, 2, VoteType.precommit.rawValue])
    }

    @Test("garbage is rejected with a reason, never a crash")
    func garbageRejected() {
        let bytes = Fixture.proposal(block, round: 3, validRound: 1).encoded
        #expect(throws: CodecError.self) { try ConsensusMessage(decoding: []) }
        #expect(throws: CodecError.self) { try ConsensusMessage(decoding: [9, 1]) }
        #expect(throws: CodecError.self) { try ConsensusMessage(decoding: [1, 7]) }
        #expect(throws: CodecError.self) { try ConsensusMessage(decoding: Array(bytes.dropLast())) }
        #expect(throws: CodecError.self) { try ConsensusMessage(decoding: bytes + [0]) }
        // validRound must be below round.
        var tampered = bytes
        tampered[2 + 8 + 4 + 1 + 3] = 9
        #expect(throws: CodecError.self) { try ConsensusMessage(decoding: tampered) }
    }

    @Test("signing state round trips, stores a shared lock block once, and rejects non-canonical forms")
    func signingStateCodec() throws {
        let value = ValueAtRound(round: 1, block: block)
        let signed = [
            Fixture.vote(.prevote, round: 1, block, from: 3), Fixture.vote(.precommit, round: 1, block, from: 3),
        ]
        let state = SigningState(recentlySigned: signed, chainId: Fixture.chainId, locked: value, valid: value)
        let bytes = state.encoded
        #expect(try SigningState(decoding: bytes, chainId: Fixture.chainId) == state)
        #expect(bytes.first == SigningState.version)
        #expect(bytes[bytes.count - 5] == 1)  // lockedTag 1: same block as valid, then round u32

        // The same state with the lock written out in full (tag 2) is not canonical.
        var longForm = Array(bytes.dropLast(5))
        longForm += [2, 0, 0, 0, 1]
        let encodedBlock = block.encoded
        longForm += withUnsafeBytes(of: UInt32(encodedBlock.count).bigEndian, Array.init) + encodedBlock
        #expect(throws: CodecError.self) { try SigningState(decoding: longForm, chainId: Fixture.chainId) }
        #expect(throws: CodecError.self) {
            try SigningState(decoding: [2] + bytes.dropFirst(), chainId: Fixture.chainId)
        }
    }
}
