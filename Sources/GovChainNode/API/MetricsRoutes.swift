import GovChainCore
import Hummingbird

extension APIRoutes {
    /// `GET /metrics`: Prometheus text format (docs/OPERATIONS.md, "Metrics").
    func metrics() -> Response {
        let head = store.head
        let state = NodeMetrics.State(
            height: head?.height.rawValue ?? 0, latestBlockTimeMs: head?.time.rawValue, consensus: consensus?(),
            mempoolCount: node.mempool.count, mempoolBytes: node.mempool.bytes, peers: peers?(),
            transactionCache: node.mempool.verified.counts, messageCache: node.verifiedMessages.counts)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: node.metrics.render(state))))
    }
}

/// Counts every answered request by its route pattern (`/v1/documents/{hash}`, not the hash:
/// bounded labels) and status. Requests that match no route count as `unmatched`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: NodeMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.request(route: Self.route(context), status: response.status.code)
            return response
        } catch let error as HTTPResponseError {
            metrics.request(route: Self.route(context), status: error.status.code)
            throw error
        } catch {
            metrics.request(route: Self.route(context), status: 500)
            throw error
        }
    }

    static func route(_ context: Context) -> String { context.endpointPath ?? "unmatched" }
}
