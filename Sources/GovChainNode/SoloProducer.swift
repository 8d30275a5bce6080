import GovChainCore
import ServiceLifecycle

/// Produces blocks as soon as transactions wait, and empty blocks at the genesis interval when
/// one is set. A `Service`, so it stops with the node's `ServiceGroup`.
struct SoloProducer: Service {
    let node: Node

    func run() async throws {
        let node = self.node
        let interval = node.genesis.consensus.emptyBlockIntervalMs
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in node.mempool.wakeups.cancelOnGracefulShutdown() {
                    try await Self.produceWhileWaiting(node)
                }
            }
            if interval > 0 {
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(interval))
                        guard node.mempool.isEmpty else { continue }
                        try await Self.produce(node, what: "empty block")
                    }
                }
            }
            // The wake-up loop ends on graceful shutdown; then stop the interval timer too.
            try await group.next()
            group.cancelAll()
        }
    }

    /// Commits blocks until the mempool is empty (or a block fails).
    static func produceWhileWaiting(_ node: Node) async throws(GovChainError) {
        while !node.mempool.isEmpty {
            guard try await produce(node, what: "block") else { return }
        }
    }

    /// One block; false when it could not be made. A ledger that cannot be written stops the
    /// node (thrown: the service group ends), as with several validators (`haltOnStorage`).
    @discardableResult
    static func produce(_ node: Node, what: String) async throws(GovChainError) -> Bool {
        do {
            try await node.chain.produce(candidates: node.mempool.candidates(countMax: node.candidateCountMax))
            return true
        } catch {
            if error.code == .storageError {
                node.chain.logger.critical(
                    "cannot write the ledger; stopping the node", metadata: ["error.message": "\(error.message)"])
                throw error
            }
            node.chain.logger.error(
                "\(what) production failed",
                metadata: ["error.code": "\(error.code)", "error.message": "\(error.message)"])
            return false
        }
    }
}
