import GovChainCore

/// Everything safety depends on, persisted (and fsynced) before every signature leaves the
/// process (style.md §4; the persist-then-send rule of etcd's `Ready`).
///
/// - `height`, `round`, `step`, `signedDigest`: the last message signed, as SHA-256 of its sign
///   bytes. A new signature is permitted only at a later (height, round, step), or at the same
///   one for identical bytes (Ed25519 is deterministic, so that re-creates the very same
///   message, e.g. to re-send it after a restart).
/// - `locked`, `valid`: the paper's lockedValue/lockedRound and validValue/validRound at `height`.
///   A restarted instance at the same height resumes with them, so it never forgets a lock.
///
/// Invariant: `locked` implies `valid` with `valid.round ≥ locked.round` (lines 36-43 set both).
///
/// Encoding: `version u8 ‖ height u64 ‖ round u32 ‖ step u8 ‖ signedDigest 32 ‖
/// optional(valid: round u32 ‖ length u32 ‖ block) ‖ lockedTag u8 ‖ …` where lockedTag 0 = none,
/// 1 = `round u32` and the same block as `valid`, 2 = `round u32 ‖ length u32 ‖ block` of a
/// different block. Tag 2 with the valid block is not canonical and is rejected, so the state
/// is stored with at most one copy of a block in the common case.
public struct SigningState: Hashable, Sendable {
    public static let version: UInt8 = 1

    public var height: Height
    public var round: Round
    public var step: ConsensusStep
    public var signedDigest: Hash32
    public var locked: ValueAtRound?
    public var valid: ValueAtRound?

    public init(height: Height, round: Round, step: ConsensusStep, signedDigest: Hash32, locked: ValueAtRound?, valid: ValueAtRound?) {
        precondition(locked == nil || (valid != nil && valid!.round >= locked!.round),
                     "signing state at \(height)/\(round): locked at \(locked?.round.description ?? "-") without a valid value at or after it")
        self.height = height
        self.round = round
        self.step = step
        self.signedDigest = signedDigest
        self.locked = locked
        self.valid = valid
    }

    /// True when signing bytes with SHA-256 `digest` at (height, round, step) cannot conflict with
    /// anything this validator signed before.
    public func permits(height: Height, round: Round, step: ConsensusStep, digest: Hash32) -> Bool {
        let last = (self.height.rawValue, self.round.rawValue, self.step.rawValue)
        let next = (height.rawValue, round.rawValue, step.rawValue)
        if next > last { return true }
        return next == last && digest == signedDigest
    }
}

// MARK: - Codec

extension SigningState {
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 128 + (valid == nil ? 0 : 512))
        writer.u8(Self.version)
        writer.height(height)
        writer.round(round)
        writer.consensusStep(step)
        writer.hash(signedDigest)
        writer.optional(valid) { w, value in
            w.round(value.round)
            w.longBytes(value.block.encoded)
        }
        switch locked {
        case nil:
            writer.u8(0)
        case let locked? where locked.block == valid?.block:
            writer.u8(1)
            writer.round(locked.round)
        case let locked?:
            writer.u8(2)
            writer.round(locked.round)
            writer.longBytes(locked.block.encoded)
        }
        return writer.bytes
    }

    public init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        let version = try reader.u8("signingState.version")
        guard version == Self.version else { throw .unknownVersion(field: "signingState.version", version: version) }
        let height = try reader.height("signingState.height")
        let round = try reader.round("signingState.round")
        let step = try reader.consensusStep("signingState.step")
        let digest = try reader.hash("signingState.signedDigest")
        let valid = try reader.optional("signingState.valid") { (r: inout ByteReader) throws(CodecError) in
            try Self.readValue(&r, field: "signingState.valid")
        }
        let locked = try Self.readLocked(&reader, valid: valid)
        try reader.finish()
        try Self.check(height: height, locked: locked, valid: valid)
        self.init(height: height, round: round, step: step, signedDigest: digest, locked: locked, valid: valid)
    }

    private static func readValue(_ reader: inout ByteReader, field: String) throws(CodecError) -> ValueAtRound {
        let round = try reader.round(field + ".round")
        let block = try Block(decoding: try reader.longBytes(field + ".block", limit: Block.maxEncodedBytes))
        return ValueAtRound(round: round, block: block)
    }

    private static func readLocked(_ reader: inout ByteReader, valid: ValueAtRound?) throws(CodecError) -> ValueAtRound? {
        let tag = try reader.u8("signingState.lockedTag")
        switch tag {
        case 0:
            return nil
        case 1:
            let round = try reader.round("signingState.locked.round")
            guard let valid else { throw .invalidValue(field: "signingState.locked", reason: "refers to a valid value that is absent") }
            return ValueAtRound(round: round, block: valid.block)
        case 2:
            let locked = try readValue(&reader, field: "signingState.locked")
            guard locked.block != valid?.block else {
                throw .invalidValue(field: "signingState.locked", reason: "repeats the valid block; tag 1 is canonical")
            }
            return locked
        default:
            throw .unknownTag(field: "signingState.lockedTag", tag: tag)
        }
    }

    private static func check(height: Height, locked: ValueAtRound?, valid: ValueAtRound?) throws(CodecError) {
        if let locked {
            guard let valid, valid.round >= locked.round else {
                throw .invalidValue(field: "signingState.locked", reason: "a lock needs a valid value from the same or a later round")
            }
            guard locked.block.header.height == height else {
                throw .invalidValue(field: "signingState.locked", reason: "block is not at the signing height")
            }
        }
        if let valid, valid.block.header.height != height {
            throw .invalidValue(field: "signingState.valid", reason: "block is not at the signing height")
        }
    }
}
