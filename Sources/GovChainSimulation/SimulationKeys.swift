import GovChainCore

/// Fixed Ed25519 keys for the simulated validators: seed `i` is SHA-256("govchain-sim-validator-i").
/// Fixed keys make every seed reproducible and let the verification cache work across a run.
enum SimulationKeys {
    /// Enough for every validator, one joiner (index `validators`) and a rotated key per validator
    /// (`rotatedKey`).
    static let keys: [SigningKey] = (0..<(2 * SimulationOptions.validatorsMax + 1)).map { index in
        let seed = Hash32.sha256(Array("govchain-sim-validator-\(index)".utf8)).bytes
        guard let key = try? SigningKey(seed: seed) else {
            preconditionFailure("a 32-byte seed is always a valid Ed25519 key")
        }
        return key
    }

    static func key(_ index: Int) -> SigningKey { keys[index] }
}

extension SimulationKeys {
    /// The key member `index` rotates to.
    static func rotatedKey(_ index: Int) -> SigningKey { keys[SimulationOptions.validatorsMax + 1 + index] }
}
