/// Domain separation for everything GovChain signs.
///
/// Signed bytes always start with `len(tag) ‖ tag ‖ len(chainId) ‖ chainId`, so a signature
/// made for one role (a transaction, a vote) or one chain can never be replayed as another.
/// Tags are ASCII and never reused; a new meaning gets a new tag.
package enum DomainTag: String, Sendable, CaseIterable {
    case transaction = "govchain/tx/v1"
    case vote = "govchain/vote/v1"
    case proposal = "govchain/proposal/v1"
    /// A second clerk's signature over a co-signed (four-eyes) transaction.
    case cosignature = "govchain/cosign/v1"

    /// The prefix of every signed message of this kind on chain `chainId`.
    package func prefix(chainId: ChainID) -> ByteWriter {
        var writer = ByteWriter(capacity: 256)
        writer.shortBytes(Array(rawValue.utf8))
        writer.shortBytes(Array(chainId.value.utf8))
        return writer
    }
}
