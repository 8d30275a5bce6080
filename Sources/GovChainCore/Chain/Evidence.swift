/// Proof that a validator equivocated: two validly signed votes of the same type, height and
/// round for different values (Tendermint paper §2, "misbehaviour"). Anyone holding the genesis can
/// check it; blocks carry it so the misbehaviour is on the record for good.
///
/// Canonical form: `first.block < second.block`, where a nil vote sorts before any hash.
package struct DuplicateVoteEvidence: Hashable, Sendable {
    package let first: Vote
    package let second: Vote

    /// Nil unless the votes conflict: same validator, type, height and round, different values.
    package init?(_ a: Vote, _ b: Vote) {
        guard a.validator == b.validator, a.type == b.type, a.height == b.height, a.round == b.round, a.block != b.block
        else { return nil }
        let aFirst: Bool
        switch (a.block, b.block) {
        case (nil, _): aFirst = true
        case (_, nil): aFirst = false
        case (let x?, let y?): aFirst = x < y
        }
        first = aFirst ? a : b
        second = aFirst ? b : a
    }

    package var validator: ValidatorIndex { first.validator }
    package var height: Height { first.height }

    /// Checks both signatures against the validator set.
    package func verify(validators: ValidatorSet, chainId: ChainID) throws(GovChainError) {
        guard let validator = validators[first.validator] else {
            throw GovChainError(
                code: .evidenceUnknownValidator,
                message: "Evidence names validator #\(first.validator), which the genesis does not list.")
        }
        guard first.hasValidSignature(validators: validators, chainId: chainId),
            second.hasValidSignature(validators: validators, chainId: chainId)
        else {
            throw GovChainError(
                code: .evidenceBadSignature, message: "Evidence against \(validator.name) carries an invalid signature."
            )
        }
    }

    package func encode(into writer: inout ByteWriter) {
        first.encode(into: &writer)
        second.encode(into: &writer)
    }

    init(from reader: inout ByteReader) throws(CodecError) {
        let a = try Vote(from: &reader)
        let b = try Vote(from: &reader)
        guard let evidence = DuplicateVoteEvidence(a, b), evidence.first == a else {
            throw .invalidValue(field: "evidence", reason: "votes do not conflict or are not in canonical order")
        }
        self = evidence
    }
}
