import ArgumentParser
import GovChainCore
import GovChainNode
import Logging
import Metrics
import Prometheus

/// `govchaind`: the GovChain node daemon. All logic lives in GovChainNode.
@main
struct GovChainDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "govchaind",
        abstract: "The GovChain node daemon: one per municipality.",
        subcommands: [Start.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a node from its home directory until SIGINT or SIGTERM.")

        @Option(help: "The node's home directory (holds config/ and data/).")
        var home: String

        @Option(help: "Log level: trace, debug, info, notice, warning, error.")
        var logLevel: String = "info"

        func run() async throws {
            LoggingSystem.bootstrap(StreamLogHandler.standardError)
            var logger = Logger(label: "govchaind")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let metrics = NodeMetrics()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
            do {
                try await NodeLauncher.run(home: home, logger: logger, metrics: metrics)
            } catch let error as GovChainError {
                logger.critical("cannot run the node: \(error.description)", metadata: ["error.code": "\(error.code)"])
                throw ExitCode.failure
            }
        }
    }
}
