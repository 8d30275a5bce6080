import GovChainCore

extension BlockResponse {
    package init(block: Block, commit: Commit, genesis: Genesis) {
        let header = block.header
        self.init(
            height: header.height.rawValue, hash: block.hash.hex, time: header.time.rfc3339,
            previous_hash: header.previousHash.hex, tx_root: header.txRoot.hex, tx_count: header.txCount,
            proposer: genesis.validators[header.proposer]?.name ?? "#\(header.proposer)",
            transactions: block.transactions.map {
                .init(
                    tx_hash: $0.id.hex, kind: "\($0.body.kind)", signer: $0.signer.hex,
                    documents: $0.body.writtenDocuments.isEmpty ? nil : $0.body.writtenDocuments.map(\.hex))
            },
            commit_round: commit.round.rawValue,
            commit: commit.signatures.map {
                .init(
                    validator: $0.validator.rawValue, name: genesis.validators[$0.validator]?.name ?? "?",
                    signature: $0.signature.hex)
            })
    }
}
