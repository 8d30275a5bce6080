import Foundation
import GovChainAPI
import GovChainCore
import GovChainStorage
import Hummingbird
import Logging
import ServiceLifecycle

/// Starts a node from its home directory: config, genesis, key, store, block producer, HTTP API,
/// all in one `ServiceGroup` that stops gracefully on SIGINT/SIGTERM.
public enum NodeLauncher {
    public static func run(home: String, logger: Logger) async throws {
        let config = try NodeConfig.load(home: home)
        func path(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : (home as NSString).appendingPathComponent(relative)
        }
        let genesis = try Genesis.load(contentsOf: path(config.genesis))
        let key = try loadKey(path(config.validator_key))
        let store = try BlockStore(directory: path(config.data_dir + "/ledger"), genesis: genesis)
        let node = try Node(name: config.name, genesis: genesis, store: store, key: key,
                            limits: (config.mempool_tx_count_max ?? 200_000, config.mempool_bytes_max ?? 128 << 20),
                            logger: logger)

        let router = Router()
        APIRoutes(node: node, requestBytesMax: config.request_bytes_max ?? 1 << 20,
                  commitWaitMsMax: config.commit_wait_ms_max ?? 30_000).register(on: router)
        // NodeConfig.load validated the address.
        let (host, port) = NodeConfig.hostPort(config.api_address) ?? ("127.0.0.1", 8080)
        var apiLogger = logger
        apiLogger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "govchaind"),
                              onServerRunning: { _ in
                                  logger.notice("node ready", metadata: [
                                      "node.name": "\(config.name)", "api.url": "http://\(config.api_address)",
                                      "chain.id": "\(genesis.chainId)", "chain.height": "\(store.height)",
                                  ])
                              },
                              logger: apiLogger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: SoloProducer(node: node)), .init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("node stopped", metadata: ["node.name": "\(config.name)", "chain.height": "\(store.height)"])
    }

    static func loadKey(_ path: String) throws(GovChainError) -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GovChainError(code: "key_missing", message: "Cannot read the validator key \(path).")
        }
        return try SigningKey(pem: String(decoding: data, as: UTF8.self))
    }
}
