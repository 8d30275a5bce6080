import Foundation
import GovChainCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client over SwiftNIO for talking to a node: one request per connection,
/// bounded in time and response size. (Foundation's URLSession on Linux pulls in libcurl at run
/// time; NIO is already a dependency.)
enum HTTPClient {
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
        /// The `Retry-After` header in seconds, when the node sent one (a 503 under load).
        var retryAfterSeconds: Int? = nil
    }

    static let responseBytesMax = 16 << 20

    static func request(
        _ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String? = nil,
        timeoutSeconds: Int64 = 40
    ) async throws(GovChainError) -> Reply {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host else {
            throw GovChainError(code: .invalidUrl, message: "\"\(url)\" is not an http:// URL of a GovChain node.")
        }
        let port = parsed.port ?? 80
        var path = parsed.path.isEmpty ? "/" : parsed.path
        if let query = parsed.query { path += "?\(query)" }
        let spec = RequestSpec(method: method, host: host, port: port, path: path, body: body, contentType: contentType)
        // A GET is safe to repeat: one retry covers a connection the server closed early.
        if method == .GET, let reply = try? await attempt(spec, timeoutSeconds: timeoutSeconds) { return reply }
        return try await attempt(spec, timeoutSeconds: timeoutSeconds)
    }

    private static func attempt(_ spec: RequestSpec, timeoutSeconds: Int64) async throws(GovChainError) -> Reply {
        do {
            return try await perform(spec, timeoutSeconds: timeoutSeconds)
        } catch let error as GovChainError {
            throw error
        } catch {
            throw GovChainError(
                code: .nodeUnreachable,
                message: "Cannot reach the node at \(spec.host):\(spec.port). Is it running? Set another with --node.",
                underlying: error)
        }
    }

    private struct RequestSpec: Sendable {
        var method: HTTPMethod
        var host: String
        var port: Int
        var path: String
        var body: [UInt8]?
        var contentType: String?
    }

    /// One request on its own connection. Plain channel handlers and one promise, not
    /// `NIOAsyncChannel`: a connect that fails or is cancelled after the async channel was made
    /// traps in NIO ("Deinited NIOAsyncWriter without calling finish()", swift-nio #2637). The
    /// deadline closes the channel, which fails the promise; so does task cancellation.
    private static func perform(_ spec: RequestSpec, timeoutSeconds: Int64) async throws -> Reply {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let reply = eventLoop.makePromise(of: Reply.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(.seconds(min(5, timeoutSeconds)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector(reply: reply))
                    }
                }
                .connect(host: spec.host, port: spec.port).get()
        } catch {
            reply.fail(error)
            throw error
        }
        let timeout = GovChainError(
            code: .nodeTimeout,
            message: "The node at \(spec.host):\(spec.port) did not answer within \(timeoutSeconds) s.")
        let deadline = eventLoop.scheduleTask(in: .seconds(timeoutSeconds)) {
            reply.fail(timeout)
            channel.close(promise: nil)
        }
        reply.futureResult.whenComplete { _ in deadline.cancel() }
        var head = HTTPRequestHead(version: .http1_1, method: spec.method, uri: spec.path)
        head.headers.add(name: "Host", value: "\(spec.host):\(spec.port)")
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "Content-Length", value: String(spec.body?.count ?? 0))
        if let contentType = spec.contentType { head.headers.add(name: "Content-Type", value: contentType) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body = spec.body {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        return try await withTaskCancellationHandler {
            try await reply.futureResult.get()
        } onCancel: {
            reply.fail(CancellationError())
            channel.close(promise: nil)
        }
    }

    /// Collects one response (head, body up to `responseBytesMax`, end) into the promise; an
    /// error or a close before the end fails it. A promise completes once; later results are
    /// dropped.
    private final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        private let reply: EventLoopPromise<Reply>
        private var status = 0
        private var retryAfter: Int?
        private var bytes: [UInt8] = []

        init(reply: EventLoopPromise<Reply>) { self.reply = reply }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                status = Int(head.status.code)
                retryAfter = head.headers.first(name: "Retry-After").flatMap { Int($0) }
            case .body(var buffer):
                guard bytes.count + buffer.readableBytes <= HTTPClient.responseBytesMax else {
                    reply.fail(NIOTooManyBytesError(maxBytes: HTTPClient.responseBytesMax))
                    context.close(promise: nil)
                    return
                }
                bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                reply.succeed(Reply(status: status, body: bytes, retryAfterSeconds: retryAfter))
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            reply.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            reply.fail(ChannelError.eof)
            context.fireChannelInactive()
        }
    }
}
