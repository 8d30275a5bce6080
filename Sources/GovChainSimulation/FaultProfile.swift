/// The faults of a named profile. All times are virtual milliseconds.
struct FaultProfile: Sendable {
    var lossRate = 0.0
    var duplicateRate = 0.0
    var minDelayMs: UInt64 = 2
    var delayMsMax: UInt64 = 20
    /// Probability that a message takes the long-tailed (Pareto) path instead.
    var tailRate = 0.0
    var tailMsMax: UInt64 = 0
    var partitions: ClosedRange<Int> = 0...0
    var partitionMs: ClosedRange<UInt64> = 0...0
    var crashes: ClosedRange<Int> = 0...0
    var downtimeMs: ClosedRange<UInt64> = 0...0
    /// Partitions and crashes start inside [0, faultWindowMs).
    var faultWindowMs: UInt64 = 0

    static let names = ["calm", "default", "chaos", "partition"]

    static func named(_ name: String) -> FaultProfile? {
        switch name {
        case "calm":
            return FaultProfile()
        case "default":
            return FaultProfile(
                lossRate: 0.02, duplicateRate: 0.02, minDelayMs: 3, delayMsMax: 40, tailRate: 0.03, tailMsMax: 1_500,
                partitions: 0...1, partitionMs: 300...1_500, crashes: 0...1, downtimeMs: 200...1_500,
                faultWindowMs: 2_000)
        case "chaos":
            return FaultProfile(
                lossRate: 0.10, duplicateRate: 0.05, minDelayMs: 3, delayMsMax: 80, tailRate: 0.08, tailMsMax: 4_000,
                partitions: 1...3, partitionMs: 200...2_500, crashes: 1...3, downtimeMs: 100...2_500,
                faultWindowMs: 4_000)
        case "partition":
            return FaultProfile(
                lossRate: 0.01, duplicateRate: 0.01, minDelayMs: 3, delayMsMax: 30, tailRate: 0.01, tailMsMax: 1_000,
                partitions: 2...4, partitionMs: 1_000...4_000, crashes: 0...1, downtimeMs: 500...3_000,
                faultWindowMs: 6_000)
        default:
            return nil
        }
    }

    /// One message's delay: uniform most of the time, Pareto(α = 1.5) in the tail.
    func delay(_ random: inout SimulationRandom) -> UInt64 {
        if random.chance(tailRate) {
            let u = max(random.unit(), 1e-9)
            let tail = Double(max(delayMsMax, 1)) * pow(1 / u, 1 / 1.5)
            return min(UInt64(tail), tailMsMax)
        }
        return random.uint64(in: minDelayMs...delayMsMax)
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        // exp(exponent × ln(base)) without Foundation; precise enough for a delay distribution.
        exp(exponent * log(base))
    }

    private func log(_ x: Double) -> Double {
        // ln x = 2 artanh((x − 1)/(x + 1)), after scaling x into [1, 2) by powers of two.
        var mantissa = x
        var exponent = 0.0
        while mantissa >= 2 { mantissa /= 2; exponent += 1 }
        while mantissa < 1 { mantissa *= 2; exponent -= 1 }
        let y = (mantissa - 1) / (mantissa + 1)
        var term = y
        var sum = 0.0
        var k = 1.0
        for _ in 0..<30 {
            sum += term / k
            term *= y * y
            k += 2
        }
        return 2 * sum + exponent * 0.693_147_180_559_945_3
    }

    private func exp(_ x: Double) -> Double {
        // e^x = 2^k · e^r with |r| ≤ ln2/2, Taylor series for e^r.
        let k = (x / 0.693_147_180_559_945_3).rounded()
        let r = x - k * 0.693_147_180_559_945_3
        var term = 1.0
        var sum = 1.0
        for n in 1..<25 {
            term *= r / Double(n)
            sum += term
        }
        return k >= 0
            ? sum * Double(sign: .plus, exponent: Int(k), significand: 1)
            : sum / Double(sign: .plus, exponent: Int(-k), significand: 1)
    }
}
