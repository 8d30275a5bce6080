import GovChainCore

/// A message of the consensus protocol as it travels between validators.
///
/// Encoding: `version u8 ‖ tag u8 ‖ body`, tag 1 = proposal (`Proposal` codec), tag 2 = vote
/// (`Vote` codec). Tags are never reused. Decoding checks only the form (sizes, tags, the
/// proposal's stateless invariants); signatures are checked by `ConsensusInstance`, which knows
/// the validator set.
package enum ConsensusMessage: Hashable, Sendable {
    case proposal(Proposal)
    case vote(Vote)

    package static let version: UInt8 = 1
    /// A proposal carries a whole block; everything else is tiny.
    package static let encodedBytesMax = Block.encodedBytesMax + 1_024

    package var height: Height {
        switch self {
        case .proposal(let proposal): proposal.height
        case .vote(let vote): vote.height
        }
    }

    package var round: Round {
        switch self {
        case .proposal(let proposal): proposal.round
        case .vote(let vote): vote.round
        }
    }

    /// The validator that signed the message.
    package var signer: ValidatorIndex {
        switch self {
        case .proposal(let proposal): proposal.proposer
        case .vote(let vote): vote.validator
        }
    }

    package var signature: Signature {
        switch self {
        case .proposal(let proposal): proposal.signature
        case .vote(let vote): vote.signature
        }
    }

    /// About the encoded size, without encoding: what a buffered message costs in memory.
    package var approximateBytes: Int {
        switch self {
        case .vote: 160
        case .proposal(let proposal):
            proposal.block.transactions.reduce(1_024) { $0 + $1.encoded.count + 4 }
                + (proposal.block.lastCommit.map { $0.signatures.count * 70 + 48 } ?? 0) + proposal.block.evidence.count
                * 320
        }
    }

    /// The step in which the message was signed (used by the signing guard and the simulator's checker).
    package var step: ConsensusStep {
        switch self {
        case .proposal: .propose
        case .vote(let vote): ConsensusStep(vote.type)
        }
    }

    package func signBytes(chainId: ChainID) -> [UInt8] {
        switch self {
        case .proposal(let proposal): proposal.signBytes(chainId: chainId)
        case .vote(let vote): vote.signBytes(chainId: chainId)
        }
    }

    package var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 400)
        writer.u8(Self.version)
        switch self {
        case .proposal(let proposal):
            writer.u8(1)
            proposal.encode(into: &writer)
        case .vote(let vote):
            writer.u8(2)
            vote.encode(into: &writer)
        }
        return writer.bytes
    }

    package init(decoding bytes: [UInt8]) throws(CodecError) {
        guard bytes.count <= Self.encodedBytesMax else {
            throw .lengthOutOfRange(field: "message", length: bytes.count, limit: Self.encodedBytesMax)
        }
        var reader = ByteReader(bytes)
        let version = try reader.u8("message.version")
        guard version == Self.version else { throw .unknownVersion(field: "message.version", version: version) }
        let tag = try reader.u8("message.tag")
        switch tag {
        case 1: self = .proposal(try Proposal(from: &reader))
        case 2: self = .vote(try Vote(from: &reader))
        default: throw .unknownTag(field: "message.tag", tag: tag)
        }
        try reader.finish()
    }
}
