/// The part of a block that is hashed and signed by the commit.
///
/// Layout (docs/PROTOCOL.md, "Block header"):
/// `version u8 ‖ chainId ‖ height u64 ‖ time u64 ‖ previousHash 32 ‖ lastCommitHash 32 ‖
///  txRoot 32 ‖ txCount u32 ‖ validatorsHash 32 ‖ evidenceHash 32 ‖ proposer u16`.
/// The block hash is SHA-256 of this encoding. At height 1, `previousHash` and
/// `lastCommitHash` are all zeros.
public struct BlockHeader: Hashable, Sendable {
    public static let version: UInt8 = 1

    public var chainId: ChainID
    public var height: Height
    /// Proposer's clock when it made the block; strictly increasing along the chain.
    public var time: Timestamp
    public var previousHash: Hash32
    /// SHA-256 of the encoded commit of the previous block.
    public var lastCommitHash: Hash32
    /// RFC 9162 Merkle root over the encoded transactions.
    public var txRoot: Hash32
    public var txCount: UInt32
    public var validatorsHash: Hash32
    /// SHA-256 over the block's evidence list (see `Block.evidenceHash`).
    public var evidenceHash: Hash32
    public var proposer: ValidatorIndex

    public init(
        chainId: ChainID, height: Height, time: Timestamp, previousHash: Hash32, lastCommitHash: Hash32,
        txRoot: Hash32, txCount: UInt32, validatorsHash: Hash32, evidenceHash: Hash32, proposer: ValidatorIndex
    ) {
        self.chainId = chainId
        self.height = height
        self.time = time
        self.previousHash = previousHash
        self.lastCommitHash = lastCommitHash
        self.txRoot = txRoot
        self.txCount = txCount
        self.validatorsHash = validatorsHash
        self.evidenceHash = evidenceHash
        self.proposer = proposer
    }

    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 200)
        encode(into: &writer)
        return writer.bytes
    }

    public var hash: Hash32 { Hash32.sha256(encoded) }

    func encode(into writer: inout ByteWriter) {
        writer.u8(Self.version)
        writer.chainID(chainId)
        writer.height(height)
        writer.timestamp(time)
        writer.hash(previousHash)
        writer.hash(lastCommitHash)
        writer.hash(txRoot)
        writer.u32(txCount)
        writer.hash(validatorsHash)
        writer.hash(evidenceHash)
        writer.validatorIndex(proposer)
    }

    public init(decoding bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.finish()
    }

    init(from reader: inout ByteReader) throws(CodecError) {
        let version = try reader.u8("header.version")
        guard version == Self.version else { throw .unknownVersion(field: "header.version", version: version) }
        chainId = try reader.chainID("header.chainId")
        height = try reader.height("header.height")
        time = try reader.timestamp("header.time")
        previousHash = try reader.hash("header.previousHash")
        lastCommitHash = try reader.hash("header.lastCommitHash")
        txRoot = try reader.hash("header.txRoot")
        txCount = try reader.u32("header.txCount")
        validatorsHash = try reader.hash("header.validatorsHash")
        evidenceHash = try reader.hash("header.evidenceHash")
        proposer = try reader.validatorIndex("header.proposer")
    }
}
