/// A validator as named in the genesis: who signs commits, with how much voting power.
package struct Validator: Hashable, Sendable {
    package var name: String
    package var publicKey: PublicKey
    /// `host:port` of its peer listener (used by the network layer).
    package var peerAddress: String
    package var power: UInt64

    package init(name: String, publicKey: PublicKey, peerAddress: String, power: UInt64) {
        self.name = name
        self.publicKey = publicKey
        self.peerAddress = peerAddress
        self.power = power
    }
}

/// The fixed validator set of a chain, in genesis order (`ValidatorIndex` is the position).
///
/// Invariants (checked when the genesis loads): 1 to `countMax` validators, distinct keys,
/// every power ≥ 1, total power ≤ `totalPowerMax` so sums never overflow.
package struct ValidatorSet: Hashable, Sendable {
    package static let countMax = 100
    package static let totalPowerMax: UInt64 = 1 << 60

    package let validators: [Validator]
    package let totalPower: UInt64

    package init(_ validators: [Validator]) {
        precondition(!validators.isEmpty && validators.count <= Self.countMax, "validator set of \(validators.count)")
        self.validators = validators
        totalPower = validators.reduce(0) { $0 + $1.power }
    }

    package var count: Int { validators.count }

    package subscript(index: ValidatorIndex) -> Validator? {
        Int(index.rawValue) < validators.count ? validators[Int(index.rawValue)] : nil
    }

    package func index(of key: PublicKey) -> ValidatorIndex? {
        validators.firstIndex { $0.publicKey == key }.map { ValidatorIndex(UInt16($0)) }
    }

    /// The smallest power that is more than two thirds of the total: a quorum.
    package var quorumPower: UInt64 { totalPower * 2 / 3 + 1 }

    /// SHA-256 over `count u16 ‖ (publicKey 32 ‖ power u64)*` in genesis order; headers carry it.
    package var hash: Hash32 {
        var writer = ByteWriter()
        writer.list(validators) { w, v in
            w.publicKey(v.publicKey)
            w.u64(v.power)
        }
        return Hash32.sha256(writer.bytes)
    }
}
