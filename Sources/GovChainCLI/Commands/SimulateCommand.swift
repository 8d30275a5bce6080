import ArgumentParser
import Foundation
import GovChainCore
import GovChainSimulation

/// `govchain simulate`: runs the deterministic fault simulator over a range of seeds and stops at
/// the first violated invariant, printing the command that replays it.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Hammer the consensus state machine with a seeded, deterministic fault simulator.",
        discussion:
            "Exit codes: 0 no violation, 1 bad arguments, 5 a violation was found (the replay command is printed).")

    @Option(help: "How many seeds to run.")
    var seeds: Int = 100

    @Option(help: "First seed.")
    var start: UInt64 = 0

    @Option(help: "Validators per simulated network (4 to 7 is the tested range).")
    var validators: Int = 4

    @Option(help: "Byzantine validators among them.")
    var byzantine: Int = 1

    @Option(help: "Fault profile: \(Simulation.profiles.joined(separator: ", ")).")
    var profile: String = "default"

    @Option(help: "Heights each seed must decide.")
    var heights: Int = 6

    @Option(
        help:
            "Force one byzantine behaviour (\(ByzantineBehavior.allCases.map(\.rawValue).joined(separator: ", "))); default: chosen per seed."
    )
    var behavior: String?

    @Option(
        help:
            "Test-only: let honest validators skip a rule (\(SimulationOptions.WeakenedRule.allCases.map(\.rawValue).joined(separator: ", "))), to see the checker catch the result."
    )
    var weaken: String?

    @Flag(
        help:
            "Change the validator set during each run: one validator joins, an honest one leaves, another rotates its key (needs --heights 10 or more)."
    )
    var setChanges = false

    @Flag(help: "Print every seed's result, not just the summary.")
    var verbose = false

    @Flag(help: "Record and print every event of each seed (slow; for replaying one seed).")
    var trace = false

    func run() async throws {
        var options = SimulationOptions(
            validators: validators, byzantine: byzantine, profile: profile, heights: heights, recordTrace: trace)
        options.setChanges = setChanges
        if let behavior {
            guard let parsed = ByzantineBehavior(rawValue: behavior) else {
                Output.error(GovChainError(code: .invalidArgument, message: "Unknown --behavior \"\(behavior)\"."))
                throw Exit.other
            }
            options.behavior = parsed
        }
        if let weaken {
            guard let rule = SimulationOptions.WeakenedRule(rawValue: weaken) else {
                Output.error(
                    GovChainError(
                        code: .invalidArgument,
                        message:
                            "Unknown --weaken \"\(weaken)\"; use one of \(SimulationOptions.WeakenedRule.allCases.map(\.rawValue).joined(separator: ", "))."
                    ))
                throw Exit.other
            }
            options.weakened = rule
        }
        do { try options.validate() } catch {
            Output.error(error)
            throw Exit.other
        }
        guard seeds > 0 else {
            Output.error(GovChainError(code: .invalidArgument, message: "--seeds must be at least 1."))
            throw Exit.other
        }
        let began = ContinuousClock.now
        var heightsDecided = 0, messages = 0, virtualMs: UInt64 = 0
        for offset in 0..<seeds {
            let seed = start &+ UInt64(offset)
            let result = Simulation.run(seed: seed, options: options)
            heightsDecided += result.heightsDecided
            messages += result.messagesDelivered
            virtualMs += result.virtualTimeMs
            if trace { result.trace.forEach { print($0) } }
            if verbose { print(result) }
            if let violation = result.violation {
                print("VIOLATION on seed \(seed): \(violation)")
                var replay =
                    "govchain simulate --seeds 1 --start \(seed) --validators \(validators) --byzantine \(byzantine) --profile \(profile) --heights \(heights)"
                if let behavior { replay += " --behavior \(behavior)" }
                if let weaken { replay += " --weaken \(weaken)" }
                if setChanges { replay += " --set-changes" }
                print("replay: \(replay) --verbose")
                throw ExitCode(5)
            }
        }
        let elapsed = ContinuousClock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "simulated \(seeds) seeds (\(start)…\(start &+ UInt64(seeds - 1))), \(validators) validators, \(byzantine) byzantine, profile \(profile)\(setChanges ? ", with set changes" : ""): no violation"
        )
        print(
            "  heights decided \(heightsDecided), messages delivered \(messages), virtual time \(virtualMs / 1000) s, \(String(format: "%.1f", Double(seeds) / max(seconds, 0.001))) seeds/s"
        )
    }
}
