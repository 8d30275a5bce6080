import Foundation
import Testing

/// The harness itself. On CI, `Harness.run` used to poll a child with `usleep`, holding one of
/// the two threads Swift concurrency has here; two such waits at once starved the lying proxy,
/// the hostile peer and every HTTP timeout in the test process for minutes.
@Suite struct HarnessTests {
    @Test("waiting for programs holds no thread: a timer fires on time while four children run")
    func waitingHoldsNoThread() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let result = try await Harness.run("/bin/sleep", ["2"])
                    #expect(result.status == 0)
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(200))
                let began = ContinuousClock.now
                try await Task.sleep(for: .milliseconds(100))
                let late = ContinuousClock.now - began
                #expect(late < .seconds(1), "a 100 ms timer took \(late) while children ran")
            }
            try await group.waitForAll()
        }
    }

    @Test("a program that outlives its timeout is killed, and the wait ends")
    func timeoutKills() async throws {
        let began = ContinuousClock.now
        let result = try await Harness.run("/bin/sleep", ["30"], timeout: 1)
        #expect(result.status == SIGKILL)
        #expect(ContinuousClock.now - began < .seconds(10))
    }
}
