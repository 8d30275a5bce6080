import GovChainCore

/// What to simulate for one seed. The CLI builds this from its flags and calls `validate()`.
package struct SimulationOptions: Hashable, Sendable {
    /// Validators in the network (4 to 7 is the tested range; 1 to 16 are accepted).
    package var validators: Int
    /// How many of them are byzantine. At most ⌊(n − 1) / 3⌋ keeps the guarantees; one more is
    /// allowed so the checker can be shown to catch the resulting violations.
    package var byzantine: Int
    /// Fault profile, one of `Simulation.profiles`.
    package var profile: String
    /// Heights every honest node must decide before the run ends.
    package var heights: Int
    /// Fixes the byzantine behaviour; nil lets the seed choose one.
    package var behavior: ByzantineBehavior?
    /// Keep a human-readable line per event in `SeedResult.trace` (slow; for debugging one seed).
    package var recordTrace: Bool
    /// Test-only: honest validators skip one of their rules, to show that the checker notices.
    package var weakened: WeakenedRule?
    /// A validator joins, an honest one leaves and another rotates its key during the run
    /// (`MembershipPlan`); needs at least 10 heights.
    package var setChanges: Bool = false

    /// A rule honest validators can be told to skip (`govchain simulate --weaken …`).
    package enum WeakenedRule: String, Hashable, Sendable, CaseIterable {
        /// Accept proposals dated any time after their parent (no `local clock + drift` bound).
        case timeCheck = "time-check"
    }

    package init(
        validators: Int = 4, byzantine: Int = 1, profile: String = "default", heights: Int = 6,
        behavior: ByzantineBehavior? = nil, recordTrace: Bool = false, weakened: WeakenedRule? = nil
    ) {
        self.validators = validators
        self.byzantine = byzantine
        self.profile = profile
        self.heights = heights
        self.behavior = behavior
        self.recordTrace = recordTrace
        self.weakened = weakened
    }

    package static let validatorsMax = 16
    package static let heightsMax = 10_000

    /// The largest number of byzantine validators the algorithm tolerates: f with n ≥ 3f + 1.
    package var toleratedFaults: Int { (validators - 1) / 3 }

    /// Rejects options `Simulation.run` cannot honour, with a message for the CLI user.
    package func validate() throws(GovChainError) {
        guard (1...Self.validatorsMax).contains(validators) else {
            throw GovChainError(
                code: .simulationOptions,
                message: "--validators must be between 1 and \(Self.validatorsMax), not \(validators).")
        }
        guard byzantine >= 0, byzantine < validators else {
            throw GovChainError(
                code: .simulationOptions,
                message:
                    "--byzantine must be between 0 and \(validators - 1) for \(validators) validators, not \(byzantine)."
            )
        }
        guard Simulation.profiles.contains(profile) else {
            throw GovChainError(
                code: .simulationOptions,
                message: "Unknown --profile \"\(profile)\"; use one of \(Simulation.profiles.joined(separator: ", ")).")
        }
        guard (1...Self.heightsMax).contains(heights) else {
            throw GovChainError(
                code: .simulationOptions, message: "--heights must be between 1 and \(Self.heightsMax), not \(heights)."
            )
        }
        guard !setChanges || (heights >= 10 && validators < Self.validatorsMax) else {
            throw GovChainError(
                code: .simulationOptions,
                message:
                    "--set-changes needs --heights of at least 10 and at most \(Self.validatorsMax - 1) validators (one joins)."
            )
        }
    }
}
