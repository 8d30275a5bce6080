/// How the byzantine validators of a run misbehave.
package enum ByzantineBehavior: String, Hashable, Sendable, CaseIterable {
    /// Never send anything.
    case silent
    /// Collude: a byzantine proposer sends different blocks to two halves of the honest nodes,
    /// and every byzantine validator votes for each half's block towards that half; otherwise
    /// they send conflicting votes (the value to one half, nil to the other).
    case equivocate
    /// Behave honestly but replace many messages with garbage: random bytes, flipped bits,
    /// forged signatures, absurd rounds, validly signed invalid blocks.
    case garbage
    /// Two honest-looking instances per byzantine key, each talking to a different half.
    case twins
    /// As proposer, sign blocks dated a year ahead, at the end of time (2^64−1 ms), at the
    /// parent's time, 1 ms before it, or just beyond the drift of its own clock.
    case badTime = "bad-time"
    /// As proposer, sign blocks with a forged transaction signature, a transaction twice, a
    /// transaction already on the chain, more transactions than the limit, or another proposer.
    case badBlocks = "bad-blocks"
    /// Claim a status height of 2^64−1 (or far ahead), never serve blocks, send blocks nobody
    /// asked for, and ask peers for blocks they cannot have.
    case lyingStatus = "lying-status"
    /// Follow consensus, and with every message send a burst of validly signed votes for future
    /// rounds and the next height, duplicates, and block requests.
    case flood
}
