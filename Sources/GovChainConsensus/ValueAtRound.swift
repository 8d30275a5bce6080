import GovChainCore

/// A value together with the round in which it was seen with a polka: the paper's pairs
/// (`lockedValue_p`, `lockedRound_p`) and (`validValue_p`, `validRound_p`). `nil` stands for
/// (nil, −1).
package struct ValueAtRound: Hashable, Sendable {
    package let round: Round
    package let block: Block
    /// `block.hash`, kept to compare with `id(v)` cheaply.
    package let blockHash: Hash32

    package init(round: Round, block: Block) {
        self.round = round
        self.block = block
        self.blockHash = block.hash
    }
}
