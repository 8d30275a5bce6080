import GovChainCore

/// The step of a round (paper, Algorithm 1: `step_p ∈ {propose, prevote, precommit}`).
///
/// Wire values are fixed and never reused. The order matters: the signing guard
/// (`SigningState.permits`) compares `(height, round, step)` lexicographically, and within one
/// round a correct process only ever signs a proposal, then a prevote, then a precommit.
package enum ConsensusStep: UInt8, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case propose = 1
    case prevote = 2
    case precommit = 3

    package static func < (lhs: ConsensusStep, rhs: ConsensusStep) -> Bool { lhs.rawValue < rhs.rawValue }

    package var description: String {
        switch self {
        case .propose: "propose"
        case .prevote: "prevote"
        case .precommit: "precommit"
        }
    }

    /// The step in which a vote of this type is signed.
    package init(_ type: VoteType) {
        switch type {
        case .prevote: self = .prevote
        case .precommit: self = .precommit
        }
    }
}

extension ByteWriter {
    package mutating func consensusStep(_ value: ConsensusStep) { u8(value.rawValue) }
}

extension ByteReader {
    package mutating func consensusStep(_ field: String) throws(CodecError) -> ConsensusStep {
        let tag = try u8(field)
        guard let step = ConsensusStep(rawValue: tag) else { throw .unknownTag(field: field, tag: tag) }
        return step
    }
}
