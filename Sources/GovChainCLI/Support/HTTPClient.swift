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
        let (host, port) = (spec.host, spec.port)
        do {
            return try await withThrowingTaskGroup(of: Reply.self) { group in
                group.addTask { try await perform(spec) }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeoutSeconds))
                    throw GovChainError(
                        code: .nodeTimeout,
                        message: "The node at \(host):\(port) did not answer within \(timeoutSeconds) s.")
                }
                // The first task to finish wins; the loser is cancelled.
                let reply = try await group.next()!
                group.cancelAll()
                return reply
            }
        } catch let error as GovChainError {
            throw error
        } catch {
            throw GovChainError(
                code: .nodeUnreachable,
                message: "Cannot reach the node at \(host):\(port). Is it running? Set another with --node.",
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

    private static func perform(_ spec: RequestSpec) async throws -> Reply {
        let (method, host, port, path, body, contentType) = (
            spec.method, spec.host, spec.port, spec.path, spec.body, spec.contentType
        )
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: "\(host):\(port)")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Content-Length", value: String(body?.count ?? 0))
            if let contentType { head.headers.add(name: "Content-Type", value: contentType) }
            try await outbound.write(.head(head))
            if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status = 0
            var bytes: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(var buffer):
                    guard bytes.count + buffer.readableBytes <= responseBytesMax else {
                        throw NIOTooManyBytesError(maxBytes: responseBytesMax)
                    }
                    bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end: return Reply(status: status, body: bytes)
                }
            }
            return Reply(status: status, body: bytes)
        }
    }
}
