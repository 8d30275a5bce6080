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

    @Test("a stalled queue (no commit for longer than the bound while transactions wait) refuses, whatever the rate")
    func stalledQueue() {
        var control = AdmissionControl(waitMsMax: 2_000)
        control.noteCommitted(0, waitingAfter: 1, nowMs: 0)
        control.noteCommitted(10_000, waitingAfter: 1, nowMs: 1_000)
        // The oldest waits since 500, but a block landed at 1000: 2.6 s without progress by 3600.
        #expect(
            control.decide(waiting: 200, oldestAdmittedMs: 500, nowMs: 3_600)
                == .refuse(expectedWaitMs: 2_600, retryAfterSeconds: 2))
        #expect(control.decide(waiting: 200, oldestAdmittedMs: 500, nowMs: 2_900) == .admit)
        // Under load the oldest may have waited long while blocks keep landing: no refusal.
        control.noteCommitted(1_000, waitingAfter: 200, nowMs: 3_500)
        #expect(control.decide(waiting: 200, oldestAdmittedMs: 500, nowMs: 3_600) == .admit)
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
        let router = Router(context: NodeRequestContext.self)
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
            // A batch is refused before any signature is checked: a forged one is "busy" too.
            var forged = TestChain.anchor("forged").encoded
            forged[forged.count - 1] ^= 1
            var writer = ByteWriter()
            for bytes in [TestChain.anchor("batch").encoded, forged] { writer.longBytes(bytes) }
            let batch = try await client.execute(
                uri: "/v1/transactions/batch", method: .post, headers: [.contentType: "application/octet-stream"],
                body: ByteBuffer(bytes: writer.bytes))
            let results = try JSONDecoder().decode([BatchResult].self, from: Data(buffer: batch.body))
            #expect(results.map { $0.error?.code } == ["node_busy", "node_busy"])
        }
        _ = try await node.mempool.submit(TestChain.anchor("from a peer").encoded, gossip: false)
        #expect(node.mempool.count == 101)
    }
}

/// Blocks no larger than the validators execute inside the propose timeout (issue 12: heights
/// that outlast their timeouts made rounds fail and throughput collapse).
@Suite("Block size target")
struct BlockTargetTests {
    @Test("half the propose timeout at the measured pace, within 100…the genesis limit; the limit until measured")
    func target() {
        func target(_ pace: Double?, limit: Int = 5_000) -> Int {
            ChainExecutor.blockTarget(limit: limit, timeoutProposeMs: 1_000, msPerTransaction: pace)
        }
        #expect(target(nil) == 5_000)
        #expect(target(0.4) == 1_250)
        #expect(target(0.05) == 5_000)
        #expect(target(20) == 100)
        #expect(target(20, limit: 50) == 50)
        #expect(target(.infinity) == 5_000 && target(0) == 5_000 && target(-1) == 5_000)
    }

    @Test("a committed block of at least 50 transactions sets the pace the next builder uses")
    func measured() async throws {
        let chain = try TestChain()
        defer { chain.remove() }
        let node = try chain.node()
        #expect(node.chain.measuredMsPerTransaction == nil)
        #expect(node.candidateCountMax == 2 * chain.genesis.consensus.blockTxsMax)
        let anchors = (0..<60).map { TestChain.anchor("pace \($0)") }
        try await node.chain.produce(candidates: anchors)
        #expect(node.store.height.rawValue == 1)
        let pace = try #require(node.chain.measuredMsPerTransaction)
        #expect(pace > 0)
        #expect(
            node.chain.blockTransactionsTarget
                == ChainExecutor.blockTarget(
                    limit: chain.genesis.consensus.blockTxsMax,
                    timeoutProposeMs: chain.genesis.consensus.timeoutProposeMs, msPerTransaction: pace))
    }
}
