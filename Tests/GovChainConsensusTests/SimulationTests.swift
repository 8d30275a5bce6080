import GovChainCore
import GovChainSimulation
import Testing

/// The simulator over many seeds. Each profile runs as its own test so the two cores share
/// the work; 4 × 100 = 400 seeds with n from 4 to 7 and f byzantine validators.
@Suite("Simulation")
struct SimulationTests {
    static let seedsPerProfile: UInt64 = 100

    @Test("with at most f byzantine validators nothing breaks", arguments: ["calm", "default", "chaos", "partition"])
    func honestMajority(profile: String) {
        for seed in 1...Self.seedsPerProfile {
            let validators = 4 + Int(seed % 4)
            let options = SimulationOptions(
                validators: validators, byzantine: (validators - 1) / 3, profile: profile, heights: 3)
            let result = Simulation.run(seed: seed, options: options)
            #expect(result.violation == nil, "\(profile) n=\(validators): \(result)")
            #expect(result.heightsDecided >= 3, "\(profile) n=\(validators): \(result)")
        }
    }

    @Test(
        "set changes mid-run (a join, a removal, a key rotation) with f byzantine in every set: nothing breaks, and the chain shows each change",
        arguments: ["calm", "default", "chaos", "partition"])
    func setChanges(profile: String) {
        var joined = 0, rotated = 0
        let seeds = UInt64(1)...20
        for seed in seeds {
            let validators = 4 + Int(seed % 2) * 3  // 4 or 7
            var options = SimulationOptions(
                validators: validators, byzantine: (validators - 1) / 3, profile: profile, heights: 12)
            options.setChanges = true
            let result = Simulation.run(seed: seed, options: options)
            #expect(result.violation == nil, "\(profile) n=\(validators): \(result)")
            guard let membership = result.membership else {
                Issue.record("no membership outcome")
                return
            }
            #expect(membership.changes.contains("add") && membership.changes.contains("rotate"), "\(result)")
            #expect(membership.removedSigned == 0, "a removed validator signed: \(result)")
            #expect(membership.wrongSetHeaders == 0, "a header names another set: \(result)")
            if membership.changes.contains("remove") { #expect(membership.removedRetired, "\(result)") }
            if membership.joinerSigned > 0 { joined += 1 }
            if membership.rotatedSigned > 0 { rotated += 1 }
        }
        // Commits need only more than two thirds, so a late joiner or a restarting rotated node is
        // sometimes not among the signers; in most seeds both are.
        #expect(joined >= seeds.count * 3 / 4, "\(profile): joiner signed in \(joined) of \(seeds.count) seeds")
        #expect(rotated >= seeds.count / 2, "\(profile): rotated key signed in \(rotated) of \(seeds.count) seeds")
    }

    @Test("every byzantine behaviour is survived at n = 4, f = 1", arguments: ByzantineBehavior.allCases)
    func eachBehaviour(behavior: ByzantineBehavior) {
        for seed in UInt64(100)...110 {
            let options = SimulationOptions(
                validators: 4, byzantine: 1, profile: "default", heights: 3, behavior: behavior)
            let result = Simulation.run(seed: seed, options: options)
            #expect(result.violation == nil, "\(behavior): \(result)")
        }
    }

    @Test("same seed and options: identical result and trace")
    func replayIsDeterministic() {
        for (seed, profile) in [(UInt64(7), "chaos"), (42, "partition"), (3, "default")] {
            let options = SimulationOptions(
                validators: 5, byzantine: 1, profile: profile, heights: 3, recordTrace: true)
            let first = Simulation.run(seed: seed, options: options)
            let second = Simulation.run(seed: seed, options: options)
            #expect(first == second)
            #expect(!first.trace.isEmpty && first.trace == second.trace)
            let other = Simulation.run(seed: seed + 1, options: options)
            #expect(other.traceDigest != first.traceDigest)
        }
    }

    /// With f + 1 byzantine validators the algorithm's guarantee is gone, and the checker must
    /// see it: a blind checker fails here.
    @Test(
        "one byzantine validator too many: the checker finds an agreement violation",
        arguments: [
            (4, 2, ByzantineBehavior.equivocate), (4, 2, .twins), (7, 3, .equivocate),
        ])
    func checkerSeesTooManyByzantine(validators: Int, byzantine: Int, behavior: ByzantineBehavior) {
        let options = SimulationOptions(
            validators: validators, byzantine: byzantine, profile: "calm", heights: 4, behavior: behavior)
        let found = (UInt64(1)...10).lazy
            .map { Simulation.run(seed: $0, options: options) }
            .first { $0.violation?.kind == .agreement }
        #expect(found != nil, "no agreement violation in seeds 1-10 for n=\(validators), b=\(byzantine), \(behavior)")
    }

    /// The new attacks are only worth simulating if the checker notices when a rule is missing:
    /// with honest validators told to skip the clock bound, a byzantine proposer's far-future
    /// block gets committed, and the validity invariant reports it, replayably.
    @Test("a weakened time rule is caught by the validity invariant and replays from its seed")
    func weakenedTimeRuleIsCaught() {
        let options = SimulationOptions(
            validators: 4, byzantine: 1, profile: "calm", heights: 6, behavior: .badTime, weakened: .timeCheck)
        let found = (UInt64(1)...20).lazy.map { Simulation.run(seed: $0, options: options) }.first {
            $0.violation?.kind == .validity
        }
        #expect(found != nil, "no validity violation with the time check disabled")
        if let found {
            #expect(found.violation?.details.contains("block_time_in_future") == true, "\(found)")
            #expect(Simulation.run(seed: found.seed, options: options) == found)
        }
        // The same seeds with the rule in force: nothing breaks.
        var strict = options
        strict.weakened = nil
        for seed in UInt64(1)...20 {
            #expect(Simulation.run(seed: seed, options: strict).violation == nil)
        }
    }

    @Test("equivocation is detected and ends up as evidence in a committed block")
    func evidenceIsCommitted() {
        let options = SimulationOptions(validators: 4, byzantine: 1, profile: "calm", heights: 6, behavior: .equivocate)
        let results = (UInt64(1)...10).map { Simulation.run(seed: $0, options: options) }
        #expect(results.allSatisfy { $0.violation == nil })
        #expect(results.contains { $0.evidenceCommitted > 0 })
    }

    @Test("options are validated with a message for the CLI")
    func optionsValidation() {
        #expect(throws: GovChainError.self) { try SimulationOptions(validators: 0).validate() }
        #expect(throws: GovChainError.self) { try SimulationOptions(validators: 4, byzantine: 4).validate() }
        #expect(throws: GovChainError.self) { try SimulationOptions(profile: "storm").validate() }
        #expect(throws: GovChainError.self) { try SimulationOptions(heights: 0).validate() }
        #expect(throws: Never.self) { try SimulationOptions().validate() }
        var changing = SimulationOptions(heights: 9)
        changing.setChanges = true
        #expect(throws: GovChainError.self) { try changing.validate() }
        changing.heights = 10
        #expect(throws: Never.self) { try changing.validate() }
        #expect(Simulation.profiles == ["calm", "default", "chaos", "partition"])
    }
}
