import GovChainCore

/// A FIFO per peer, served round-robin, each within a byte budget (style.md #9).
///
/// One greedy or hostile peer fills only its own lane: when its lane would exceed
/// `bytesPerPeerMax`, its new element is refused (and the caller counts it), while every other
/// peer's messages keep flowing and are taken in turn. Pure and `Sendable`; the inbox that
/// wraps it adds the lock and the waiting consumer.
///
/// Invariant: `bytes[peer]` is the sum of the sizes of that lane's elements and never exceeds
/// `bytesPerPeerMax`, except that a lane may hold one element larger than the budget when it
/// was empty (so a single maximal frame always fits).
package struct FairQueue<Element: Sendable>: Sendable {
    package let bytesPerPeerMax: Int
    private var lanes: [ValidatorIndex: [(Element, Int)]] = [:]
    private var heads: [ValidatorIndex: Int] = [:]
    private var bytes: [ValidatorIndex: Int] = [:]
    /// Peers with a non-empty lane, in service order.
    private var ring: [ValidatorIndex] = []
    private var next = 0

    package init(bytesPerPeerMax: Int) {
        precondition(bytesPerPeerMax >= 1, "byte budget \(bytesPerPeerMax)")
        self.bytesPerPeerMax = bytesPerPeerMax
    }

    package private(set) var count = 0
    package var isEmpty: Bool { count == 0 }

    /// Bytes waiting from `peer`.
    package func bytes(of peer: ValidatorIndex) -> Int { bytes[peer] ?? 0 }

    /// Appends `element` (costing `size` bytes) to `peer`'s lane; false when over budget.
    package mutating func push(_ element: Element, size: Int, from peer: ValidatorIndex) -> Bool {
        let used = bytes[peer] ?? 0
        guard used == 0 || used + size <= bytesPerPeerMax else { return false }
        if used == 0, lanes[peer, default: []].count == heads[peer, default: 0] {
            lanes[peer] = []
            heads[peer] = 0
            ring.append(peer)
        }
        lanes[peer, default: []].append((element, size))
        bytes[peer] = used + size
        count += 1
        return true
    }

    /// The oldest element of the next peer in turn.
    package mutating func pop() -> (peer: ValidatorIndex, element: Element)? {
        guard !ring.isEmpty else { return nil }
        if next >= ring.count { next = 0 }
        let peer = ring[next]
        let head = heads[peer]!
        let (element, size) = lanes[peer]![head]
        heads[peer] = head + 1
        bytes[peer]! -= size
        count -= 1
        if heads[peer]! == lanes[peer]!.count {
            lanes[peer] = []
            heads[peer] = 0
            ring.remove(at: next)
        } else {
            if heads[peer]! >= 64, heads[peer]! * 2 >= lanes[peer]!.count {
                lanes[peer]!.removeFirst(heads[peer]!)
                heads[peer] = 0
            }
            next += 1
        }
        return (peer, element)
    }

    /// Drops everything waiting from `peer` (its link was closed for misbehaving).
    package mutating func removeAll(from peer: ValidatorIndex) {
        guard let lane = lanes[peer] else { return }
        count -= lane.count - (heads[peer] ?? 0)
        lanes[peer] = nil
        heads[peer] = nil
        bytes[peer] = nil
        if let position = ring.firstIndex(of: peer) {
            ring.remove(at: position)
            if next > position { next -= 1 }
        }
    }
}
