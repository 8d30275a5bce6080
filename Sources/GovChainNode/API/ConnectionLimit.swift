import NIOCore
import Synchronization

/// At most `limit` HTTP connections open at once; one more is closed as soon as it is accepted
/// (issue 13: 1 100 idle connections once exhausted a node's descriptors, silenced its API and
/// then crashed it). Counted per connection pipeline: `handlerAdded` and `handlerRemoved` come in
/// pairs on the connection's event loop, whatever happens to the connection.
final class ConnectionLimit: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Connections open now, and connections closed at once because the limit was reached.
    var counts: (open: Int, refused: Int) { (open.load(ordering: .relaxed), refused.load(ordering: .relaxed)) }

    /// A fresh handler for one connection's pipeline.
    func handler() -> Handler { Handler(limit: self) }

    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        private let limit: ConnectionLimit
        private var counted = false

        init(limit: ConnectionLimit) { self.limit = limit }

        func handlerAdded(context: ChannelHandlerContext) {
            let now = limit.open.wrappingAdd(1, ordering: .relaxed).newValue
            counted = true
            guard now > limit.limit else { return }
            limit.refused.wrappingAdd(1, ordering: .relaxed)
            // Not from inside pipeline setup: on the next turn of this connection's event loop.
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.execute { loopBound.value.close(promise: nil) }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            guard counted else { return }
            counted = false
            limit.open.wrappingSubtract(1, ordering: .relaxed)
        }
    }
}
