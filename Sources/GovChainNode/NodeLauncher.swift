import Foundation
import GovChainAPI
import GovChainCore
import GovChainFiles
import GovChainNetwork
import GovChainStorage
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Starts a node from its home directory: config, genesis, key, store, block producer, HTTP API,
/// all in one `ServiceGroup` that stops gracefully on SIGINT/SIGTERM.
package enum NodeLauncher {
    /// - Parameter metrics: what `GET /metrics` serves (`govchaind` bootstraps swift-metrics
    ///   with its registry, so metrics of libraries land there too).
    package static func run(home: String, logger: Logger, metrics: NodeMetrics = NodeMetrics()) async throws {
        let config = try NodeConfig.load(home: home)
        let descriptors = DescriptorBudget.raiseToHardLimit()
        func path(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : (home as NSString).appendingPathComponent(relative)
        }
        let (genesis, genesisBytes) = try Genesis.loadWithBytes(contentsOf: path(config.genesis))
        let key = try loadKey(path(config.validator_key))
        if let index = genesis.validators.index(of: key.publicKey), let own = genesis.validators[index],
            own.name != config.name
        {
            throw GovChainError(
                code: .configNameMismatch,
                message:
                    "node.json names this node \"\(config.name)\", but its validator key belongs to \"\(own.name)\" in the genesis; fix the name or the key file."
            )
        }
        let store = try BlockStore(
            directory: path(config.data_dir + "/ledger"), genesis: genesis,
            stateRetentionHeights: config.state_retention_heights ?? 0)
        let node = try Node(
            name: config.name, genesis: genesis, store: store, key: key,
            limits: (config.mempool_tx_count_max ?? 50_000, config.mempool_bytes_max ?? 32 << 20),
            admissionWaitMsMax: config.admission_wait_ms_max ?? MempoolService.admissionWaitMsMaxDefault,
            solo: genesis.validators.count == 1, logger: logger, metrics: metrics)

        let network: PeerNetwork? =
            genesis.validators.count == 1
            ? nil
            : try PeerNetwork(
                configuration: try networkConfiguration(
                    config, genesis: genesis, sets: node.validators.snapshot, key: key),
                logger: logger)
        if let network {
            let overrides = config.peer_addresses ?? [:]
            node.setOnValidatorsChanged { snapshot in
                network.updateMembers(
                    ActiveValidators.peerMembers(snapshot, key: key.publicKey, addressOverrides: overrides))
            }
            if network.members.selfIndex == nil {
                logger.warning(
                    "this node's key is not in the validator set yet: it follows the chain and signs once governance admits it",
                    metadata: ["validator.key": "\(key.publicKey.hex)"])
            }
        }
        let driver = try network.map { network throws(GovChainError) in
            try ConsensusDriver(node: node, network: network, key: key, clock: ContinuousClock(), logger: logger)
        }
        let router = Router(context: NodeRequestContext.self)
        var routes = APIRoutes(
            node: node, requestBytesMax: config.request_bytes_max ?? 1 << 20,
            commitWaitMsMax: config.commit_wait_ms_max ?? 30_000,
            bodyTimeoutMs: min(config.api_body_timeout_ms ?? NodeConfig.apiBodyTimeoutMsDefault, 86_400_000))
        if let network, let driver {
            routes.peers = { Self.peersReport(network, genesis: genesis, sets: node.validators.snapshot) }
            routes.consensus = { driver.snapshot.withLock { $0 } }
        }
        routes.genesisFile = Array(genesisBytes)
        routes.web = WebAssets.load()
        routes.verifyBaseURL = config.verify_base_url
        let rate = config.api_client_tx_per_second ?? NodeConfig.apiClientTxPerSecondDefault
        if rate > 0 {
            routes.rateLimiter = ClientRateLimiter(
                ClientRateLimit(
                    ratePerSecond: Double(rate),
                    burst: Double(config.api_client_tx_burst ?? max(2 * rate, APIRoutes.batchTransactionsMax))),
                exempt: Set(config.api_rate_limit_exempt ?? NodeConfig.apiRateLimitExemptDefault))
        }
        if routes.web == nil {
            logger.warning("verify page files not found beside the executable; / answers 404 (set GOVCHAIN_WEB_DIR)")
        }
        routes.register(on: router)
        // NodeConfig.load validated the address.
        let (host, port) = NodeConfig.hostPort(config.api_address) ?? ("127.0.0.1", 8080)
        var apiLogger = logger
        apiLogger.logLevel = .warning
        let connections = ConnectionLimit(
            limit: try DescriptorBudget.connectionLimit(
                configured: config.api_connections_max ?? 1_000, descriptorLimit: descriptors,
                peers: genesis.validators.count - 1))
        // Idle connections (none sending a request, or a body that stalls) are closed; a slow
        // request's body is bounded by request_bytes_max.
        let idle = TimeAmount.milliseconds(Int64(min(config.api_idle_timeout_ms ?? 30_000, 86_400_000)))
        let app = Application(
            router: router,
            server: .http1(
                configuration: .init(additionalChannelHandlers: [connections.handler()], idleTimeout: idle)),
            configuration: .init(address: .hostname(host, port: port), serverName: "govchaind"),
            onServerRunning: { _ in
                logger.notice(
                    "node ready",
                    metadata: [
                        "node.name": "\(config.name)", "api.url": "http://\(config.api_address)",
                        "chain.id": "\(genesis.chainId)", "chain.height": "\(store.height)",
                        "api.connections.max": "\(connections.limit)", "descriptors.max": "\(descriptors)",
                    ])
            },
            logger: apiLogger)
        // Dependency order: (network, consensus | solo producer), then the API; stopped in reverse.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let network, let driver {
            let gossip = TransactionGossip(network: network)
            node.mempool.setOnAdmitted { bytes in gossip.add(bytes) }
            services.append(.init(service: network))
            services.append(.init(service: gossip))
            services.append(.init(service: ConsensusService(driver: driver, node: node)))
        } else {
            services.append(.init(service: SoloProducer(node: node)))
        }
        services.append(.init(service: APIService(app: app, address: config.api_address, waiters: node.waiters)))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("node stopped", metadata: ["node.name": "\(config.name)", "chain.height": "\(store.height)"])
    }

    /// The peer network of a validator: it links with the members of the sets signing the next
    /// two heights (`ActiveValidators`), and follows them as governance changes them.
    static func networkConfiguration(
        _ config: NodeConfig, genesis: Genesis, sets: ActiveValidators.Snapshot, key: SigningKey
    ) throws(GovChainError) -> PeerNetworkConfiguration {
        let members = ActiveValidators.peerMembers(
            sets, key: key.publicKey, addressOverrides: config.peer_addresses ?? [:])
        let me = members.selfIndex.flatMap { index in sets.members.first { $0.index == index }?.validator }
        guard let listen = config.peer_listen_address ?? me?.peerAddress else {
            throw GovChainError(
                code: .configInvalid,
                message:
                    "This node's key is not in the validator set yet, so node.json must give peer_listen_address (host:port, the address governance admits it with)."
            )
        }
        guard let (host, port) = NodeConfig.hostPort(listen) else {
            throw GovChainError(code: .configInvalid, message: "peer_listen_address \"\(listen)\" must be host:port.")
        }
        let signing = members.selfIndex.map { sets.current[$0] != nil ? sets.current : sets.next } ?? sets.current
        var configuration = PeerNetworkConfiguration(
            chainId: genesis.chainId, genesisHash: genesis.hash, validators: signing,
            selfIndex: members.selfIndex, key: key, listenHost: host, listenPort: port, peerAddresses: members.addresses
        )
        configuration.members = members
        return configuration
    }

    static func peersReport(
        _ network: PeerNetwork, genesis: Genesis, sets: ActiveValidators.Snapshot
    ) -> PeersResponse {
        // Names of members now, else of the genesis (a member that left keeps its counters).
        let names = Dictionary(
            sets.known(genesis: genesis).map { ($0.index, $0.validator.name) }, uniquingKeysWith: { $1 })
        let counters = network.peerCounters()
        let connected = network.connectedPeers()
        let stats = network.stats
        let peers = counters.keys.sorted().map { index in
            let c = counters[index]!
            return PeersResponse.Peer(
                validator: names[index] ?? "#\(index)", index: index.rawValue,
                connected: connected.contains(index),
                frames_in: c.framesIn, inbound_dropped: c.inboundDropped, refused: c.refused,
                disconnects: c.disconnects, links_established: c.linksEstablished, banned_for_ms: c.bannedForMs)
        }
        return PeersResponse(
            peers: peers,
            transport: .init(
                handshakes_rejected: stats.handshakesRejected, connections_refused: stats.connectionsRefused,
                malformed_frames: stats.malformedFrames, idle_links_closed: stats.idleLinksClosed))
    }

    /// Reads the validator key, refusing a file that others can read (as ssh does): whoever
    /// reads it can sign as this municipality's validator.
    static func loadKey(_ path: String) throws(GovChainError) -> SigningKey {
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            throw GovChainError(
                code: .keyFilePermissions,
                message:
                    "The validator key \(path) can be read by other users (mode \(String(mode, radix: 8))); run: chmod 600 \(path)"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GovChainError(code: .keyMissing, message: "Cannot read the validator key \(path).")
        }
        return try SigningKey(pem: String(decoding: data, as: UTF8.self))
    }
}

/// The HTTP API as a service whose failure to listen names the address (the bare NIO error reads
/// "bind(descriptor:ptr:bytes:): Address already in use").
struct APIService<App: ApplicationProtocol>: Service {
    let app: App
    let address: String
    /// Answered at once when the node stops (the server's shutdown waits for open requests).
    let waiters: CommitWaiters

    func run() async throws {
        do {
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await app.run()
            } onCancelOrGracefulShutdown: {
                waiters.stop()
            }
        } catch let error as IOError {
            throw GovChainError(
                code: .listenFailed,
                message: "Cannot listen for the HTTP API on \(address); is another program using that port?",
                underlying: error)
        }
    }
}
