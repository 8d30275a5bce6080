import GovChainCore
import Testing

@testable import GovChainConsensus

/// Consensus across a validator set change (issue 10): the rotation names member indices, and an
/// instance moves to the next height's set between heights.
@Suite("Validator set changes in consensus")
struct ValidatorChangeTests {
    static func member(_ index: UInt16, power: UInt64 = 1) -> (index: ValidatorIndex, validator: Validator) {
        let key = try! SigningKey(seed: [UInt8](repeating: UInt8(index + 60), count: 32))
        return (
            ValidatorIndex(index),
            Validator(name: "m\(index)", publicKey: key.publicKey, peerAddress: "h:1", power: power)
        )
    }

    @Test("the proposer rotation of a sparse set names only its members, each by its power")
    func sparseRotation() {
        let set = ValidatorSet(members: [Self.member(0), Self.member(2, power: 2), Self.member(7)])
        let schedule = ProposerSchedule(validators: set)
        var counts: [ValidatorIndex: Int] = [:]
        for slot in 0..<UInt64(schedule.cycle.count) {
            counts[schedule.proposer(height: Height(slot + 1), round: 0), default: 0] += 1
        }
        #expect(counts == [ValidatorIndex(0): 1, ValidatorIndex(2): 2, ValidatorIndex(7): 1])
    }

    @Test("a committed block with the next set moves the instance to it: new index, new proposers")
    func instanceSwitchesSets() {
        let keys = (0..<4).map { try! SigningKey(seed: [UInt8](repeating: UInt8($0 + 60), count: 32)) }
        let old = ValidatorSet(members: (0..<3).map { Self.member(UInt16($0)) })
        let new = ValidatorSet(members: [Self.member(0), Self.member(1), Self.member(3)])
        let configuration = ConsensusConfiguration(
            chainId: ChainID("test-chain")!, validators: old, timeouts: TimeoutParameters(Genesis.ConsensusParameters())
        )
        var instance = ConsensusInstance(configuration: configuration, signer: keys[3], height: 1)
        #expect(instance.index == nil, "member 3 is not in the first set")
        let block = Block.make(
            chainId: ChainID("test-chain")!, height: 1, time: Timestamp(rawValue: 1), previousHash: .zero,
            lastCommit: nil, transactions: [], validators: old, proposer: ValidatorIndex(0),
            nextValidatorsHash: new.hash)
        _ = instance.step(
            .committed(block, Commit(height: 1, round: 0, blockHash: block.hash, signatures: []), nextValidators: new))
        #expect(instance.height == 2)
        #expect(instance.index == ValidatorIndex(3))
        #expect(instance.configuration.validators == new)
        #expect(new.indices.contains(instance.proposer(height: 2, round: 0)))
    }
}
