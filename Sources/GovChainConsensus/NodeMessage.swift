import GovChainCore

/// What validators send each other over an authenticated peer link (docs/PROTOCOL.md,
/// "Node messages"): `version u8 ‖ tag u8 ‖ body`. Tags are never reused. The node and the
/// simulator speak exactly this protocol.
package enum NodeMessage: Sendable, Equatable {
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

    /// Wire tags (style.md #22). Never reuse a number.
    package enum Tag: UInt8, Sendable, CaseIterable {
        case consensus = 1
        case transactions = 2
        case status = 3
        case blockRequest = 4
        case block = 5
    }

    package static let version: UInt8 = 1
    package static let transactionsPerMessageMax = 4_096
    package static let blocksPerRequestMax: UInt16 = 64
    /// Largest encoded commit carried with a synced block.
    package static let commitBytesMax = 64 * 1024

    package var tag: Tag {
        switch self {
        case .consensus: .consensus
        case .transactions: .transactions
        case .status: .status
        case .blockRequest: .blockRequest
        case .block: .block
        }
    }

    package var encoded: [UInt8] {
        var w = ByteWriter(capacity: 64)
        w.u8(Self.version)
        w.u8(tag.rawValue)
        switch self {
        case .consensus(let message):
            w.raw(message.encoded)
        case .transactions(let list):
            w.list(list) { $0.longBytes($1) }
        case .status(let height):
            w.height(height)
        case .blockRequest(let from, let count):
            w.height(from)
            w.u16(count)
        case .block(let block, let commit):
            w.longBytes(block.encoded)
            w.longBytes(commit.encoded)
        }
        return w.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        var r = ByteReader(bytes)
        let version = try r.u8("node.version")
        guard version == Self.version else { throw .unknownVersion(field: "node.version", version: version) }
        let raw = try r.u8("node.tag")
        guard let tag = Tag(rawValue: raw) else { throw .unknownTag(field: "node.tag", tag: raw) }
        switch tag {
        case .consensus:
            self = .consensus(try ConsensusMessage(decoding: try r.raw(r.remaining, "node.consensus")))
            return
        case .transactions:
            self = .transactions(
                try r.list("node.transactions", limit: Self.transactionsPerMessageMax) {
                    (r: inout ByteReader) throws(CodecError) in
                    try r.longBytes("node.transaction", limit: Transaction.encodedBytesMax)
                })
        case .status:
            self = .status(try r.height("node.status"))
        case .blockRequest:
            let from = try r.height("node.request.from")
            let count = try r.u16("node.request.count")
            guard count <= Self.blocksPerRequestMax else {
                throw .lengthOutOfRange(
                    field: "node.request.count", length: Int(count), limit: Int(Self.blocksPerRequestMax))
            }
            self = .blockRequest(from: from, count: count)
        case .block:
            let block = try Block(decoding: try r.longBytes("node.block", limit: Block.encodedBytesMax))
            let commit = try Commit(decoding: try r.longBytes("node.commit", limit: Self.commitBytesMax))
            self = .block(block, commit)
        }
        try r.finish()
    }
}

extension NodeMessage {
    /// Height, round and signer of a proposal, read from its first bytes without decoding the
    /// block it carries (up to 8 MiB): enough for the edge to drop a proposal that is far from
    /// this node's height or signed by someone who is not the proposer of its round, before it
    /// pays for decoding and a signature check. Nil for anything that is not a proposal.
    package static func peekProposal(_ bytes: [UInt8]) -> (height: Height, round: Round, proposer: ValidatorIndex)? {
        var r = ByteReader(bytes)
        guard (try? r.u8("node.version")) == version, (try? r.u8("node.tag")) == Tag.consensus.rawValue,
            (try? r.u8("message.version")) == ConsensusMessage.version, (try? r.u8("message.tag")) == 1,
            let height = try? r.height("proposal.height"), let round = try? r.round("proposal.round"),
            let validRound = try? r.optional(
                "proposal.validRound", { (r: inout ByteReader) throws(CodecError) in try r.round("v") }),
            let proposer = try? r.validatorIndex("proposal.proposer")
        else { return nil }
        _ = validRound
        return (height, round, proposer)
    }
}
