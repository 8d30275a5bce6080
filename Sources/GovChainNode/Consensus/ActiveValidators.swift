import GovChainConsensus
import GovChainCore
import GovChainNetwork
import GovChainStorage
import Synchronization

/// The validator sets of the two heights after the stored head, as the ledger's governance
/// record says (docs/GOVERNANCE.md): who signs the height being decided, and who signs the one
/// after it. Refreshed from the store after every stored block; read by the inbound verifiers
/// (whose signature a message at a height needs), the peer network (whom to link with) and the
/// status API. A chain that never used governance has the genesis set in both.
package final class ActiveValidators: Sendable {
    package struct Snapshot: Sendable {
        /// The first height without a stored block: `current` signs it, `next` the one after.
        package var height: Height
        package var current: ValidatorSet
        package var next: ValidatorSet
        package var currentSchedule: ProposerSchedule
        package var nextSchedule: ProposerSchedule

        init(height: Height, current: ValidatorSet, next: ValidatorSet) {
            self.height = height
            self.current = current
            self.next = next
            currentSchedule = ProposerSchedule(validators: current)
            nextSchedule = ProposerSchedule(validators: next)
        }

        /// The set and proposer rotation of `height`, if it is one of the two known.
        package func set(for height: Height) -> (set: ValidatorSet, schedule: ProposerSchedule)? {
            if height == self.height { return (current, currentSchedule) }
            if height == self.height.next { return (next, nextSchedule) }
            return nil
        }

        /// Every validator this node can name: the genesis ones, then the members of either set
        /// (later entries win: a member that left keeps its genesis name).
        package func known(genesis: Genesis) -> [(index: ValidatorIndex, validator: Validator)] {
            genesis.validators.members + members
        }

        /// Every member of either set, by index (the one in `current` when a key was rotated).
        package var members: [(index: ValidatorIndex, validator: Validator)] {
            var byIndex: [ValidatorIndex: Validator] = [:]
            for member in next.members { byIndex[member.index] = member.validator }
            for member in current.members { byIndex[member.index] = member.validator }
            return byIndex.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }

    private let state: Mutex<Snapshot>
    private let store: BlockStore

    init(store: BlockStore) throws(GovChainError) {
        self.store = store
        let (height, current, next) = try Self.sets(store)
        state = Mutex(Snapshot(height: height, current: current, next: next))
    }

    package var snapshot: Snapshot { state.withLock { $0 } }

    /// Takes the sets after a newly stored block (the store holds them in memory); returns the
    /// new snapshot and whether the members changed. Proposer rotations are rebuilt only then.
    @discardableResult
    func refresh() throws(GovChainError) -> (snapshot: Snapshot, changed: Bool) {
        let (height, current, next) = try Self.sets(store)
        return state.withLock { state in
            let changed = state.current.hash != current.hash || state.next.hash != next.hash
            if changed {
                state = Snapshot(height: height, current: current, next: next)
            } else {
                state.height = height
            }
            return (state, changed)
        }
    }

    /// The first height without a block and the sets signing it and the one after.
    private static func sets(_ store: BlockStore) throws(GovChainError) -> (Height, ValidatorSet, ValidatorSet) {
        let height = store.height.next
        let current = try store.validatorSet(at: height) ?? store.genesis.validators
        return (height, current, try store.validatorSet(at: height.next) ?? current)
    }

    /// The peer network's view: members of both sets with the addresses node.json gives (by
    /// name; else each validator's own), and our index if our key is among them.
    package static func peerMembers(
        _ snapshot: Snapshot, key: PublicKey, addressOverrides: [String: String]
    ) -> PeerMembers {
        let members = snapshot.members
        return PeerMembers(
            keys: Dictionary(uniqueKeysWithValues: members.map { ($0.index, $0.validator.publicKey) }),
            addresses: Dictionary(
                uniqueKeysWithValues: members.map {
                    ($0.index, addressOverrides[$0.validator.name] ?? $0.validator.peerAddress)
                }),
            selfIndex: members.first { $0.validator.publicKey == key }?.index)
    }
}
