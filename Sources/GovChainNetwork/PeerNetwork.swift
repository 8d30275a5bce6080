import GovChainCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The authenticated TCP transport between the validators of one genesis.
///
/// Every link is TLS 1.3, mutually authenticated by genesis validator keys (see `PeerTLS`), then
/// a hello each way (see `Hello`), then length-prefixed payload frames (see `FrameDecoder`).
///
/// **One link per pair, dialled from either side.** Every validator dials every other one it has
/// no link to, so a pair links when only one side can reach the other (one-sided addresses, a
/// firewall). The higher index waits `higherIndexDialDelayMs` before its first dial, so normally
/// the lower one's link comes first and the other side never dials. If both links come up, both
/// validators keep the one the lower index dialled. A new link in the same direction as the
/// current one — the peer restarted, or the old TCP connection is half-open — replaces it.
///
/// **Bounded memory.** Each peer has a `BoundedFrameQueue` of `peerQueueFramesMax` outbound frames
/// and `peerQueueBytesMax` bytes that fills while the peer is disconnected or slow and drops its
/// oldest frames when full; frames move from it to the socket only while the channel is writable
/// (below its high water mark). Inbound payloads wait in a `PeerInbox`: one lane per peer, served
/// round-robin, each within `inboundBytesPerPeerMax`, so a flooding peer only fills its own lane.
///
/// **Hostile peers.** At most `pendingHandshakesMax` connections may be in their handshake; a
/// silent established link is closed after `readIdleTimeoutMs`; `disconnect(_:reason:)` closes a
/// misbehaving peer's link and refuses it (both directions) for an exponentially growing ban.
/// Per-peer counters (`peerCounters()`) say who misbehaved and how; repeated warnings are
/// rate-limited in the log (`LogLimiter`).
///
/// Thread safety: all shared state sits in one `Mutex`; NIO handlers run on their event loops and
/// only call the short internal methods below. `send` and `broadcast` never block.
package final class PeerNetwork: Service, Sendable {
    let configuration: PeerNetworkConfiguration
    let logger: Logger
    private let tls: PeerTLS
    private let group: any EventLoopGroup
    let state: Mutex<State>
    /// Authenticated inbound payloads, fair per peer. Meant for one or a few consumers; it ends
    /// when `run()` returns.
    package let inbound: PeerInbox
    let logLimiter = LogLimiter(intervalMs: 60_000)

    /// Per-validator link and queue. Index = `ValidatorIndex.rawValue` (member index); nil for
    /// ourselves and for indices that were never members.
    struct PeerSlot: Sendable {
        var queue: BoundedFrameQueue<[UInt8]>
        var channel: (any Channel)?
        /// `channel` was dialled by the lower index of the pair (this one's, when outbound).
        var channelDialledByLower = false
        /// A `drain` for `channel` is scheduled or running; avoids one event-loop task per send.
        var drainScheduled = false
        /// Incremented on every established link; the dial loop resets its backoff when it moves.
        var linksEstablished: UInt64 = 0
        var counters = PeerCounters()
        /// Misbehaviour ban: no link until then; `banMs` doubles per offence.
        var bannedUntil: ContinuousClock.Instant?
        var banMs: UInt64 = 0
    }

    struct State: Sendable {
        var peers: [PeerSlot?]
        /// Whom we link with now (`updateMembers`).
        var members: PeerMembers
        var stats = PeerNetworkStats()
        /// Every channel we opened or accepted that has not closed yet, to close on shutdown.
        var openChannels: [ObjectIdentifier: any Channel] = [:]
        var started = false
        var stopping = false
        var localPort: Int?
        /// Inbound connections still in TLS or hello.
        var pendingHandshakes: Set<ObjectIdentifier> = []
        /// `setReading(false)` was called: new links start with reads off.
        var readingPaused = false
    }

    /// Creates the network; nothing is opened until `run()`.
    ///
    /// - Parameter eventLoopGroup: where sockets live; defaults to the process-wide NIO singleton.
    /// - Throws: `invalid_network_configuration` or `tls_setup_failed`.
    package init(
        configuration: PeerNetworkConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(GovChainError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        group = eventLoopGroup
        tls = try PeerTLS(key: configuration.key, validityDays: configuration.certificateValidityDays)
        let members =
            configuration.members
            ?? PeerMembers(
                validators: configuration.validators, addresses: configuration.peerAddresses,
                selfIndex: configuration.selfIndex)
        var initial = State(peers: [], members: members)
        Self.makeSlots(for: members, in: &initial, configuration: configuration)
        state = Mutex(initial)
        inbound = PeerInbox(bytesPerPeerMax: configuration.inboundBytesPerPeerMax)
        (newDialTargets, newDialTargetsContinuation) = AsyncStream.makeStream(of: ValidatorIndex.self)
    }

    /// Dial loops for members that joined after `run()` began.
    private let newDialTargets: AsyncStream<ValidatorIndex>
    private let newDialTargetsContinuation: AsyncStream<ValidatorIndex>.Continuation

    private static func makeSlots(
        for members: PeerMembers, in state: inout State, configuration: PeerNetworkConfiguration
    ) {
        let highest = Int(members.keys.keys.max()?.rawValue ?? 0)
        while state.peers.count <= highest { state.peers.append(nil) }
        for index in members.keys.keys where index != members.selfIndex && state.peers[Int(index.rawValue)] == nil {
            state.peers[Int(index.rawValue)] = PeerSlot(
                queue: BoundedFrameQueue(
                    capacity: configuration.peerQueueFramesMax, bytesMax: configuration.peerQueueBytesMax))
        }
    }

    /// What a received hello must match, with the members as of now.
    var helloExpectation: HelloExpectation {
        HelloExpectation(
            chainId: configuration.chainId, genesisHash: configuration.genesisHash,
            members: state.withLock { $0.members })
    }

    /// The hello we send: our member index, or `unknownSender` while we are not a member.
    var ownHello: Hello {
        Hello(
            chainId: configuration.chainId, genesisHash: configuration.genesisHash,
            sender: state.withLock { $0.members.selfIndex } ?? HelloExpectation.unknownSender)
    }

    /// The members as of now.
    package var members: PeerMembers { state.withLock { $0.members } }

    /// Governance changed whom we link with (the validator sets of the next two heights): links to
    /// members that left, or whose key changed, are closed and not dialled again; new members are
    /// dialled and accepted. Our own index may appear (we were just admitted) or go.
    package func updateMembers(_ members: PeerMembers) {
        let (closing, dial): ([any Channel], [ValidatorIndex]) = state.withLock { state in
            let old = state.members
            guard old != members else { return ([], []) }
            Self.makeSlots(for: members, in: &state, configuration: configuration)
            var closing: [any Channel] = []
            for (index, key) in old.keys where members.keys[index] != key || index == members.selfIndex {
                let slot = Int(index.rawValue)
                if let channel = state.peers[slot]?.channel { closing.append(channel) }
                state.peers[slot]?.channel = nil
                state.peers[slot]?.drainScheduled = false
            }
            let dial = members.keys.keys.filter { index in
                index != members.selfIndex && (old.keys[index] == nil || index == old.selfIndex)
            }
            state.members = members
            return (closing, state.started ? dial.sorted() : [])
        }
        for channel in closing { channel.close(promise: nil) }
        for index in dial { newDialTargetsContinuation.yield(index) }
        if !closing.isEmpty || !dial.isEmpty {
            logger.notice(
                "validator links follow the new set",
                metadata: [
                    "peer.closed": "\(closing.count)", "peer.dialled": "\(dial.map(\.rawValue))",
                    "validator.index": "\(members.selfIndex.map { "\($0)" } ?? "none")",
                ])
        }
    }

    /// True while `peer` is a member other than ourselves.
    func isMember(_ peer: ValidatorIndex) -> Bool {
        state.withLock { $0.members.keys[peer] != nil && $0.members.selfIndex != peer }
    }

    // MARK: - Public API

    /// Queues `payload` for `peer` and returns at once. Queued while the peer is disconnected, up to
    /// `peerQueueFramesMax` frames (then the oldest is dropped). Payloads larger than
    /// `frameBytesMax - 1`, and sends to ourselves or to an index outside the set, are dropped.
    package func send(_ payload: [UInt8], to peer: ValidatorIndex) {
        guard payload.count < configuration.frameBytesMax else {
            state.withLock { $0.stats.framesDropped += 1 }
            logger.error(
                "payload too large, dropped", metadata: ["peer.index": "\(peer)", "payload.bytes": "\(payload.count)"])
            return
        }
        let index = Int(peer.rawValue)
        let channelToDrain: (any Channel)? = state.withLock { state in
            guard index < state.peers.count, state.peers[index] != nil, state.members.keys[peer] != nil,
                state.members.selfIndex != peer
            else { return nil }
            if state.peers[index]!.queue.append(payload) { state.stats.framesDropped += 1 }
            guard let channel = state.peers[index]!.channel, !state.peers[index]!.drainScheduled else { return nil }
            state.peers[index]!.drainScheduled = true
            return channel
        }
        if let channelToDrain {
            channelToDrain.eventLoop.execute { self.drain(peer: peer, channel: channelToDrain) }
        }
    }

    /// `send` to every member except ourselves.
    package func broadcast(_ payload: [UInt8]) {
        let members = state.withLock { $0.members }
        for index in members.keys.keys.sorted() where index != members.selfIndex { send(payload, to: index) }
    }

    /// Validators with an established (authenticated, hello-checked) link right now.
    package func connectedPeers() -> Set<ValidatorIndex> {
        state.withLock { state in
            Set(state.peers.indices.filter { state.peers[$0]?.channel != nil }.map { ValidatorIndex(UInt16($0)) })
        }
    }

    /// A snapshot of the counters.
    package var stats: PeerNetworkStats { state.withLock { $0.stats } }

    /// The TCP port the listener is bound to while running (useful with `listenPort` 0).
    package var localPort: Int? { state.withLock { $0.localPort } }

    /// Outbound frames waiting for `peer` (not yet handed to its socket).
    package func queuedFrames(for peer: ValidatorIndex) -> Int {
        state.withLock { state in
            Int(peer.rawValue) < state.peers.count ? state.peers[Int(peer.rawValue)]?.queue.count ?? 0 : 0
        }
    }

    /// Outbound bytes waiting for `peer`.
    package func queuedBytes(for peer: ValidatorIndex) -> Int {
        state.withLock { state in
            Int(peer.rawValue) < state.peers.count ? state.peers[Int(peer.rawValue)]?.queue.bytes ?? 0 : 0
        }
    }

    // MARK: - Service

    /// Listens, dials the higher-indexed validators and keeps redialling, until graceful shutdown or
    /// cancellation; then closes every link. Throws `listen_failed` if the port cannot be bound,
    /// `network_already_started` on a second call.
    package func run() async throws {
        try state.withLock { state throws(GovChainError) in
            guard !state.started else {
                throw GovChainError(code: .networkAlreadyStarted, message: "A PeerNetwork runs once; make a new one.")
            }
            state.started = true
        }
        defer { inbound.finish() }
        let server: any Channel
        do {
            server = try await bind()
        } catch {
            throw GovChainError(
                code: .listenFailed,
                message:
                    "Cannot listen for peers on \(configuration.listenHost):\(configuration.listenPort); is another program using that port?",
                underlying: error)
        }
        state.withLock { $0.localPort = server.localAddress?.port }
        logger.info(
            "peer network listening",
            metadata: [
                "peer.listen": "\(server.localAddress.map { "\($0)" } ?? "?")",
                "validator.index": "\(configuration.selfIndex.map { "\($0)" } ?? "none")",
            ])
        let continuation = newDialTargetsContinuation
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await Self.waitUntilClosedOrCancelled(server)
                    continuation.finish()
                }
                for index in self.dialTargets { group.addTask { await self.dialLoop(peer: index) } }
                // Members that join later get their dial loop here; the stream ends when the
                // listener does or the network is cancelled, and then everything stops.
                for await index in self.newDialTargets { group.addTask { await self.dialLoop(peer: index) } }
                group.cancelAll()
            }
        }
        await closeEverything(server: server)
    }

    // MARK: - Listener and dialler

    /// Validators we dial: every other member (while we have no link to it).
    private var dialTargets: [ValidatorIndex] {
        let members = state.withLock { $0.members }
        return members.keys.keys.sorted().filter { $0 != members.selfIndex }
    }

    /// True when we dial `peer` second (the lower index of a pair dials first; a node that is
    /// not a member itself counts as the highest).
    private func dialsSecond(_ peer: ValidatorIndex) -> Bool {
        state.withLock { $0.members.selfIndex.map { peer < $0 } ?? false }
    }

    /// True while an established link to `peer` is open.
    func isLinked(_ peer: ValidatorIndex) -> Bool {
        state.withLock { $0.peers[Int(peer.rawValue)]?.channel?.isActive ?? false }
    }

    private func bind() async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 64)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: Self.waterMark)
            .childChannelInitializer { channel in self.initialize(channel: channel, dialled: nil) }
            .bind(host: configuration.listenHost, port: configuration.listenPort)
            .get()
    }

    /// Dials `peer` until cancelled: connect, live until the link closes, back off, again.
    private func dialLoop(peer: ValidatorIndex) async {
        // Configured and governance addresses were checked (validate(), the ledger rules); a
        // member without a usable one is only dialled by the others.
        guard let address = state.withLock({ $0.members.addresses[peer] }).flatMap(PeerAddress.init) else {
            logger.warning("no usable peer address; waiting to be dialled", metadata: ["peer.index": "\(peer)"])
            return
        }
        let seed = (configuration.reconnectJitterSeed ?? UInt64.random(in: .min ... .max)) &+ UInt64(peer.rawValue)
        var backoff = ReconnectBackoff(
            baseDelayMs: configuration.reconnectBaseDelayMs, delayMsMax: configuration.reconnectDelayMsMax, seed: seed)
        // The lower index of a pair dials first; the higher one only when that does not link.
        if dialsSecond(peer) {
            do { try await Task.sleep(for: .milliseconds(configuration.higherIndexDialDelayMs)) } catch { return }
        }
        var linkedByPeer = false
        while !Task.isCancelled, isMember(peer) {
            if let wait = banRemaining(peer) {
                do { try await Task.sleep(for: wait) } catch { return }
                continue
            }
            if isLinked(peer) {
                // The peer dialled us: watch the link instead of building a second one.
                linkedByPeer = true
                do { try await Task.sleep(for: .milliseconds(250)) } catch { return }
                continue
            }
            if linkedByPeer, dialsSecond(peer) {
                // Its link closed: give the lower index the first redial again.
                linkedByPeer = false
                do { try await Task.sleep(for: .milliseconds(configuration.higherIndexDialDelayMs)) } catch { return }
                continue
            }
            linkedByPeer = false
            let linksBefore = linksEstablished(peer)
            do {
                let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(.milliseconds(Int64(clamping: configuration.handshakeTimeoutMs)))
                    .channelOption(.socketOption(.so_keepalive), value: 1)
                    .channelOption(.writeBufferWaterMark, value: Self.waterMark)
                    .channelInitializer { channel in self.initialize(channel: channel, dialled: peer) }
                    .connect(host: address.host, port: address.port)
                    .get()
                await Self.waitUntilClosedOrCancelled(channel)
            } catch {
                logger.debug(
                    "dial failed",
                    metadata: [
                        "peer.index": "\(peer)", "peer.address": "\(address.host):\(address.port)",
                        "peer.error": "\(error)",
                    ])
            }
            if linksEstablished(peer) != linksBefore { backoff.reset() }
            do {
                try await Task.sleep(for: .milliseconds(backoff.nextDelayMs()))
            } catch {
                return
            }
        }
    }

    /// Builds the pipeline of one link: TLS, framing, connection handler.
    private func initialize(channel: any Channel, dialled: ValidatorIndex?) -> EventLoopFuture<Void> {
        let id = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            guard !state.stopping else { return false }
            if dialled == nil {
                // Anyone can open a TCP connection: cap those that have not authenticated yet.
                guard state.pendingHandshakes.count < configuration.pendingHandshakesMax else {
                    state.stats.connectionsRefused += 1
                    return false
                }
                state.pendingHandshakes.insert(id)
            }
            state.openChannels[id] = channel
            return true
        }
        guard accepted else { return channel.close() }
        channel.closeFuture.whenComplete { _ in
            self.state.withLock { state in
                state.openChannels.removeValue(forKey: id)
                state.pendingHandshakes.remove(id)
            }
        }
        do {
            var linkLogger = logger
            linkLogger[metadataKey: "peer.direction"] = dialled == nil ? "inbound" : "outbound"
            let authentication = PeerAuthentication()
            let verify = makeVerificationCallback(
                authentication: authentication, dialled: dialled, channel: channel, logger: linkLogger)
            let tlsHandler: NIOSSLHandler =
                if dialled == nil {
                    NIOSSLServerHandler(context: tls.serverContext, customVerificationCallback: verify)
                } else {
                    try NIOSSLClientHandler(
                        context: tls.clientContext, serverHostname: nil, customVerificationCallback: verify)
                }
            var handlers: [any ChannelHandler] = [
                tlsHandler, ByteToMessageHandler(FrameDecoder(frameBytesMax: configuration.frameBytesMax)),
            ]
            if configuration.readIdleTimeoutMs > 0 {
                handlers.append(
                    IdleStateHandler(readTimeout: .milliseconds(Int64(clamping: configuration.readIdleTimeoutMs))))
            }
            handlers.append(
                PeerConnectionHandler(
                    network: self, authentication: authentication, dialled: dialled, logger: linkLogger))
            try channel.pipeline.syncOperations.addHandlers(handlers)
            return channel.eventLoop.makeSucceededVoidFuture()
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    /// The TLS chain check: accept exactly a genesis validator key (the dialled one when dialling).
    private func makeVerificationCallback(
        authentication: PeerAuthentication, dialled: ValidatorIndex?, channel: any Channel, logger: Logger
    ) -> NIOSSLCustomVerificationCallback {
        return { certificates, promise in
            switch PeerTLS.acceptedPeer(
                certificates: certificates, members: self.state.withLock { $0.members }, expected: dialled)
            {
            case .success(let key):
                authentication.publicKey = key
                promise.succeed(.certificateVerified)
            case .failure(let refusal):
                // Needs no key to provoke: logged at most once a minute, always counted.
                if let suppressed = self.logLimiter.allow("tls-refused") {
                    logger.warning(
                        "peer key refused",
                        metadata: [
                            "peer.address": "\(channel.remoteAddress.map { "\($0)" } ?? "unknown")",
                            "peer.reason": "\(refusal)",
                            "log.suppressed": "\(suppressed)",
                        ])
                }
                promise.succeed(.failed)
            }
        }
    }

    private static let waterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 << 10, high: 1 << 20)

    private static func waitUntilClosedOrCancelled(_ channel: any Channel) async {
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    private func closeEverything(server: any Channel) async {
        let channels = state.withLock { state in
            state.stopping = true
            state.localPort = nil
            return Array(state.openChannels.values)
        }
        server.close(promise: nil)
        // Close all at once, then wait: each TLS close may wait up to its shutdown timeout.
        for channel in channels { channel.close(promise: nil) }
        try? await server.closeFuture.get()
        for channel in channels { try? await channel.closeFuture.get() }
        logger.info("peer network stopped")
    }

    private func linksEstablished(_ peer: ValidatorIndex) -> UInt64 {
        state.withLock { $0.peers[Int(peer.rawValue)]?.linksEstablished ?? 0 }
    }
}
