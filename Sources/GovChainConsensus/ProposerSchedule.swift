import GovChainCore

/// The deterministic proposer rotation `proposer(h, r)` of Algorithm 1, weighted by voting power.
///
/// One cycle of smooth weighted round-robin (the proposer-priority scheme of Tendermint/CometBFT,
/// also nginx's) is computed once: each step every validator's priority grows by its weight, the
/// highest priority proposes (lowest index on a tie) and pays back the total weight. Over a cycle
/// of `sum(weights)` slots each validator proposes exactly `weight` times, spread evenly.
/// `proposer(h, r)` is slot `(h − 1 + r) mod cycle`, so consecutive heights and consecutive rounds
/// both move on to the next proposer.
///
/// Weights are the powers divided by their greatest common divisor. If the cycle would still be
/// longer than `cycleLengthMax`, weights are scaled down proportionally (each at least 1): the
/// rotation stays deterministic and close to the powers, and the table stays small.
package struct ProposerSchedule: Hashable, Sendable {
    package static let cycleLengthMax: UInt64 = 65_536

    /// The proposer of each slot of one cycle.
    package let cycle: [ValidatorIndex]

    package init(validators: ValidatorSet) {
        let weights = Self.weights(powers: validators.validators.map(\.power))
        // Slots name positions in the set; a proposer is named by its member index.
        cycle = Self.smoothRoundRobin(weights: weights).map { validators.indices[Int($0.rawValue)] }
        precondition(!cycle.isEmpty, "proposer cycle of \(validators.count) validators is empty")
    }

    /// The validator that proposes in round `round` of height `height`.
    package func proposer(height: Height, round: Round) -> ValidatorIndex {
        let slot = (height.rawValue &- 1 &+ UInt64(round.rawValue)) % UInt64(cycle.count)
        return cycle[Int(slot)]
    }

    static func weights(powers: [UInt64]) -> [UInt64] {
        let divisor = powers.reduce(0) { gcd($0, $1) }
        var weights = powers.map { $0 / max(divisor, 1) }
        let total = weights.reduce(0, +)
        if total > cycleLengthMax {
            // total ≤ 2^60 and cycleLengthMax = 2^16, so use full-width arithmetic to scale.
            weights = weights.map { weight in
                let product = weight.multipliedFullWidth(by: cycleLengthMax - UInt64(weights.count))
                return max(1, total.dividingFullWidth(product).quotient)
            }
        }
        return weights
    }

    static func smoothRoundRobin(weights: [UInt64]) -> [ValidatorIndex] {
        let total = Int64(weights.reduce(0, +))
        var priorities = [Int64](repeating: 0, count: weights.count)
        var cycle: [ValidatorIndex] = []
        cycle.reserveCapacity(Int(total))
        for _ in 0..<total {
            var best = 0
            for index in weights.indices {
                priorities[index] += Int64(weights[index])
                if priorities[index] > priorities[best] { best = index }
            }
            priorities[best] -= total
            cycle.append(ValidatorIndex(UInt16(best)))
        }
        return cycle
    }

    private static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
