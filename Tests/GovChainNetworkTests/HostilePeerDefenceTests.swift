import Foundation
import GovChainCore
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import GovChainNetwork

/// The network's defences against a flooding or silent peer and an outsider on the port:
/// fair lanes with byte budgets, back-pressure, bounded outbound bytes, rate-limited logs, the
/// pending-handshake cap and the read-idle timeout.
@Suite("Peer defences", .serialized, .timeLimit(.minutes(1)))
struct HostilePeerDefenceTests {
    @Test("lanes are served round-robin, and one peer's flood only fills its own lane")
    func fairQueue() {
        var queue = FairQueue<Int>(bytesPerPeerMax: 100)
        for i in 0..<10 { _ = queue.push(i, size: 10, from: 1) }
        let overBudget = queue.push(99, size: 10, from: 1)
        #expect(!overBudget, "peer 1 is over its budget")
        let other = queue.push(1000, size: 10, from: 2) && queue.push(1001, size: 10, from: 2)
        #expect(other)
        var order: [ValidatorIndex] = []
        while let (peer, _) = queue.pop() { order.append(peer) }
        #expect(Array(order.prefix(4)) == [1, 2, 1, 2], "\(order)")
        #expect(order.count == 12 && queue.isEmpty && queue.bytes(of: 1) == 0)
        // An empty lane takes one element larger than the budget, so a maximal frame always fits.
        let big = queue.push(7, size: 500, from: 3)
        let more = queue.push(8, size: 1, from: 3)
        #expect(big && !more)
        queue.removeAll(from: 3)
        #expect(queue.isEmpty && queue.bytes(of: 3) == 0)
    }

    @Test("the inbox hands payloads to a waiting consumer, pauses a filling lane and resumes it once drained")
    func inboxBackPressure() async throws {
        let inbox = PeerInbox(bytesPerPeerMax: 16 * PeerInbox.frameCostBytesMin)
        let resumed = ResumeCounter()
        var results: [PeerInbox.PushResult] = []
        for _ in 0..<10 { results.append(inbox.push([1], from: 4, resume: { resumed.increment() })) }
        #expect(results.prefix(7).allSatisfy { $0 == .accepted })
        #expect(results[7] == .acceptedPause, "\(results)")
        for _ in 0..<7 { _ = await inbox.next() }
        #expect(resumed.count == 1, "resumed once the lane drained below a quarter")
        for _ in 0..<3 { _ = await inbox.next() }
        // A consumer waiting on an empty inbox gets the next payload directly.
        async let waiting = inbox.next()
        try await Task.sleep(for: .milliseconds(50))
        #expect(inbox.push([9], from: 2))
        let handed = await waiting
        #expect(handed?.payload == [9])
        inbox.finish()
        #expect(await inbox.next() == nil)
    }

    @Test("outbound queues are bounded in bytes as well as frames")
    func outboundBytes() {
        var queue = BoundedFrameQueue<[UInt8]>(capacity: 100, bytesMax: 1_000)
        for _ in 0..<10 { queue.append([UInt8](repeating: 0, count: 300)) }
        #expect(queue.bytes <= 1_000 && queue.count == 3)
        _ = queue.popFirst()
        let left = queue.bytes
        #expect(left == 600)
    }

    @Test("a repeated warning is let through once per interval, with the count it held back")
    func logLimiter() {
        let limiter = LogLimiter(intervalMs: 1_000)
        #expect(limiter.allow("x", nowMs: 0) == 0)
        #expect(limiter.allow("x", nowMs: 10) == nil)
        #expect(limiter.allow("x", nowMs: 999) == nil)
        #expect(limiter.allow("y", nowMs: 999) == 0)
        #expect(limiter.allow("x", nowMs: 1_000) == 2)
    }

    @Test("connections that never authenticate are capped; an established link that goes silent is closed")
    func handshakeCapAndIdleLinks() async throws {
        let ports = try await freePorts(2)
        let genesis = TestGenesis(count: 2, ports: ports)
        var configuration = genesis.configuration(1, port: ports[1])
        configuration.pendingHandshakesMax = 3
        configuration.handshakeTimeoutMs = 5_000
        configuration.readIdleTimeoutMs = 300
        let listener = try RunningNode(configuration, label: "listener")
        defer { Task { await listener.stop() } }
        try await eventually("listening") { listener.network.localPort != nil }
        // Eight silent TCP connections: three may wait in the handshake, the rest are closed at once.
        var sockets: [Int32] = []
        for _ in 0..<8 { sockets.append(try Self.connect(port: ports[1])) }
        try await eventually("refusals counted") { listener.network.stats.connectionsRefused >= 5 }
        for fd in sockets { close(fd) }
        // A real peer links, then says nothing: the idle timeout closes the link.
        var quiet = genesis.configuration(0, port: ports[0])
        quiet.readIdleTimeoutMs = 0
        let dialler = try RunningNode(quiet, label: "quiet")
        try await eventually("linked") {
            listener.network.connectedPeers() == [0] || listener.network.stats.idleLinksClosed > 0
        }
        try await eventually("idle link closed", seconds: 5) { listener.network.stats.idleLinksClosed >= 1 }
        await dialler.stop()
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw TimedOut(description: "connect failed") }
        return fd
    }
}

final class ResumeCounter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
