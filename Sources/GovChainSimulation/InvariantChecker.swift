import GovChainConsensus
import GovChainCore

/// The properties every run must keep, checked as the events happen:
/// - agreement: no two honest nodes commit different blocks at one height;
/// - validity: every block an honest node commits carries a commit that verifies
///   (`Commit.verify`), links to the previous block, is well formed, and names as proposer the
///   proposer of some round up to the commit's round; it passes the honest `BlockRules` with
///   its time after its parent's and at most the drift ahead of the latest honest clock, and
///   none of its transactions is on the chain already;
/// - no honest double-signing: an honest validator never signs two different messages for one
///   (height, round, step), across crashes and restarts.
/// Liveness is checked by the run loop, which owns the clock.
struct InvariantChecker: Sendable {
    private struct SignedSlot: Hashable, Sendable {
        let validator: ValidatorIndex
        let height: Height
        let round: Round
        let step: ConsensusStep
    }

    let configuration: ConsensusConfiguration
    let rules: BlockRules
    let cache: VerificationCache
    /// The set signing each height.
    let plan: MembershipPlan
    private(set) var committed: [Height: Hash32] = [:]
    private var committedTips: [Height: ChainTip] = [:]
    /// Every transaction on the agreed chain, by the height that holds it.
    private var transactions: [Hash32: Height] = [:]
    private var signed: [SignedSlot: Hash32] = [:]

    init(configuration: ConsensusConfiguration, rules: BlockRules, cache: VerificationCache, plan: MembershipPlan) {
        self.configuration = configuration
        self.rules = rules
        self.cache = cache
        self.plan = plan
    }

    mutating func onSigned(_ message: ConsensusMessage, by node: SimNode, atMs now: UInt64) -> Violation? {
        let slot = SignedSlot(
            validator: message.signer, height: message.height, round: message.round, step: message.step)
        let digest = Hash32.sha256(message.signBytes(chainId: configuration.chainId))
        if let previous = signed[slot], previous != digest {
            return Violation(
                kind: .doubleSign, height: message.height, atMs: now,
                details:
                    "honest validator \(message.signer) (node \(node.slot)) signed two different \(message.step) messages in round \(message.round)"
            )
        }
        signed[slot] = digest
        return nil
    }

    mutating func onCommit(
        _ block: Block, _ commit: Commit, by node: SimNode, atMs now: UInt64, honestClockMaxMs: UInt64
    ) -> Violation? {
        let height = block.header.height
        let hash = block.hash
        if let violation = checkValidity(block, commit, by: node, atMs: now, honestClockMaxMs: honestClockMaxMs) {
            return violation
        }
        if let agreed = committed[height], agreed != hash {
            return Violation(
                kind: .agreement, height: height, atMs: now,
                details:
                    "node \(node.slot) (validator \(node.validator)) committed \(hash.hex.prefix(12)), another honest node committed \(agreed.hex.prefix(12))"
            )
        }
        if committed[height] == nil {
            for transaction in block.transactions { transactions[transaction.id] = height }
        }
        committed[height] = hash
        committedTips[height] = ChainTip(height: height, hash: hash, time: block.header.time)
        return nil
    }

    private func checkValidity(
        _ block: Block, _ commit: Commit, by node: SimNode, atMs now: UInt64, honestClockMaxMs: UInt64
    ) -> Violation? {
        let height = block.header.height
        func invalid(_ details: String) -> Violation {
            Violation(
                kind: .validity, height: height, atMs: now,
                details: "node \(node.slot) committed block \(block.hash.hex.prefix(12)): \(details)")
        }
        if let error = cache.verify(
            commit, blockHash: block.hash, height: height, validators: plan.set(at: height),
            chainId: configuration.chainId)
        {
            return invalid("its commit does not verify (\(error.code): \(error.message))")
        }
        do { try block.validateBasic() } catch { return invalid("\(error.code): \(error.message)") }
        if height.rawValue > 1, let previous = committed[Height(height.rawValue - 1)],
            previous != block.header.previousHash
        {
            return invalid("it does not link to the block committed at height \(height.rawValue - 1)")
        }
        let schedule = plan.schedule(at: height)
        let rounds = min(UInt64(commit.round.rawValue) + 1, UInt64(schedule.cycle.count))
        let proposers = (0..<rounds).map { schedule.proposer(height: height, round: Round(UInt32($0))) }
        guard proposers.contains(block.header.proposer) else {
            return invalid(
                "its proposer \(block.header.proposer) is not the proposer of any round up to \(commit.round)")
        }
        // The honest rules against the latest honest clock, on top of the agreed parent.
        let parent = height.rawValue > 1 ? committedTips[Height(height.rawValue - 1)] : nil
        if height.rawValue == 1 || parent != nil {
            do {
                try rules.checkExtends(
                    block, tip: parent, localTime: Timestamp(rawValue: honestClockMaxMs),
                    signers: plan.signers(at: height))
            } catch {
                return invalid("it breaks the honest block rules (\(error.code): \(error.message))")
            }
        }
        var seen = Set<Hash32>()
        for transaction in block.transactions {
            if let earlier = transactions[transaction.id], earlier != height {
                return invalid(
                    "transaction \(transaction.id.hex.prefix(12)) is already on the chain at height \(earlier)")
            }
            guard seen.insert(transaction.id).inserted else {
                return invalid("it holds transaction \(transaction.id.hex.prefix(12)) twice")
            }
            guard
                cache.isValid(
                    transaction.signature, by: transaction.signer,
                    for: transaction.signBytes(chainId: configuration.chainId))
            else {
                return invalid("transaction \(transaction.id.hex.prefix(12)) carries a forged signature")
            }
        }
        return nil
    }
}
