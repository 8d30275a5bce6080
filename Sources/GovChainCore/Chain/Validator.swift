/// A validator: who signs commits, with how much voting power.
package struct Validator: Hashable, Sendable {
    package static let nameBytesMax = 64
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

/// The validators that sign one height's commit, each under its **member index**
/// (`ValidatorIndex`): the genesis validators are members 0 to n−1 in genesis order, and every
/// validator governance adds later gets the next number, never reused (docs/GOVERNANCE.md). A
/// vote, a commit signature and a block's proposer name a member index; a removed member's index
/// stays unused, so indices of one validator never change while it validates.
///
/// Invariants (checked where a set is made from outside input: genesis, governance rules, codec):
/// 1 to `countMax` validators, indices strictly increasing, distinct keys, every power ≥ 1, total
/// power ≤ `totalPowerMax` so sums never overflow.
package struct ValidatorSet: Hashable, Sendable {
    package static let countMax = 100
    package static let totalPowerMax: UInt64 = 1 << 60

    /// In increasing member index.
    package let validators: [Validator]
    /// `indices[i]` is the member index of `validators[i]`.
    package let indices: [ValidatorIndex]
    package let totalPower: UInt64
    /// Headers carry it (computed once: a set never changes). A genesis-shaped set: SHA-256 over
    /// `count u16 ‖ (publicKey 32 ‖ power u64)*` in index order (the first release's hash,
    /// unchanged). Any other set appends `‖ (index u16)*`, so the indices a commit's signatures
    /// name are bound too.
    package let hash: Hash32

    /// A genesis set: members 0 to n−1 in this order.
    package init(_ validators: [Validator]) {
        self.init(members: validators.enumerated().map { (ValidatorIndex(UInt16($0.offset)), $0.element) })
    }

    /// A set of members by index; `members` must be sorted by strictly increasing index.
    package init(members: [(index: ValidatorIndex, validator: Validator)]) {
        precondition(!members.isEmpty && members.count <= Self.countMax, "validator set of \(members.count)")
        precondition(zip(members, members.dropFirst()).allSatisfy { $0.index < $1.index }, "indices not increasing")
        validators = members.map(\.validator)
        indices = members.map(\.index)
        totalPower = validators.reduce(0) { $0 + $1.power }
        hash = Self.hash(validators, indices: indices)
    }

    package var count: Int { validators.count }

    /// The members as (index, validator), in increasing index.
    package var members: [(index: ValidatorIndex, validator: Validator)] {
        Array(zip(indices, validators)).map { (index: $0.0, validator: $0.1) }
    }

    /// True for a genesis-shaped set (members 0 to n−1).
    package var isDense: Bool { Self.isDense(indices) }

    private static func isDense(_ indices: [ValidatorIndex]) -> Bool {
        indices.last.map { Int($0.rawValue) == indices.count - 1 } ?? true
    }

    package subscript(index: ValidatorIndex) -> Validator? {
        position(of: index).map { validators[$0] }
    }

    /// Where member `index` sits in `validators` (binary search).
    package func position(of index: ValidatorIndex) -> Int? {
        var (low, high) = (0, indices.count)
        while low < high {
            let middle = (low + high) / 2
            if indices[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low < indices.count && indices[low] == index ? low : nil
    }

    package func index(of key: PublicKey) -> ValidatorIndex? {
        validators.firstIndex { $0.publicKey == key }.map { indices[$0] }
    }

    package func index(named name: String) -> ValidatorIndex? {
        validators.firstIndex { $0.name == name }.map { indices[$0] }
    }

    /// The smallest power that is more than two thirds of the total: a quorum.
    package var quorumPower: UInt64 { totalPower * 2 / 3 + 1 }

    private static func hash(_ validators: [Validator], indices: [ValidatorIndex]) -> Hash32 {
        var writer = ByteWriter()
        writer.list(validators) { w, v in
            w.publicKey(v.publicKey)
            w.u64(v.power)
        }
        if !isDense(indices) {
            for index in indices { writer.validatorIndex(index) }
        }
        return Hash32.sha256(writer.bytes)
    }
}

// MARK: - Codec (the validator-set record of the state tree; set-change proofs)

extension ValidatorSet {
    /// `count u16 ‖ (index u16 ‖ name ‖ publicKey 32 ‖ peerAddress ‖ power u64)*`, names and
    /// addresses as u8-length UTF-8.
    package func encode(into writer: inout ByteWriter) {
        writer.list(members) { w, member in
            w.validatorIndex(member.index)
            w.shortBytes(Array(member.validator.name.utf8))
            w.publicKey(member.validator.publicKey)
            w.shortBytes(Array(member.validator.peerAddress.utf8))
            w.u64(member.validator.power)
        }
    }

    package var encoded: [UInt8] {
        var writer = ByteWriter()
        encode(into: &writer)
        return writer.bytes
    }

    /// Why `members` cannot be a set (nil: they can): empty, more than `countMax`, indices not
    /// strictly increasing, a key twice, a power of 0, or more than `totalPowerMax` in all. What
    /// the codec and the governance rules check; `init(members:)` trusts it was checked.
    package static func refusal(_ members: [(index: ValidatorIndex, validator: Validator)]) -> String? {
        guard !members.isEmpty else { return "a validator set is never empty" }
        guard members.count <= countMax else { return "a validator set holds at most \(countMax) validators" }
        guard zip(members, members.dropFirst()).allSatisfy({ $0.index < $1.index }) else {
            return "member indices must be strictly increasing"
        }
        guard Set(members.map(\.validator.publicKey)).count == members.count else { return "a key is listed twice" }
        var total: UInt64 = 0
        for member in members {
            guard member.validator.power >= 1, member.validator.power <= totalPowerMax - total else {
                return "every power is 1 or more, in all at most 2^60"
            }
            total += member.validator.power
        }
        return nil
    }

    /// A whole encoding, nothing after it.
    package init(decoding bytes: [UInt8], field: String = "validators") throws(CodecError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader, field: field)
        try reader.finish()
    }

    package init(from reader: inout ByteReader, field: String) throws(CodecError) {
        let members = try reader.list(field, limit: Self.countMax) {
            (r: inout ByteReader) throws(CodecError) -> (index: ValidatorIndex, validator: Validator) in
            let index = try r.validatorIndex(field + ".index")
            let name = try r.utf8(field + ".name", limit: Validator.nameBytesMax)
            let key = try r.publicKey(field + ".publicKey")
            let address = try r.utf8(field + ".peerAddress", limit: 253)
            let power = try r.u64(field + ".power")
            return (index, Validator(name: name, publicKey: key, peerAddress: address, power: power))
        }
        if let reason = Self.refusal(members) { throw .invalidValue(field: field, reason: reason) }
        self.init(members: members)
    }
}

extension ByteReader {
    /// A u8-length UTF-8 string of at most `limit` bytes.
    package mutating func utf8(_ field: String, limit: Int) throws(CodecError) -> String {
        let bytes = try shortBytes(field, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidValue(field: field, reason: "is not UTF-8")
        }
        return text
    }
}
