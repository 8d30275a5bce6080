/// One change of the validator set, as receipts and proofs carry it (docs/RECEIPTS.md, "Validator
/// set changes"): the new set in full, and the header of the height before it took over with that
/// header's commit — signed by the set before, and naming the new set as `nextValidatorsHash`.
package struct ValidatorSetChange: Codable, Sendable, Equatable, Hashable {
    /// The first height the new set signs.
    package var height: UInt64
    /// `ValidatorSet` encoding of the new set, hex.
    package var validators: String
    /// The encoded header of `height − 1`, hex.
    package var block_header: String
    /// The encoded commit of `height − 1`, hex.
    package var commit: String

    package init(height: UInt64, validators: String, block_header: String, commit: String) {
        self.height = height
        self.validators = validators
        self.block_header = block_header
        self.commit = commit
    }

    /// At most this many changes in one receipt or proof.
    package static let countMax = 10_000
}

/// From the genesis set to the set that signs a later height, trusting nothing but the genesis:
/// each change is accepted only under a commit of more than two thirds of the set before it,
/// whose header names the new set (CometBFT's light client, "sequential" at every set change and
/// skipping the heights between changes). What it assumes, as every light client does: a set's
/// keys stay honest (more than two thirds of its power) for as long as receipts cite it, so
/// retired validator keys must be destroyed (docs/GOVERNANCE.md, "Trust").
package enum ValidatorSetChain {
    /// The set that signs `height`, proven from `genesis` through `changes` (in increasing
    /// height, each after the last; those above `height` are ignored).
    /// - Parameter code: the error code of a refusal (`receipt_invalid`, or `proof_invalid` for proofs).
    package static func set(
        at height: Height, changes: [ValidatorSetChange], genesis: Genesis,
        code: GovChainError.Code = .receiptInvalid
    ) throws(GovChainError) -> ValidatorSet {
        func invalid(_ why: String) -> GovChainError {
            GovChainError(code: code, message: "The validator set changes do not hold: \(why).")
        }
        guard changes.count <= ValidatorSetChange.countMax else { throw invalid("too many changes") }
        var trusted = genesis.validators
        var last: UInt64 = 1
        for change in changes where change.height <= height.rawValue {
            guard change.height > last else { throw invalid("heights must increase, each above 1") }
            last = change.height
            guard let setBytes = Hex.decode(change.validators), let set = try? ValidatorSet(decoding: setBytes) else {
                throw invalid("the set taking over at height \(change.height) cannot be decoded")
            }
            guard let headerBytes = Hex.decode(change.block_header),
                let header = try? BlockHeader(decoding: headerBytes)
            else { throw invalid("the header before height \(change.height) cannot be decoded") }
            guard header.version >= 2, header.chainId == genesis.chainId, header.height.rawValue == change.height - 1
            else {
                throw invalid("the header before height \(change.height) is for another chain or height")
            }
            guard header.validatorsHash == trusted.hash else {
                throw invalid("the header at \(header.height) is not signed by the set proven before it")
            }
            guard header.nextValidatorsHash == set.hash else {
                throw invalid("the header at \(header.height) does not name the set that takes over")
            }
            guard let commitBytes = Hex.decode(change.commit), let commit = try? Commit(decoding: commitBytes) else {
                throw invalid("the commit at \(header.height) cannot be decoded")
            }
            do {
                try commit.verify(
                    blockHash: header.hash, height: header.height, validators: trusted, chainId: genesis.chainId)
            } catch {
                throw invalid("block \(header.height): \(error.message)")
            }
            trusted = set
        }
        return trusted
    }
}
