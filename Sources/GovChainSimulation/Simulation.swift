import GovChainCore

/// The deterministic consensus simulator (design §2, issue 3).
///
/// `run(seed:options:)` builds a network of `options.validators` consensus instances with real
/// Ed25519 keys, injects the faults of the chosen profile (loss, duplication, long-tailed
/// delays, partitions that heal, crashes with restart from persisted state) and the byzantine
/// behaviour, and checks agreement, validity, honest double-signing and liveness as it goes.
/// Everything is derived from the seed: the same seed and options give the same result and trace.
package enum Simulation {
    /// Profile names accepted by `SimulationOptions.profile`.
    package static var profiles: [String] { FaultProfile.names }

    /// Runs one seed. Options must pass `SimulationOptions.validate()`.
    package static func run(seed: UInt64, options: SimulationOptions) -> SeedResult {
        do {
            try options.validate()
        } catch {
            preconditionFailure("Simulation.run with invalid options (validate them first): \(error.message)")
        }
        guard let profile = FaultProfile.named(options.profile) else {
            preconditionFailure("profile \(options.profile) passed validate() but is unknown")
        }
        return SimulationRun(seed: seed, options: options, profile: profile).run()
    }
}
