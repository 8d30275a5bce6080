import GovChainCore

/// Everything safety depends on, persisted (and fsynced) before every signature leaves the
/// process (style.md §4; the persist-then-send rule of etcd's `Ready`).
///
/// - `recentlySigned`: the messages this validator signed at its last height in the last two
///   rounds in which it signed (at most six), oldest first. The last one drives the guard: a
///   new signature is permitted only at a later (height, round, step), or at the same one for
///   identical bytes (Ed25519 is deterministic, so that re-creates the very same message).
///   Keeping the messages themselves lets a restarted instance send them again. Two rounds are
///   what liveness needs after crashes: the highest round any correct process is in was entered
///   on 2f + 1 precommits of the round before it, or on f + 1 messages of that round, and each
///   of their signers is still at most one round further, so it still holds its part on disk.
/// - `locked`, `valid`: the paper's lockedValue/lockedRound and validValue/validRound at that
///   height. A restarted instance at the same height resumes with them, so it never forgets a lock.
///
/// Invariants: `locked` implies `valid` with `valid.round ≥ locked.round` (lines 36-43 set both);
/// both are blocks at the height of the signed messages; the signed messages share one height,
/// span at most two rounds and have strictly increasing (round, step).
///
/// Encoding: `version u8 ‖ count u16 ‖ (length u32 ‖ ConsensusMessage)* ‖
/// optional(valid: round u32 ‖ length u32 ‖ block) ‖ lockedTag u8 ‖ …` where lockedTag 0 = none,
/// 1 = `round u32` with the same block as `valid`, 2 = `round u32 ‖ length u32 ‖ block` of a
/// different block. Tag 2 with the valid block is not canonical and is rejected. Decoding
/// needs the chain id, because the digest is taken over the message's sign bytes.
package struct SigningState: Hashable, Sendable {
    package static let version: UInt8 = 1

    /// Messages signed at the last height in the last two rounds with signatures, oldest first; never empty.
    package let recentlySigned: [ConsensusMessage]
    /// SHA-256 of the last signed message's sign bytes.
    package let signedDigest: Hash32
    package let locked: ValueAtRound?
    package let valid: ValueAtRound?

    package init(recentlySigned: [ConsensusMessage], chainId: ChainID, locked: ValueAtRound?, valid: ValueAtRound?) {
        precondition(
            Self.isWellFormed(recentlySigned),
            "signing state needs 1 to 6 messages of one height and two rounds at most, in signing order; got \(recentlySigned.count)"
        )
        let lastSigned = recentlySigned[recentlySigned.count - 1]
        precondition(
            locked == nil || (valid != nil && valid!.round >= locked!.round),
            "signing state at \(lastSigned.height)/\(lastSigned.round): locked at \(locked?.round.description ?? "-") without a valid value at or after it"
        )
        precondition(
            [locked, valid].allSatisfy { $0 == nil || $0!.block.header.height == lastSigned.height },
            "signing state at height \(lastSigned.height) holds a lock or valid value of another height")
        self.recentlySigned = recentlySigned
        self.signedDigest = Hash32.sha256(lastSigned.signBytes(chainId: chainId))
        self.locked = locked
        self.valid = valid
    }

    /// The last message signed.
    package var lastSigned: ConsensusMessage { recentlySigned[recentlySigned.count - 1] }
    package var height: Height { lastSigned.height }
    package var round: Round { lastSigned.round }
    package var step: ConsensusStep { lastSigned.step }

    /// True when signing bytes with SHA-256 `digest` at (height, round, step) cannot conflict with
    /// anything this validator signed before.
    package func permits(height: Height, round: Round, step: ConsensusStep, digest: Hash32) -> Bool {
        let last = (self.height.rawValue, self.round.rawValue, self.step.rawValue)
        let next = (height.rawValue, round.rawValue, step.rawValue)
        if next > last { return true }
        return next == last && digest == signedDigest
    }

    /// The state after signing `message`: appended at the same height, keeping the last two
    /// rounds; alone at a new height.
    package func adding(
        _ message: ConsensusMessage, chainId: ChainID, locked: ValueAtRound?, valid: ValueAtRound?
    ) -> SigningState {
        var messages = message.height == height ? recentlySigned : []
        if messages.last != message { messages.append(message) }
        let keptRounds = Set(Set(messages.map(\.round)).sorted().suffix(Self.roundsMax))
        messages.removeAll { !keptRounds.contains($0.round) }
        return SigningState(recentlySigned: messages, chainId: chainId, locked: locked, valid: valid)
    }

    static let roundsMax = 2
    static var messagesMax: Int { roundsMax * ConsensusStep.allCases.count }

    static func isWellFormed(_ messages: [ConsensusMessage]) -> Bool {
        guard let first = messages.first, messages.count <= messagesMax else { return false }
        return messages.allSatisfy { $0.height == first.height }
            && Set(messages.map(\.round)).count <= roundsMax
            && zip(messages, messages.dropFirst()).allSatisfy {
                ($0.round.rawValue, $0.step.rawValue) < ($1.round.rawValue, $1.step.rawValue)
            }
    }
}

// MARK: - Codec

extension SigningState {
    package var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 256 + (valid == nil ? 0 : 512))
        writer.u8(Self.version)
        writer.list(recentlySigned) { $0.longBytes($1.encoded) }
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

    package init(decoding bytes: [UInt8], chainId: ChainID) throws(CodecError) {
        var reader = ByteReader(bytes)
        let version = try reader.u8("signingState.version")
        guard version == Self.version else { throw .unknownVersion(field: "signingState.version", version: version) }
        let signed = try reader.list("signingState.signed", limit: Self.messagesMax) {
            (r: inout ByteReader) throws(CodecError) in
            try ConsensusMessage(
                decoding: try r.longBytes("signingState.signed", limit: ConsensusMessage.encodedBytesMax))
        }
        guard Self.isWellFormed(signed) else {
            throw .invalidValue(
                field: "signingState.signed",
                reason: "needs 1 to 6 messages of one height and at most two rounds, in signing order")
        }
        let valid = try reader.optional("signingState.valid") { (r: inout ByteReader) throws(CodecError) in
            try Self.readValue(&r, field: "signingState.valid")
        }
        let locked = try Self.readLocked(&reader, valid: valid)
        try reader.finish()
        try Self.check(height: signed[0].height, locked: locked, valid: valid)
        self.init(recentlySigned: signed, chainId: chainId, locked: locked, valid: valid)
    }

    private static func readValue(_ reader: inout ByteReader, field: String) throws(CodecError) -> ValueAtRound {
        let round = try reader.round(field + ".round")
        let block = try Block(decoding: try reader.longBytes(field + ".block", limit: Block.encodedBytesMax))
        return ValueAtRound(round: round, block: block)
    }

    private static func readLocked(_ reader: inout ByteReader, valid: ValueAtRound?) throws(CodecError) -> ValueAtRound?
    {
        let tag = try reader.u8("signingState.lockedTag")
        switch tag {
        case 0:
            return nil
        case 1:
            let round = try reader.round("signingState.locked.round")
            guard let valid else {
                throw .invalidValue(field: "signingState.locked", reason: "refers to a valid value that is absent")
            }
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
                throw .invalidValue(
                    field: "signingState.locked", reason: "a lock needs a valid value from the same or a later round")
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
