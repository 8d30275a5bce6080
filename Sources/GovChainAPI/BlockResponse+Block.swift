import GovChainCore

extension BlockResponse {
    /// - Parameter validators: the set that signed the block (names of its proposer and signers).
    package init(block: Block, commit: Commit, genesis: Genesis, validators: ValidatorSet? = nil) {
        let header = block.header
        let set = validators ?? genesis.validators
        self.init(
            height: header.height.rawValue, hash: block.hash.hex, time: header.time.rfc3339,
            previous_hash: header.previousHash.hex, tx_root: header.txRoot.hex, tx_count: header.txCount,
            proposer: set[header.proposer]?.name ?? "#\(header.proposer)",
            transactions: block.transactions.map {
                .init(
                    tx_hash: $0.id.hex, kind: "\($0.body.kind)", signer: $0.signer.hex,
                    documents: $0.body.writtenDocuments.isEmpty ? nil : $0.body.writtenDocuments.map(\.hex))
            },
            commit_round: commit.round.rawValue,
            commit: commit.signatures.map {
                .init(
                    validator: $0.validator.rawValue, name: set[$0.validator]?.name ?? "?",
                    signature: $0.signature.hex)
            },
            validators_hash: header.validatorsHash.hex, next_validators_hash: header.nextValidatorsHash.hex)
    }
}
