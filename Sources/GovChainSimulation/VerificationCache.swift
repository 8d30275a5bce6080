import GovChainConsensus
import GovChainCore
import Synchronization

/// Remembers Ed25519 verdicts by SHA-256(key ‖ signature ‖ message), so that a message
/// broadcast to six peers, re-gossiped and duplicated is verified once per run. The verdict is
/// always the real Ed25519 one: a bad signature stays bad. Commits are cached the same way.
final class VerificationCache: Sendable {
    private let signatures = Mutex<[Hash32: Bool]>([:])
    private let commits = Mutex<[Hash32: Bool]>([:])

    var verifier: SignatureVerifier {
        SignatureVerifier { [self] key, signature, message in isValid(signature, by: key, for: message) }
    }

    func isValid(_ signature: Signature, by key: PublicKey, for message: [UInt8]) -> Bool {
        let cacheKey = Hash32.sha256(parts: key.bytes, signature.bytes, message)
        if let known = signatures.withLock({ $0[cacheKey] }) { return known }
        let verdict = key.isValidSignature(signature, for: message)
        signatures.withLock { $0[cacheKey] = verdict }
        return verdict
    }

    /// `Commit.verify`, once per distinct (commit, block, height).
    func verify(
        _ commit: Commit, blockHash: Hash32, height: Height, validators: ValidatorSet, chainId: ChainID
    ) -> GovChainError? {
        var heightBytes = ByteWriter(capacity: 8)
        heightBytes.height(height)
        let cacheKey = Hash32.sha256(parts: commit.encoded, blockHash.bytes, heightBytes.bytes)
        if commits.withLock({ $0[cacheKey] }) == true { return nil }
        do {
            // Precommits were verified as votes when they arrived; the signature cache answers.
            try commit.verify(
                blockHash: blockHash, height: height, validators: validators, chainId: chainId,
                isValid: { key, signature, message in self.isValid(signature, by: key, for: message) })
            commits.withLock { $0[cacheKey] = true }
            return nil
        } catch {
            return error
        }
    }
}
