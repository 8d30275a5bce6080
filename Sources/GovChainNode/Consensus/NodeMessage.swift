import GovChainConsensus
import GovChainCore

/// What validators send each other over an authenticated peer link (docs/PROTOCOL.md,
/// "Node messages"): `version u8 ‖ tag u8 ‖ body`. Tags are never reused.
enum NodeMessage: Sendable, Equatable {
    /// A proposal or vote (`ConsensusMessage` encoding).
    case consensus(ConsensusMessage)
    /// Transactions a client submitted to the sender: `list(long(transaction))`.
    case transactions([[UInt8]])
    /// The sender's latest stored height: `u64`.
    case status(Height)
    /// Please send blocks `from`, `from+1`, … (at most `count`): `u64 ‖ u16`.
    case blockRequest(from: Height, count: UInt16)
    /// A stored block with the commit that finalised it: `long(block) ‖ long(commit)`.
    case block(Block, Commit)

    static let version: UInt8 = 1
    static let transactionsPerMessageMax = 4_096
    static let blocksPerRequestMax: UInt16 = 64

    var encoded: [UInt8] {
        var w = ByteWriter(capacity: 64)
        w.u8(Self.version)
        switch self {
        case .consensus(let message):
            w.u8(1)
            w.raw(message.encoded)
        case .transactions(let list):
            w.u8(2)
            w.list(list) { $0.longBytes($1) }
        case .status(let height):
            w.u8(3)
            w.height(height)
        case .blockRequest(let from, let count):
            w.u8(4)
            w.height(from)
            w.u16(count)
        case .block(let block, let commit):
            w.u8(5)
            w.longBytes(block.encoded)
            w.longBytes(commit.encoded)
        }
        return w.bytes
    }

    init(decoding bytes: [UInt8]) throws(CodecError) {
        var r = ByteReader(bytes)
        let version = try r.u8("node.version")
        guard version == Self.version else { throw .unknownVersion(field: "node.version", version: version) }
        let tag = try r.u8("node.tag")
        switch tag {
        case 1:
            self = .consensus(try ConsensusMessage(decoding: try r.raw(r.remaining, "node.consensus")))
            return
        case 2:
            self = .transactions(try r.list("node.transactions", limit: Self.transactionsPerMessageMax) { (r: inout ByteReader) throws(CodecError) in
                try r.longBytes("node.transaction", limit: Transaction.maxEncodedBytes)
            })
        case 3:
            self = .status(try r.height("node.status"))
        case 4:
            let from = try r.height("node.request.from")
            let count = try r.u16("node.request.count")
            guard count <= Self.blocksPerRequestMax else {
                throw .lengthOutOfRange(field: "node.request.count", length: Int(count), limit: Int(Self.blocksPerRequestMax))
            }
            self = .blockRequest(from: from, count: count)
        case 5:
            let block = try Block(decoding: try r.longBytes("node.block", limit: Block.maxEncodedBytes))
            let commit = try Commit(decoding: try r.longBytes("node.commit", limit: 64 * 1024))
            self = .block(block, commit)
        default:
            throw .unknownTag(field: "node.tag", tag: tag)
        }
        try r.finish()
    }
}
