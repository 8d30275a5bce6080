/// A block: header, transactions, and the commit that finalised the previous block.
///
/// Layout: `header ‖ count u32 ‖ (length u32 ‖ transaction)* ‖ optional(lastCommit) ‖
/// count u16 ‖ evidence*`.
/// Invariants checked by `validateBasic`: `txRoot` and `txCount` match the transactions,
/// `lastCommitHash` matches `lastCommit`, `evidenceHash` matches `evidence`, and height 1 has
/// no last commit.
package struct Block: Hashable, Sendable {
    /// Upper bound on transactions per block, whatever the genesis says.
    package static let transactionsMax = 20_000
    /// Upper bound on an encoded block.
    package static let encodedBytesMax = 16 * 1024 * 1024

    package var header: BlockHeader
    package var transactions: [Transaction]
    package var lastCommit: Commit?
    /// Equivocations seen by the proposer, recorded for good.
    package var evidence: [DuplicateVoteEvidence]

    package static let evidenceMax = 100

    package init(
        header: BlockHeader, transactions: [Transaction], lastCommit: Commit?, evidence: [DuplicateVoteEvidence] = []
    ) {
        self.header = header
        self.transactions = transactions
        self.lastCommit = lastCommit
        self.evidence = evidence
    }

    /// SHA-256 of `count u16 ‖ evidence*`; the header carries it.
    package static func evidenceHash(_ evidence: [DuplicateVoteEvidence]) -> Hash32 {
        var writer = ByteWriter()
        writer.list(evidence) { $1.encode(into: &$0) }
        return Hash32.sha256(writer.bytes)
    }

    /// Assembles a block whose derived header fields (roots, counts) are computed here.
    package static func make(
        chainId: ChainID, height: Height, time: Timestamp, previousHash: Hash32,
        lastCommit: Commit?, transactions: [Transaction], validators: ValidatorSet,
        proposer: ValidatorIndex, evidence: [DuplicateVoteEvidence] = [], stateRoot: Hash32 = .zero,
        nextValidatorsHash: Hash32? = nil
    ) -> Block {
        let header = BlockHeader(
            chainId: chainId, height: height, time: time, previousHash: previousHash,
            lastCommitHash: lastCommit?.hash ?? .zero,
            txRoot: MerkleTree.root(leaves: transactions.map(\.encoded)),
            txCount: UInt32(transactions.count), validatorsHash: validators.hash,
            nextValidatorsHash: nextValidatorsHash ?? validators.hash, evidenceHash: evidenceHash(evidence),
            stateRoot: stateRoot,
            proposer: proposer)
        return Block(header: header, transactions: transactions, lastCommit: lastCommit, evidence: evidence)
    }

    package var hash: Hash32 { header.hash }

    package var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 256 + transactions.count * 300)
        header.encode(into: &writer)
        writer.u32(UInt32(transactions.count))
        for transaction in transactions { writer.longBytes(transaction.encoded) }
        writer.optional(lastCommit) { $1.encode(into: &$0) }
        writer.list(evidence) { $1.encode(into: &$0) }
        return writer.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        guard bytes.count <= Self.encodedBytesMax else {
            throw .lengthOutOfRange(field: "block", length: bytes.count, limit: Self.encodedBytesMax)
        }
        var reader = ByteReader(bytes)
        header = try BlockHeader(from: &reader)
        let count = Int(try reader.u32("block.txCount"))
        guard count <= Self.transactionsMax else {
            throw .lengthOutOfRange(field: "block.transactions", length: count, limit: Self.transactionsMax)
        }
        var transactions: [Transaction] = []
        transactions.reserveCapacity(count)
        for _ in 0..<count {
            transactions.append(
                try Transaction(decoding: try reader.longBytes("block.transaction", limit: Transaction.encodedBytesMax))
            )
        }
        self.transactions = transactions
        lastCommit = try reader.optional("block.lastCommit") { (r: inout ByteReader) throws(CodecError) in
            try Commit(from: &r)
        }
        evidence = try reader.list("block.evidence", limit: Self.evidenceMax) {
            (r: inout ByteReader) throws(CodecError) in try DuplicateVoteEvidence(from: &r)
        }
        try reader.finish()
    }

    /// Stateless consistency of the block with its own header.
    package func validateBasic() throws(GovChainError) {
        guard header.txCount == transactions.count else {
            throw GovChainError(
                code: .blockTxCount,
                message: "Block \(header.height) says \(header.txCount) transactions but holds \(transactions.count).")
        }
        guard header.txRoot == MerkleTree.root(leaves: transactions.map(\.encoded)) else {
            throw GovChainError(
                code: .blockTxRoot,
                message: "Block \(header.height): the transactions do not match the header's txRoot.")
        }
        guard header.lastCommitHash == (lastCommit?.hash ?? .zero) else {
            throw GovChainError(
                code: .blockLastCommit,
                message: "Block \(header.height): the last commit does not match the header's lastCommitHash.")
        }
        guard header.evidenceHash == Self.evidenceHash(evidence) else {
            throw GovChainError(
                code: .blockEvidence,
                message: "Block \(header.height): the evidence does not match the header's evidenceHash.")
        }
        guard (header.height == 1) == (lastCommit == nil) else {
            throw GovChainError(
                code: .blockLastCommit, message: "Block \(header.height): only the first block may lack a last commit.")
        }
    }
}
