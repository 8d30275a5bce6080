import GovChainCore

/// A signed proposal: `⟨PROPOSAL, h, r, v, vr⟩` of the Tendermint paper (Algorithm 1, line 19).
///
/// Signed bytes: `DomainTag.proposal.prefix(chainId) ‖ height u64 ‖ round u32 ‖
/// optional(validRound u32) ‖ blockHash 32`. The paper's `vr = −1` is `validRound == nil`.
/// The block itself is not signed directly: its hash commits to the header, which commits to
/// the transactions, the last commit and the evidence.
///
/// Invariants (checked by the decoder, trapped by the initialiser): `validRound < round` when
/// present, and the block is at the proposal's height.
package struct Proposal: Hashable, Sendable {
    package let height: Height
    package let round: Round
    /// The round of the polka that justifies re-proposing `block` (paper: `validRound_p`), or nil.
    package let validRound: Round?
    package let block: Block
    /// `block.hash`, computed once: every rule of the algorithm compares hashes (`id(v)`).
    package let blockHash: Hash32
    package let proposer: ValidatorIndex
    package let signature: Signature

    package init(
        height: Height, round: Round, validRound: Round?, block: Block, proposer: ValidatorIndex, signature: Signature
    ) {
        precondition(
            validRound.map { $0 < round } ?? true,
            "proposal at round \(round) with validRound \(validRound.map(String.init(describing:)) ?? "nil")")
        precondition(
            block.header.height == height,
            "proposal at height \(height) carries a block of height \(block.header.height)")
        self.height = height
        self.round = round
        self.validRound = validRound
        self.block = block
        self.blockHash = block.hash
        self.proposer = proposer
        self.signature = signature
    }

    package static func signBytes(
        height: Height, round: Round, validRound: Round?, blockHash: Hash32, chainId: ChainID
    ) -> [UInt8] {
        var writer = DomainTag.proposal.prefix(chainId: chainId)
        writer.height(height)
        writer.round(round)
        writer.optional(validRound) { $0.round($1) }
        writer.hash(blockHash)
        return writer.bytes
    }

    package func signBytes(chainId: ChainID) -> [UInt8] {
        Self.signBytes(height: height, round: round, validRound: validRound, blockHash: blockHash, chainId: chainId)
    }

    package static func sign(
        height: Height, round: Round, validRound: Round?, block: Block, proposer: ValidatorIndex,
        chainId: ChainID, key: SigningKey
    ) -> Proposal {
        let bytes = signBytes(
            height: height, round: round, validRound: validRound, blockHash: block.hash, chainId: chainId)
        return Proposal(
            height: height, round: round, validRound: validRound, block: block, proposer: proposer,
            signature: key.sign(bytes))
    }

    /// True when the signature is the named proposer's over this proposal.
    package func hasValidSignature(validators: ValidatorSet, chainId: ChainID) -> Bool {
        guard let validator = validators[proposer] else { return false }
        return validator.publicKey.isValidSignature(signature, for: signBytes(chainId: chainId))
    }
}

// MARK: - Codec

extension Proposal {
    /// `height u64 ‖ round u32 ‖ optional(validRound u32) ‖ proposer u16 ‖ signature 64 ‖
    /// length u32 ‖ block`.
    package var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 400)
        encode(into: &writer)
        return writer.bytes
    }

    package func encode(into writer: inout ByteWriter) {
        writer.height(height)
        writer.round(round)
        writer.optional(validRound) { $0.round($1) }
        writer.validatorIndex(proposer)
        writer.signature(signature)
        writer.longBytes(block.encoded)
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.finish()
    }

    package init(from reader: inout ByteReader) throws(CodecError) {
        let height = try reader.height("proposal.height")
        let round = try reader.round("proposal.round")
        let validRound = try reader.optional("proposal.validRound") { (r: inout ByteReader) throws(CodecError) in
            try r.round("proposal.validRound")
        }
        let proposer = try reader.validatorIndex("proposal.proposer")
        let signature = try reader.signature("proposal.signature")
        let block = try Block(decoding: try reader.longBytes("proposal.block", limit: Block.encodedBytesMax))
        if let validRound, validRound >= round {
            throw .invalidValue(
                field: "proposal.validRound", reason: "must be below the round (\(validRound) ≥ \(round))")
        }
        guard block.header.height == height else {
            throw .invalidValue(
                field: "proposal.block",
                reason: "block height \(block.header.height) differs from proposal height \(height)")
        }
        self.init(
            height: height, round: round, validRound: validRound, block: block, proposer: proposer, signature: signature
        )
    }
}
