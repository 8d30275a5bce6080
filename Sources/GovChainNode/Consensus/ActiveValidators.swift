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

        /// The set and proposer rotation of `height`, if it is one of the two known.
        package func set(for height: Height) -> (set: ValidatorSet, schedule: ProposerSchedule)? {
            if height == self.height { return (current, currentSchedule) }
            if height == self.height.next { return (next, nextSchedule) }
            return nil
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
        state = Mutex(try Self.read(store))
    }

    package var snapshot: Snapshot { state.withLock { $0 } }

    /// Reads the sets again (after a block was stored); returns the new snapshot and whether the
    /// members changed.
    @discardableResult
    func refresh() throws(GovChainError) -> (snapshot: Snapshot, changed: Bool) {
        let fresh = try Self.read(store)
        return state.withLock { state in
            let changed = state.current != fresh.current || state.next != fresh.next
            state = fresh
            return (fresh, changed)
        }
    }

    private static func read(_ store: BlockStore) throws(GovChainError) -> Snapshot {
        let schedule = try store.validatorSchedule()
        let current = schedule?.next ?? store.genesis.validators
        let next = schedule?.afterNext ?? store.genesis.validators
        return Snapshot(
            height: store.height.next, current: current, next: next,
            currentSchedule: ProposerSchedule(validators: current), nextSchedule: ProposerSchedule(validators: next))
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
