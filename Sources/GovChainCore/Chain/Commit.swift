/// Proof that a block is final: precommits for it from more than two thirds of the voting power.
///
/// Layout: `height u64 ‖ round u32 ‖ blockHash 32 ‖ count u16 ‖ (validatorIndex u16 ‖ signature 64)*`,
/// signatures ordered by strictly increasing validator index. Each signature is a precommit
/// `Vote` for (height, round, blockHash); a single validator and a full BFT network produce the
/// same format.
package struct Commit: Hashable, Sendable {
    package struct Signed: Hashable, Sendable {
        package var validator: ValidatorIndex
        package var signature: Signature
        package init(validator: ValidatorIndex, signature: Signature) {
            self.validator = validator
            self.signature = signature
        }
    }

    package var height: Height
    package var round: Round
    package var blockHash: Hash32
    package var signatures: [Signed]

    package init(height: Height, round: Round, blockHash: Hash32, signatures: [Signed]) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.signatures = signatures.sorted { $0.validator < $1.validator }
    }

    /// Builds a commit from precommit votes for one block (e.g. collected by consensus).
    package init(precommits: [Vote]) {
        precondition(!precommits.isEmpty, "a commit needs at least one precommit")
        let first = precommits[0]
        precondition(
            precommits.allSatisfy {
                $0.type == .precommit && $0.height == first.height && $0.round == first.round && $0.block == first.block
                    && $0.block != nil
            },
            "precommits of a commit must agree on height, round and block")
        self.init(
            height: first.height, round: first.round, blockHash: first.block!,
            signatures: precommits.map { Signed(validator: $0.validator, signature: $0.signature) })
    }

    package var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 48 + signatures.count * 66)
        encode(into: &writer)
        return writer.bytes
    }

    package var hash: Hash32 { Hash32.sha256(encoded) }

    func encode(into writer: inout ByteWriter) {
        writer.height(height)
        writer.round(round)
        writer.hash(blockHash)
        writer.list(signatures) { w, s in
            w.validatorIndex(s.validator)
            w.signature(s.signature)
        }
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.finish()
    }

    init(from reader: inout ByteReader) throws(CodecError) {
        height = try reader.height("commit.height")
        round = try reader.round("commit.round")
        blockHash = try reader.hash("commit.blockHash")
        signatures = try reader.list("commit.signatures", limit: ValidatorSet.countMax) {
            (r: inout ByteReader) throws(CodecError) in
            Signed(validator: try r.validatorIndex("commit.validator"), signature: try r.signature("commit.signature"))
        }
        guard zip(signatures, signatures.dropFirst()).allSatisfy({ $0.validator < $1.validator }) else {
            throw .invalidValue(field: "commit.signatures", reason: "validator indices must be strictly increasing")
        }
    }

    /// Checks that this commit finalises `blockHash` at `height`: every signature is a valid
    /// precommit of a known validator, and together they hold more than two thirds of the power.
    /// The error names the first validator whose signature fails.
    ///
    /// - Parameter isValid: the signature check; Ed25519 by default. A caller that has already
    ///   verified these precommits as votes passes its cache (it must still give Ed25519's answer).
    package func verify(
        blockHash expected: Hash32, height expectedHeight: Height, validators: ValidatorSet, chainId: ChainID,
        isValid: (PublicKey, Signature, [UInt8]) -> Bool = { $0.isValidSignature($1, for: $2) }
    ) throws(GovChainError) {
        guard height == expectedHeight else {
            throw GovChainError(
                code: .commitWrongHeight,
                message: "The commit is for height \(height), the block is at height \(expectedHeight).")
        }
        guard blockHash == expected else {
            throw GovChainError(
                code: .commitWrongBlock, message: "The commit signs block \(blockHash.hex), not \(expected.hex).")
        }
        let message = Vote.signBytes(type: .precommit, height: height, round: round, block: blockHash, chainId: chainId)
        var power: UInt64 = 0
        for signed in signatures {
            guard let validator = validators[signed.validator] else {
                throw GovChainError(
                    code: .commitUnknownValidator,
                    message:
                        "The commit has a signature from validator #\(signed.validator), which the validator set of height \(height) does not list."
                )
            }
            guard isValid(validator.publicKey, signed.signature, message) else {
                throw GovChainError(
                    code: .commitBadSignature, message: "The commit signature of \(validator.name) is invalid.")
            }
            power += validator.power
        }
        guard power >= validators.quorumPower else {
            throw GovChainError(
                code: .commitNoQuorum,
                message:
                    "The commit carries \(power) of \(validators.totalPower) voting power; more than two thirds (\(validators.quorumPower)) are needed."
            )
        }
    }
}
