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
                for await _ in node.wakeups.cancelOnGracefulShutdown() {
                    await node.produceWhileWaiting()
                }
            }
            if interval > 0 {
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(interval))
                        await node.produceEmptyBlockIfIdle()
                    }
                }
            }
            // The wake-up loop ends on graceful shutdown; then stop the interval timer too.
            try await group.next()
            group.cancelAll()
        }
    }
}
