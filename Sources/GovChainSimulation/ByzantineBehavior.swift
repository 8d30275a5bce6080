/// How the byzantine validators of a run misbehave.
public enum ByzantineBehavior: String, Hashable, Sendable, CaseIterable {
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
}
