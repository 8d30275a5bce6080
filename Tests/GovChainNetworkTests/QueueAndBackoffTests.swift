import Testing

@testable import GovChainNetwork

@Suite("Queue and backoff")
struct QueueAndBackoffTests {
    @Test func boundedQueueDropsOldest() {
        var queue = BoundedFrameQueue<Int>(capacity: 3)
        #expect(queue.append(1) == false)
        #expect(queue.append(2) == false)
        #expect(queue.append(3) == false)
        #expect(queue.append(4) == true)
        #expect(queue.count == 3)
        #expect(queue.popFirst() == 2)
        #expect(queue.popFirst() == 3)
        #expect(queue.popFirst() == 4)
        #expect(queue.popFirst() == nil)
    }

    @Test func boundedQueueStaysBoundedUnderChurn() {
        var queue = BoundedFrameQueue<Int>(capacity: 100)
        var dropped = 0
        for value in 0..<10_000 {
            if queue.append(value) { dropped += 1 }
            if value % 3 == 0 { _ = queue.popFirst() }
            #expect(queue.count <= 100)
        }
        #expect(dropped > 0)
        var last = -1
        while let value = queue.popFirst() {
            #expect(value > last)
            last = value
        }
        #expect(last == 9_999)
    }

    @Test func backoffGrowsWithJitterUpToTheMaximumAndResets() {
        var backoff = ReconnectBackoff(baseDelayMs: 100, delayMsMax: 5_000, seed: 7)
        let ceilings: [UInt64] = [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]
        for ceiling in ceilings {
            let delay = backoff.nextDelayMs()
            #expect(delay >= ceiling / 2 && delay <= ceiling, "delay \(delay) outside [\(ceiling / 2), \(ceiling)]")
        }
        for _ in 0..<100 { #expect(backoff.nextDelayMs() <= 5_000) }
        backoff.reset()
        #expect(backoff.nextDelayMs() <= 100)

        // Same seed, same delays: failures are reproducible.
        var a = ReconnectBackoff(baseDelayMs: 10, delayMsMax: 1_000, seed: 99)
        var b = ReconnectBackoff(baseDelayMs: 10, delayMsMax: 1_000, seed: 99)
        #expect((0..<20).map { _ in a.nextDelayMs() } == (0..<20).map { _ in b.nextDelayMs() })
    }
}
