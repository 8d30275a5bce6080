import ArgumentParser
import Foundation
import GovChainCore

/// `govchain bench-state`: the state tree's cost per changed key, in this process, nodes in
/// memory (no LevelDB, no other node sharing the cores): what every validator pays per
/// transaction to compute a block's state root (issue 9's cost, issue 12's per-height work).
struct BenchStateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-state",
        abstract: "Measure the state tree's update cost per key (a block's state root), nodes in memory.")

    @Option(help: "Keys in the tree before measuring.")
    var keys: Int = 200_000

    @Option(help: "Keys changed per block.")
    var block: Int = 1_000

    @Option(help: "Blocks to measure.")
    var blocks: Int = 50

    func run() async throws {
        try await Output.run {
            guard keys >= 0, block > 0, blocks > 0 else {
                throw GovChainError(
                    code: .invalidArgument, message: "--keys must be ≥ 0, --block and --blocks positive.")
            }
            let store = SharedNodes()
            var root = SparseMerkleTree.emptyRoot
            var next = 0
            func batch(_ count: Int) -> [(key: Hash32, valueHash: Hash32)] {
                defer { next += count }
                return (next..<next + count).map { i in
                    let key = Hash32.sha256(Array("bench-state \(i)".utf8))
                    return (key, Hash32.sha256(key.bytes))
                }
            }
            // Only the update is timed; storing its nodes (a dictionary merge here, the block's
            // LevelDB batch in a node) is not.
            var timed = Duration.zero
            func apply(_ entries: [(key: Hash32, valueHash: Hash32)]) throws(GovChainError) -> Int {
                let started = ContinuousClock.now
                var tree = SparseMerkleTree(root: root, reader: store)  // a class: no copy on `add`
                try tree.set(entries)
                timed += ContinuousClock.now - started
                root = tree.root
                store.add(tree.written)
                return tree.written.count
            }
            while next < keys { _ = try apply(batch(min(10_000, keys - next))) }
            let prepared = (0..<blocks).map { _ in batch(block) }
            var written = 0
            timed = .zero
            for entries in prepared { written += try apply(entries) }
            let seconds = BenchRun.seconds(timed)
            let perKey = seconds * 1_000_000 / Double(blocks * block)
            print(
                "bench-state: \(keys) keys, \(blocks) blocks of \(block) new keys: \(String(format: "%.1f", perKey)) µs per key, \(written / (blocks * block)) nodes written per key, \(Int(Double(blocks * block) / seconds)) keys/s on one core"
            )
        }
    }
}

/// Nodes in a shared dictionary (a class, as the block store is: no copy when the tree holds it).
private final class SharedNodes: MerkleNodeReader, @unchecked Sendable {
    private var nodes: [Hash32: SparseMerkleTree.Node] = [:]
    func merkleNode(_ link: SparseMerkleTree.Link) throws(GovChainError) -> SparseMerkleTree.Node? {
        nodes[link.hash]
    }
    func add(_ written: [Hash32: SparseMerkleTree.Node]) { nodes.merge(written) { old, _ in old } }
}
