import GovChainNetwork
import ServiceLifecycle

/// Runs the consensus loop, the inbound verifiers and the mempool wake-ups; a `Service` that
/// stops on graceful shutdown (the loop's inbox is finished, its timers and jobs cancelled).
struct ConsensusService<C: Clock>: Service where C.Duration == Duration {
    let driver: ConsensusDriver<C>
    let node: Node

    func run() async throws {
        let driver = self.driver
        let node = self.node
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await driver.run() }
                let verifier = driver.verifier()
                for worker in 0..<InboundVerifier.workers {
                    group.addTask { await verifier.run(worker: worker) }
                }
                group.addTask {
                    for await _ in node.mempool.wakeups { driver.inbox.pushControl(.transactionsWaiting) }
                }
                // The loop ends first (shutdown or a fatal persist failure); then stop the rest.
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            driver.inbox.finish()
        }
    }
}
