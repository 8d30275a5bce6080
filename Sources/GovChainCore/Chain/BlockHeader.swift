/// The part of a block that is hashed and signed by the commit.
///
/// Layout (docs/PROTOCOL.md, "Block header"), version 2:
/// `version u8 ‖ chainId ‖ height u64 ‖ time u64 ‖ previousHash 32 ‖ lastCommitHash 32 ‖
///  txRoot 32 ‖ txCount u32 ‖ validatorsHash 32 ‖ nextValidatorsHash 32 ‖ evidenceHash 32 ‖
///  stateRoot 32 ‖ proposer u16`.
/// Version 1 (the first release) lacks `nextValidatorsHash` and `stateRoot`; it still decodes,
/// so version-1 receipts keep verifying, but no new block may carry it (`BlockRules`).
/// The block hash is SHA-256 of this encoding. At height 1, `previousHash` and
/// `lastCommitHash` are all zeros.
package struct BlockHeader: Hashable, Sendable {
    /// The version every new block carries.
    package static let currentVersion: UInt8 = 2

    package var version: UInt8
    package var chainId: ChainID
    package var height: Height
    /// Proposer's clock when it made the block; strictly increasing along the chain.
    package var time: Timestamp
    package var previousHash: Hash32
    /// SHA-256 of the encoded commit of the previous block.
    package var lastCommitHash: Hash32
    /// RFC 9162 Merkle root over the encoded transactions.
    package var txRoot: Hash32
    package var txCount: UInt32
    /// The validator set that signs this block's commit.
    package var validatorsHash: Hash32
    /// The validator set that signs the next block's commit (equal to `validatorsHash` until
    /// governance changes the set; a light client follows a change through it, as in CometBFT).
    package var nextValidatorsHash: Hash32
    /// SHA-256 over the block's evidence list (see `Block.evidenceHash`).
    package var evidenceHash: Hash32
    /// Root of `LedgerStateTree` after executing this block (version 2; zero in version 1).
    package var stateRoot: Hash32
    package var proposer: ValidatorIndex

    package init(
        chainId: ChainID, height: Height, time: Timestamp, previousHash: Hash32, lastCommitHash: Hash32,
        txRoot: Hash32, txCount: UInt32, validatorsHash: Hash32, nextValidatorsHash: Hash32, evidenceHash: Hash32,
        stateRoot: Hash32, proposer: ValidatorIndex, version: UInt8 = BlockHeader.currentVersion
    ) {
        self.version = version
        self.chainId = chainId
        self.height = height
        self.time = time
        self.previousHash = previousHash
        self.lastCommitHash = lastCommitHash
        self.txRoot = txRoot
        self.txCount = txCount
        self.validatorsHash = validatorsHash
        self.nextValidatorsHash = nextValidatorsHash
        self.evidenceHash = evidenceHash
        self.stateRoot = stateRoot
        self.proposer = proposer
    }

    package var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 264)
        encode(into: &writer)
        return writer.bytes
    }

    package var hash: Hash32 { Hash32.sha256(encoded) }

    func encode(into writer: inout ByteWriter) {
        writer.u8(version)
        writer.chainID(chainId)
        writer.height(height)
        writer.timestamp(time)
        writer.hash(previousHash)
        writer.hash(lastCommitHash)
        writer.hash(txRoot)
        writer.u32(txCount)
        writer.hash(validatorsHash)
        if version >= 2 { writer.hash(nextValidatorsHash) }
        writer.hash(evidenceHash)
        if version >= 2 { writer.hash(stateRoot) }
        writer.validatorIndex(proposer)
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.finish()
    }

    init(from reader: inout ByteReader) throws(CodecError) {
        version = try reader.u8("header.version")
        guard version == 1 || version == 2 else {
            throw .unknownVersion(field: "header.version", version: version)
        }
        chainId = try reader.chainID("header.chainId")
        height = try reader.height("header.height")
        time = try reader.timestamp("header.time")
        previousHash = try reader.hash("header.previousHash")
        lastCommitHash = try reader.hash("header.lastCommitHash")
        txRoot = try reader.hash("header.txRoot")
        txCount = try reader.u32("header.txCount")
        validatorsHash = try reader.hash("header.validatorsHash")
        nextValidatorsHash = version >= 2 ? try reader.hash("header.nextValidatorsHash") : validatorsHash
        evidenceHash = try reader.hash("header.evidenceHash")
        stateRoot = version >= 2 ? try reader.hash("header.stateRoot") : .zero
        proposer = try reader.validatorIndex("header.proposer")
    }
}
