/// Vote types of the Tendermint algorithm. Wire values are fixed.
package enum VoteType: UInt8, Sendable, CaseIterable {
    case prevote = 1
    case precommit = 2
}

/// A signed prevote or precommit (Tendermint paper, Algorithm 1). `block == nil` is a nil vote.
///
/// Signed bytes: `DomainTag.vote.prefix(chainId) ‖ type u8 ‖ height u64 ‖ round u32 ‖ optional(blockHash)`.
/// The validator index is not signed: the key identifies the signer.
package struct Vote: Hashable, Sendable {
    package var type: VoteType
    package var height: Height
    package var round: Round
    package var block: Hash32?
    package var validator: ValidatorIndex
    package var signature: Signature

    package init(
        type: VoteType, height: Height, round: Round, block: Hash32?, validator: ValidatorIndex, signature: Signature
    ) {
        self.type = type
        self.height = height
        self.round = round
        self.block = block
        self.validator = validator
        self.signature = signature
    }

    package static func signBytes(
        type: VoteType, height: Height, round: Round, block: Hash32?, chainId: ChainID
    ) -> [UInt8] {
        var writer = DomainTag.vote.prefix(chainId: chainId)
        writer.u8(type.rawValue)
        writer.height(height)
        writer.round(round)
        writer.optional(block) { $0.hash($1) }
        return writer.bytes
    }

    package static func sign(
        type: VoteType, height: Height, round: Round, block: Hash32?, validator: ValidatorIndex,
        chainId: ChainID, key: SigningKey
    ) -> Vote {
        let signature = key.sign(signBytes(type: type, height: height, round: round, block: block, chainId: chainId))
        return Vote(type: type, height: height, round: round, block: block, validator: validator, signature: signature)
    }

    package func signBytes(chainId: ChainID) -> [UInt8] {
        Self.signBytes(type: type, height: height, round: round, block: block, chainId: chainId)
    }
}

// MARK: - Codec

extension Vote {
    /// `type u8 ‖ height u64 ‖ round u32 ‖ optional(blockHash) ‖ validator u16 ‖ signature 64`.
    package var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 120)
        encode(into: &writer)
        return writer.bytes
    }

    package func encode(into writer: inout ByteWriter) {
        writer.u8(type.rawValue)
        writer.height(height)
        writer.round(round)
        writer.optional(block) { $0.hash($1) }
        writer.validatorIndex(validator)
        writer.signature(signature)
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.finish()
    }

    package init(from reader: inout ByteReader) throws(CodecError) {
        let tag = try reader.u8("vote.type")
        guard let type = VoteType(rawValue: tag) else { throw .unknownTag(field: "vote.type", tag: tag) }
        self.type = type
        height = try reader.height("vote.height")
        round = try reader.round("vote.round")
        block = try reader.optional("vote.block") { (r: inout ByteReader) throws(CodecError) in try r.hash("vote.block")
        }
        validator = try reader.validatorIndex("vote.validator")
        signature = try reader.signature("vote.signature")
    }

    /// True when the signature is the named validator's over this vote.
    package func hasValidSignature(validators: ValidatorSet, chainId: ChainID) -> Bool {
        guard let validator = validators[validator] else { return false }
        return validator.publicKey.isValidSignature(signature, for: signBytes(chainId: chainId))
    }
}
