import GovChainConsensus
import GovChainCore

/// Validator-set changes during a run (`SimulationOptions.setChanges`, issue 10): a validator
/// joins, one leaves and one rotates its key, at heights drawn from the seed, each in force from
/// its height as an approved governance change is (the ledger rules that approve them are tested
/// in `GovernanceTests`; here the consensus instances, the shell policy, block validity, sync and
/// the checker follow the set of each height). Byzantine validators stay in every set, and the
/// plan keeps their power below a third of every set's.
struct MembershipPlan: Sendable {
    enum Change: Sendable, Equatable {
        case add(ValidatorIndex)
        case remove(ValidatorIndex)
        case rotate(ValidatorIndex)
    }

    let genesis: ValidatorSet
    /// Each change with the height from which its set signs, in increasing height.
    private(set) var changes: [(height: Height, change: Change, set: ValidatorSet)] = []

    /// No changes: the genesis set throughout.
    init(genesis: ValidatorSet) {
        self.genesis = genesis
        schedules[genesis.hash] = ProposerSchedule(validators: genesis)
    }

    /// Draws one join, one removal of an honest validator (after the join, so that four
    /// validators with one byzantine stay four) and one key rotation of another honest
    /// validator, in a random order, at increasing heights below `heights` (at least 10).
    init(genesis: ValidatorSet, byzantine: Set<ValidatorIndex>, heights: Int, random: inout SimulationRandom) {
        self.init(genesis: genesis)
        var kinds = [0, 1, 2]
        random.shuffle(&kinds)
        if let add = kinds.firstIndex(of: 0), let remove = kinds.firstIndex(of: 1), remove < add {
            kinds.swapAt(add, remove)
        }
        var set = genesis
        let span = UInt64(max(heights - 2, 8)) / 4
        for (step, kind) in kinds.enumerated() {
            let height = 2 + UInt64(step + 1) * span + random.below(span / 2 + 1)
            let honest = set.members.map(\.index).filter { !byzantine.contains($0) }
            var members = set.members
            let change: Change
            switch kind {
            case 0:
                let joiner = ValidatorIndex(UInt16(genesis.count))
                let key = SimulationKeys.key(genesis.count).publicKey
                members.append(
                    (
                        joiner,
                        Validator(
                            name: "v\(genesis.count)", publicKey: key, peerAddress: "sim:\(genesis.count)", power: 10)
                    ))
                change = .add(joiner)
            case 1:
                // A genesis validator leaves (the joiner stays, so that its joining is seen).
                let candidates = honest.filter { Int($0.rawValue) < genesis.count }.filter { candidate in
                    let rest = members.filter { $0.index != candidate }
                    let total = rest.reduce(UInt64(0)) { $0 + $1.validator.power }
                    let faulty = rest.filter { byzantine.contains($0.index) }.reduce(UInt64(0)) {
                        $0 + $1.validator.power
                    }
                    return rest.count >= 2 && faulty * 3 < total
                }
                guard let leaving = candidates.isEmpty ? nil : candidates[Int(random.below(UInt64(candidates.count)))]
                else { continue }
                members.removeAll { $0.index == leaving }
                change = .remove(leaving)
            default:
                let candidates = honest.filter { Int($0.rawValue) < genesis.count }
                guard !candidates.isEmpty else { continue }
                let rotating = candidates[Int(random.below(UInt64(candidates.count)))]
                guard let position = members.firstIndex(where: { $0.index == rotating }) else { continue }
                members[position].validator.publicKey = SimulationKeys.rotatedKey(Int(rotating.rawValue)).publicKey
                change = .rotate(rotating)
            }
            members.sort { $0.index < $1.index }
            set = ValidatorSet(members: members)
            changes.append((Height(height), change, set))
            schedules[set.hash] = ProposerSchedule(validators: set)
        }
    }

    /// The proposer rotation of each set in `changes`, and of the genesis set (built once: the
    /// checker asks for it at every commit).
    private var schedules: [Hash32: ProposerSchedule] = [:]

    /// The proposer rotation of the set that signs `height`.
    func schedule(at height: Height) -> ProposerSchedule {
        let set = set(at: height)
        return schedules[set.hash] ?? ProposerSchedule(validators: set)
    }

    /// The set that signs `height`.
    func set(at height: Height) -> ValidatorSet {
        changes.last { $0.height <= height }?.set ?? genesis
    }

    /// What a block at `height` must name: its set and the next height's.
    func signers(at height: Height) -> BlockSigners {
        BlockSigners(current: set(at: height), nextHash: set(at: height.next).hash)
    }

    /// The key `member` signs `height` with (its rotated key from the rotation on), nil when it
    /// is not in that height's set.
    func key(of member: ValidatorIndex, at height: Height) -> SigningKey? {
        guard let validator = set(at: height)[member] else { return nil }
        let rotated = SimulationKeys.rotatedKey(Int(member.rawValue))
        return validator.publicKey == rotated.publicKey ? rotated : SimulationKeys.key(Int(member.rawValue))
    }

    /// The height from which `member` is no longer in the set, if it was removed.
    func removal(of member: ValidatorIndex) -> Height? {
        changes.first { $0.change == .remove(member) }?.height
    }

    /// The joining member's index, if one joins.
    var joiner: ValidatorIndex? {
        changes.lazy.compactMap { if case .add(let index) = $0.change { index } else { nil } }.first
    }

    var summary: String {
        changes.map { "\($0.change) from height \($0.height)" }.joined(separator: ", ")
    }
}
