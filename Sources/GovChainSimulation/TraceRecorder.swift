import GovChainCore

/// FNV-1a over a compact rendering of every event; full lines only when asked for.
struct TraceRecorder: Sendable {
    var enabled = false
    private(set) var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var lines: [String] = []

    mutating func record(time: UInt64, _ event: SimulationEvent) {
        let (kind, a, b, size) = Self.summary(event)
        for value in [time, kind, a, b, size] { mix(value) }
        if enabled { lines.append("t=\(time) " + Self.line(event)) }
    }

    /// A stable rendering (no Set or Dictionary order, which varies between processes).
    private static func line(_ event: SimulationEvent) -> String {
        switch event {
        case .deliver(let to, let from, let bytes):
            "deliver \(from)→\(to) \(bytes.count) bytes \(Hash32.sha256(bytes).hex.prefix(12))"
        case .timeout(let node, let incarnation, let timeout): "node \(node)#\(incarnation) \(timeout)"
        case .tick(let node, let incarnation): "node \(node)#\(incarnation) tick"
        case .proposalBuilt(let node, let incarnation, let height):
            "node \(node)#\(incarnation) proposal built at \(height)"
        case .validated(let node, let incarnation, let block):
            "node \(node)#\(incarnation) validated \(block.hash.hex.prefix(12))"
        case .stored(let node, let incarnation, let block, _):
            "node \(node)#\(incarnation) stored \(block.header.height) \(block.hash.hex.prefix(12))"
        case .syncApplied(let node, let incarnation, let block, _, let from):
            "node \(node)#\(incarnation) applies synced \(block.header.height) from \(from)"
        case .crash(let node, let atNextPersist): "node \(node) crash\(atNextPersist ? " at next persist" : "")"
        case .restart(let node): "node \(node) restart"
        case .partitionStart(let id, let side): "partition \(id) isolates \(side.sorted())"
        case .partitionHeal(let id): "partition \(id) heals"
        }
    }

    private mutating func mix(_ value: UInt64) {
        var v = value
        for _ in 0..<8 {
            digest = (digest ^ (v & 0xff)) &* 0x0100_0000_01b3
            v >>= 8
        }
    }

    private static func summary(_ event: SimulationEvent) -> (UInt64, UInt64, UInt64, UInt64) {
        switch event {
        case .deliver(let to, let from, let bytes): (1, UInt64(to), UInt64(from), UInt64(bytes.count))
        case .timeout(let node, _, let timeout):
            (2, UInt64(node), UInt64(timeout.round.rawValue), timeout.height.rawValue)
        case .tick(let node, _): (3, UInt64(node), 0, 0)
        case .crash(let node, let atPersist): (4, UInt64(node), atPersist ? 1 : 0, 0)
        case .restart(let node): (5, UInt64(node), 0, 0)
        case .partitionStart(let id, let side): (6, UInt64(id), UInt64(side.count), 0)
        case .partitionHeal(let id): (7, UInt64(id), 0, 0)
        case .proposalBuilt(let node, _, let height): (8, UInt64(node), height.rawValue, 0)
        case .validated(let node, _, let block): (9, UInt64(node), block.header.height.rawValue, 0)
        case .stored(let node, _, let block, _): (10, UInt64(node), block.header.height.rawValue, 0)
        case .syncApplied(let node, _, let block, _, let from):
            (11, UInt64(node), block.header.height.rawValue, UInt64(from.rawValue))
        }
    }
}
