import Foundation
import GovChainAPI
import GovChainCore
import GovChainStorage
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import GovChainNode

/// Overload must plateau (issue 12): past capacity a client is refused at once with 503
/// `node_busy` and `Retry-After`, from the measured commit rate and the mempool's age.
@Suite("Admission control")
struct AdmissionControlTests {
    @Test("nothing is refused below the floor, nor before a rate was measured while the queue is young")
    func floorAndColdStart() {
        let control = AdmissionControl(waitMsMax: 2_000, floorCount: 100)
        #expect(control.decide(waiting: 99, oldestAdmittedMs: 0, nowMs: 1_000_000) == .admit)
        #expect(control.decide(waiting: 40_000, oldestAdmittedMs: 9_000, nowMs: 10_000) == .admit)
        #expect(control.rate == nil)
    }

    @Test("the rate is measured only over intervals that began with a backlog: idle blocks say nothing")
    func rateMeasuresCapacity() {
        var control = AdmissionControl(waitMsMax: 2_000)
        control.noteCommitted(10, waitingAfter: 0, nowMs: 1_000)
        control.noteCommitted(10, waitingAfter: 0, nowMs: 61_000)  // idle: 10 in a minute is demand
        #expect(control.rate == nil)
        control.noteCommitted(500, waitingAfter: 3_000, nowMs: 62_000)  // began idle: still no sample
        #expect(control.rate == nil)
        control.noteCommitted(1_000, waitingAfter: 2_000, nowMs: 63_000)  // a busy second: 1000/s
        #expect(control.rate == 1_000)
        control.noteCommitted(500, waitingAfter: 1_500, nowMs: 64_000)  // 500/s, weighted in
        #expect(control.rate == 1_000 + AdmissionControl.smoothing * (500 - 1_000))
    }

    @Test("a transaction expected to wait past the bound is refused, with a Retry-After in 1…60 s")
    func expectedWait() {
        var control = AdmissionControl(waitMsMax: 2_000)
        control.noteCommitted(0, waitingAfter: 1, nowMs: 0)
        control.noteCommitted(1_000, waitingAfter: 1, nowMs: 1_000)  // 1000/s
        #expect(control.decide(waiting: 1_999, oldestAdmittedMs: 900, nowMs: 1_000) == .admit)
        #expect(
            control.decide(waiting: 5_000, oldestAdmittedMs: 900, nowMs: 1_000)
                == .refuse(expectedWaitMs: 5_000, retryAfterSeconds: 4))
        #expect(
            control.decide(waiting: 10_000_000, oldestAdmittedMs: nil, nowMs: 1_000)
                == .refuse(expectedWaitMs: 10_000_000, retryAfterSeconds: 60))
    }

    @Test("a queue that does not drain (the oldest waited past the bound) refuses even with a good rate")
    func mempoolAge() {
        var control = AdmissionControl(waitMsMax: 2_000)
        control.noteCommitted(0, waitingAfter: 1, nowMs: 0)
        control.noteCommitted(10_000, waitingAfter: 1, nowMs: 1_000)
        #expect(
            control.decide(waiting: 200, oldestAdmittedMs: 1_000, nowMs: 3_600)
                == .refuse(expectedWaitMs: 2_600, retryAfterSeconds: 2))
        #expect(control.decide(waiting: 200, oldestAdmittedMs: 1_000, nowMs: 2_900) == .admit)
    }

    @Test("through the API: 503 node_busy with Retry-After for clients; peers' gossip is still taken")
    func apiAnswers503WithRetryAfter() async throws {
        let chain = try TestChain()
        defer { chain.remove() }
        let now = Mutex(TestChain.now.rawValue)
        let store = try BlockStore(directory: chain.directory + "/busy", genesis: chain.genesis)
        let node = try Node(
            name: "v0", genesis: chain.genesis, store: store, key: chain.keys[0], limits: (10_000, 16 << 20),
            admissionWaitMsMax: 1_000, solo: true, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            clock: { Timestamp(rawValue: now.withLock { $0 }) })
        // Nothing commits (no producer runs): a hundred wait, then the oldest ages past 1 s.
        for i in 0..<100 { _ = try await node.mempool.submit(TestChain.anchor("busy \(i)").encoded) }
        now.withLock { $0 += 5_000 }
        let router = Router()
        APIRoutes(node: node, requestBytesMax: 64 << 10, commitWaitMsMax: 2_000).register(on: router)
        try await Application(router: router).test(.router) { client in
            let refused = try await client.execute(
                uri: "/v1/transactions", method: .post, headers: [.contentType: "application/octet-stream"],
                body: ByteBuffer(bytes: TestChain.anchor("one more").encoded))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "5")
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: refused.body))
            #expect(body.error.code == "node_busy")
            #expect(body.error.message.contains("Try again in 5 s"), "\(body.error.message)")
        }
        _ = try await node.mempool.submit(TestChain.anchor("from a peer").encoded, gossip: false)
        #expect(node.mempool.count == 101)
    }
}
