import GovChainCore
import Logging
import NIOCore
import NIOSSL

/// The key that the TLS verification callback accepted for one connection.
///
/// Written by the callback and read by `PeerConnectionHandler`, both on the channel's event loop.
final class PeerAuthentication {
    var publicKey: PublicKey?
    init(publicKey: PublicKey? = nil) { self.publicKey = publicKey }
}

/// The thin NIO shell of one link: feeds frames and channel events into a
/// `PeerConnectionStateMachine` and carries out its actions (style.md #13).
///
/// Sits after `NIOSSLHandler` and `ByteToMessageHandler(FrameDecoder)`. Nothing here blocks:
/// payloads go to the network's bounded inbound stream, outbound frames come from the
/// network's per-peer queue through `PeerNetwork.drain`.
final class PeerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var machine: PeerConnectionStateMachine
    private let network: PeerNetwork
    private let authentication: PeerAuthentication
    private let dialled: ValidatorIndex?
    private var logger: Logger
    private var handshakeTimeout: Scheduled<Void>?
    private var established: ValidatorIndex?

    init(network: PeerNetwork, authentication: PeerAuthentication, dialled: ValidatorIndex?, logger: Logger) {
        self.network = network
        self.authentication = authentication
        self.dialled = dialled
        self.logger = logger
        machine = PeerConnectionStateMachine(expectation: network.helloExpectation, dialled: dialled)
    }

    // MARK: - Channel events

    func channelActive(context: ChannelHandlerContext) {
        logger[metadataKey: "peer.address"] = "\(context.channel.remoteAddress.map { "\($0)" } ?? "unknown")"
        if let dialled { logger[metadataKey: "peer.index"] = "\(dialled)" }
        let timeoutMs = Int64(clamping: network.configuration.handshakeTimeoutMs)
        handshakeTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(timeoutMs)) {
            [weak self] in
            guard let self else { return }
            self.perform(self.machine.onHandshakeTimeout(), context: context)
        }
        perform(machine.onActive(), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var body = unwrapInboundIn(data)
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        perform(machine.onFrame(bytes, peerKey: authentication.publicKey), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case is FrameError, is ByteToMessageDecoderError:
            perform(machine.onStreamError("\(error)"), context: context)
        case is NIOSSLError where machine.state == .awaitingHello,
            is BoringSSLError where machine.state == .awaitingHello:
            // In TLS 1.3 the client finishes before the server has checked its certificate, so a
            // refusal by the server reaches the client as a BoringSSLError alert after "handshake done".
            perform(machine.onStreamError("TLS: \(error)"), context: context)
        default:
            // I/O errors and unclean TLS shutdowns of a live link: the peer went away, nothing to count.
            logger.debug("link error", metadata: ["peer.error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshakeTimeout?.cancel()
        handshakeTimeout = nil
        perform(machine.onInactive(), context: context)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            perform(machine.onReadIdle(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let established, context.channel.isWritable {
            network.drain(peer: established, channel: context.channel)
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: - Actions

    private func perform(_ action: PeerConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .sendHello:
            let hello = PeerFrame.hello(network.ownHello)
            context.writeAndFlush(wrapOutboundOut(hello.encoded(allocator: context.channel.allocator)), promise: nil)
        case .establish(let peer):
            handshakeTimeout?.cancel()
            handshakeTimeout = nil
            established = peer
            logger[metadataKey: "peer.index"] = "\(peer)"
            network.linkEstablished(peer: peer, channel: context.channel, outbound: dialled != nil, logger: logger)
        case .deliver(let peer, let payload):
            network.received(PeerMessage(from: peer, payload: payload), channel: context.channel)
        case .close(let reason):
            network.count(reason, peer: established)
            // Outsiders can provoke this at will: one line a minute per kind, always counted.
            let kind: String =
                switch reason {
                case .handshakeRejected: "handshake"
                case .malformedFrame: "malformed-\(established.map { "\($0)" } ?? "?")"
                case .idle: "idle-\(established.map { "\($0)" } ?? "?")"
                }
            if let suppressed = network.logLimiter.allow("close-\(kind)") {
                logger.warning(
                    "closing peer link", metadata: ["peer.reason": "\(reason)", "log.suppressed": "\(suppressed)"])
            }
            context.close(promise: nil)
        case .unregister(let peer):
            established = nil
            network.linkClosed(peer: peer, channel: context.channel, logger: logger)
        }
    }
}

extension PeerConnectionHandler {
    typealias OutboundOut = ByteBuffer
}
