import GovChainCore
import GovChainSimulation
import Testing

@Suite("Simulation")
struct SimulationTests {
    @Test("smoke")
    func smoke() {
        for profile in Simulation.profiles {
            for seed in UInt64(1)...3 {
                let result = Simulation.run(seed: seed, options: SimulationOptions(validators: 4, byzantine: 1, profile: profile, heights: 4))
                print(profile, result)
                #expect(result.violation == nil)
            }
        }
    }
}
