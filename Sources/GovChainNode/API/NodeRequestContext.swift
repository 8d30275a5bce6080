import Hummingbird
import NIOCore

/// Hummingbird's request context plus the client's address (for the per-client rate limit of
/// the write routes).
package struct NodeRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The address a rate limit is kept for: the IP, without the port.
    var clientAddress: String? { remoteAddress?.ipAddress }
}
