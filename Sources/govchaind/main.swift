import ArgumentParser
import GovChainCore
import GovChainNode
import Logging
import Metrics
import Prometheus

#if canImport(Glibc)
    import Glibc

    /// glibc's `mallopt` (malloc.h is not in Swift's Glibc module); `M_ARENA_MAX` is -8 there.
    @_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
    private let mallocArenaMaxParameter: Int32 = -8
#endif

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

        /// At most two glibc malloc arenas unless `MALLOC_ARENA_MAX` says otherwise: with one per
        /// thread under load, a node's resident memory grew with fragmentation (358–444 MiB against
        /// 332–361 MiB after 145 000 anchors, same throughput; docs/OPERATIONS.md, issue 12).
        static func boundMallocArenas() {
            #if canImport(Glibc)
                if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(mallocArenaMaxParameter, 2) }
            #endif
        }

        func run() async throws {
            Self.boundMallocArenas()
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
