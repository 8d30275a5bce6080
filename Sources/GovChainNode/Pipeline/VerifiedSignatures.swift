import GovChainCore
import Synchronization

/// Ids of transactions whose signature this node has already verified, so that each signature
/// is checked once per node (design §9): at admission, when a peer's block brings it first, or
/// when its gossip copy arrives after the block — not each time. Bounded: the oldest ids are
/// forgotten first: `capacity` ids (about 100 bytes each), some 30 s of traffic at full speed —
/// far longer than gossip lag or the time from validating a block to committing it.
final class VerifiedSignatures: Sendable {
    static let defaultCapacity = 100_000
    let capacity: Int

    init(capacity: Int = VerifiedSignatures.defaultCapacity) { self.capacity = capacity }

    private struct State {
        var ids: Set<Hash32> = []
        var order: [Hash32] = []
        var next = 0
    }

    private let state = Mutex(State())

    /// Lookups that found a verified signature (a check saved) and that did not, for `/metrics`.
    private let hits = Atomic<UInt64>(0)
    private let misses = Atomic<UInt64>(0)
    var counts: (hits: UInt64, misses: UInt64) { (hits.load(ordering: .relaxed), misses.load(ordering: .relaxed)) }

    func contains(_ id: Hash32) -> Bool {
        let found = state.withLock { $0.ids.contains(id) }
        if found {
            hits.wrappingAdd(1, ordering: .relaxed)
        } else {
            misses.wrappingAdd(1, ordering: .relaxed)
        }
        return found
    }

    func insert<S: Sequence>(_ ids: S) where S.Element == Hash32 {
        state.withLock { state in
            for id in ids where state.ids.insert(id).inserted {
                if state.order.count < capacity {
                    state.order.append(id)
                } else {
                    state.ids.remove(state.order[state.next])
                    state.order[state.next] = id
                    state.next = (state.next + 1) % capacity
                }
            }
        }
    }
}

extension VerifiedSignatures {
    /// What a verified-message cache remembers: the key, the signature and the signed bytes
    /// together, so a valid signature can never vouch for other bytes.
    static func messageKey(_ key: PublicKey, _ signature: Signature, _ bytes: [UInt8]) -> Hash32 {
        Hash32.sha256(key.bytes + signature.bytes + bytes)
    }
}
