import GovChainConsensus
import GovChainCore

/// One seed's world: nodes, network, clock, faults and the checker. Single-threaded and
/// deterministic: every choice comes from `random`, every event from `queue` in (time, order).
final class SimulationRun {
    static let chainId = ChainID("govchain-sim")!
    static let genesisTimeMs: UInt64 = 1_700_000_000_000
    static let timeouts = TimeoutParameters(proposeMs: 400, prevoteMs: 200, precommitMs: 200, deltaMs: 100)
    /// The simulated genesis's drift bound; honest clocks are skewed by at most a quarter of it.
    static let clockDriftMsMax: UInt64 = 1_000
    static let blockTxsMax = 16
    static let blockBytesMax = 64 * 1024
    /// When idle (no transactions waiting), nodes make empty blocks at this interval.
    static let emptyBlockIntervalMs: UInt64 = 500
    /// After the last fault, every honest node must commit within this much virtual time.
    static let livenessBoundMs: UInt64 = 30_000
    static let eventsMax = 2_000_000

    let seed: UInt64
    let options: SimulationOptions
    let profile: FaultProfile
    let behavior: ByzantineBehavior
    let configuration: ConsensusConfiguration
    let rules: BlockRules
    let policyConfiguration: NodePolicy.Configuration
    /// Whether transactions always wait (a loaded network: heights follow each other at once) or
    /// never (an idle one: empty blocks at the interval, idle and held pacing exercised).
    let busy: Bool
    let cache = VerificationCache()
    /// The validator set of each height (the genesis set throughout unless `options.setChanges`).
    var plan: MembershipPlan
    var random: SimulationRandom
    var queue = EventQueue<SimulationEvent>()
    var nodes: [SimNode] = []
    var checker: InvariantChecker
    var now: UInt64 = 0
    var faultEndMs: UInt64 = 0
    var requiredHeight: [Int: Int] = [:]
    var partitions: [Int: Set<Int>] = [:]
    /// Equivocating proposals of the byzantine coalition: (height, round) → the two block hashes.
    var splits: [SplitKey: (Hash32, Hash32)] = [:]
    var violation: Violation?

    // Counters for the result.
    var events = 0
    var delivered = 0
    var malformedAtEdge = 0
    var refusedByPolicy = 0
    var evidenceFound = 0
    var trace = TraceRecorder()

    struct SplitKey: Hashable {
        let height: Height
        let round: Round
    }

    init(seed: UInt64, options: SimulationOptions, profile: FaultProfile) {
        self.seed = seed
        self.options = options
        self.profile = profile
        random = SimulationRandom(seed: seed)
        let validatorSet = ValidatorSet(
            (0..<options.validators).map { index in
                Validator(
                    name: "v\(index)", publicKey: SimulationKeys.key(index).publicKey, peerAddress: "sim:\(index)",
                    power: 10)
            })
        var configuration = ConsensusConfiguration(
            chainId: Self.chainId, validators: validatorSet, timeouts: Self.timeouts)
        configuration.verifier = cache.verifier
        self.configuration = configuration
        plan = MembershipPlan(genesis: validatorSet)
        rules = BlockRules(
            chainId: Self.chainId, validatorsHash: validatorSet.hash, validatorCount: validatorSet.count,
            genesisTime: Timestamp(rawValue: Self.genesisTimeMs), blockTxsMax: Self.blockTxsMax,
            blockBytesMax: Self.blockBytesMax, clockDriftMsMax: Self.clockDriftMsMax)
        busy = random.chance(0.7)
        var policy = NodePolicy.Configuration(
            validators: validatorSet, selfIndex: nil, emptyBlockIntervalMs: busy ? 0 : Self.emptyBlockIntervalMs)
        policy.statusIntervalMs = 300
        policy.statusTtlMs = 1_500
        policy.syncTimeoutMs = 600
        policy.syncPenaltyBaseMs = 300
        policy.syncPenaltyMsMax = 5_000
        policy.regossipAfterMs = 300
        policyConfiguration = policy
        checker = InvariantChecker(configuration: configuration, rules: rules, cache: cache, plan: plan)
        let drawn = ByzantineBehavior.allCases[Int(random.below(UInt64(ByzantineBehavior.allCases.count)))]
        behavior = options.behavior ?? drawn
        trace.enabled = options.recordTrace
        buildNodes()
        scheduleFaults()
    }

    var honestSlots: [Int] { nodes.indices.filter { !nodes[$0].isByzantine } }
    /// Honest nodes still expected to make progress: not retired after leaving the set.
    var activeSlots: [Int] { honestSlots.filter { !nodes[$0].retired } }

    // MARK: - Setup

    private func buildNodes() {
        var order = Array(0..<options.validators)
        random.shuffle(&order)
        let byzantine = Set(order.prefix(options.byzantine))
        if options.setChanges {
            plan = MembershipPlan(
                genesis: configuration.validators,
                byzantine: Set(byzantine.map { ValidatorIndex(UInt16($0)) }), heights: options.heights,
                random: &random)
            checker = InvariantChecker(configuration: configuration, rules: rules, cache: cache, plan: plan)
        }
        for index in 0..<options.validators {
            let isByzantine = byzantine.contains(index)
            let twins = isByzantine && behavior == .twins ? [1, 2] : [0]
            for twin in twins {
                nodes.append(
                    SimNode(
                        slot: nodes.count, validator: ValidatorIndex(UInt16(index)), key: SimulationKeys.key(index),
                        isByzantine: isByzantine, twin: twin))
            }
        }
        // The joining validator's node runs from the start and follows the chain until it is admitted.
        if let joiner = plan.joiner {
            nodes.append(
                SimNode(
                    slot: nodes.count, validator: joiner, key: SimulationKeys.key(Int(joiner.rawValue)),
                    isByzantine: false, twin: 0))
        }
        var honest = honestSlots
        random.shuffle(&honest)
        for (position, slot) in honest.enumerated() {
            nodes[slot].group = position < (honest.count + 1) / 2 ? 1 : 2
        }
        let skew = Int64(Self.clockDriftMsMax / 4)
        for slot in nodes.indices {
            nodes[slot].clockSkewMs = Int64(random.below(UInt64(2 * skew + 1))) - skew
        }
        for slot in nodes.indices where !(nodes[slot].isByzantine && behavior == .silent) {
            boot(slot)
        }
    }

    private func scheduleFaults() {
        for id in 0..<random.int(in: profile.partitions) {
            let start = random.below(max(profile.faultWindowMs, 1))
            let end = start + random.uint64(in: profile.partitionMs)
            var side = Set<Int>()
            while side.isEmpty || side.count == nodes.count {
                side = Set(nodes.indices.filter { _ in random.chance(0.5) })
            }
            queue.push(.partitionStart(id: id, side: side), at: start)
            queue.push(.partitionHeal(id: id), at: end)
            faultEndMs = max(faultEndMs, end)
        }
        let honest = honestSlots
        for _ in 0..<random.int(in: profile.crashes) where !honest.isEmpty {
            let slot = honest[Int(random.below(UInt64(honest.count)))]
            let start = random.below(max(profile.faultWindowMs, 1))
            let end = start + random.uint64(in: profile.downtimeMs)
            queue.push(.crash(node: slot, atNextPersist: random.chance(0.5)), at: start)
            queue.push(.restart(node: slot), at: end)
            faultEndMs = max(faultEndMs, end)
        }
    }

    // MARK: - Loop

    func run() -> SeedResult {
        while violation == nil, let (time, event) = queue.pop() {
            now = time
            events += 1
            trace.record(time: time, event)
            handle(event)
            if violation == nil { checkLiveness() }
            if finished { break }
            if events >= Self.eventsMax {
                violation = Violation(
                    kind: .liveness, height: lowestHeight, atMs: now,
                    details: "event budget of \(Self.eventsMax) exhausted")
            }
        }
        if violation == nil && !finished {
            violation = Violation(
                kind: .liveness, height: lowestHeight, atMs: now,
                details: "no events left before every honest node reached its target height")
        }
        return result()
    }

    func handle(_ event: SimulationEvent) {
        switch event {
        case .deliver(let to, let from, let bytes): deliver(bytes, to: to, from: from)
        case .timeout(let slot, let incarnation, let timeout):
            guard isCurrent(slot, incarnation) else { return }
            feed(slot, .timeout(timeout))
        case .tick(let slot, let incarnation):
            guard isCurrent(slot, incarnation) else { return }
            queue.push(.tick(node: slot, incarnation: incarnation), at: now + policyConfiguration.statusIntervalMs)
            policyStep(slot) { $0.onTick(nowMs: now) }
        case .proposalBuilt(let slot, let incarnation, let height):
            guard isCurrent(slot, incarnation), nodes[slot].nextHeight == height else { return }
            feed(
                slot,
                .proposalValue(makeBlock(at: slot, height: height, evidence: nodes[slot].instance!.pendingEvidence)))
        case .validated(let slot, let incarnation, let block):
            guard isCurrent(slot, incarnation) else { return }
            feed(slot, .blockValidity(blockHash: block.hash, valid: isValid(block, at: slot)))
        case .stored(let slot, let incarnation, let block, let commit):
            guard isCurrent(slot, incarnation) else { return }
            storeIfNeeded(block, commit, at: slot)
            guard violation == nil else { return }
            policyStep(slot) { $0.onTransactionsWaiting(busy, nowMs: now) }
            policyStep(slot) { $0.onDecided(block, commit, nowMs: now) }
        case .syncApplied(let slot, let incarnation, let block, let commit, _):
            guard isCurrent(slot, incarnation) else { return }
            let ok =
                nodes[slot].chain.count >= Int(block.header.height.rawValue) || isValidSynced(block, commit, at: slot)
            if ok { storeIfNeeded(block, commit, at: slot) }
            guard violation == nil else { return }
            policyStep(slot) { $0.onSyncedApplied(height: block.header.height, ok: ok, nowMs: now) }
        case .crash(let slot, let atNextPersist):
            if atNextPersist { nodes[slot].crashAtNextPersist = true } else { crash(slot) }
        case .restart(let slot):
            nodes[slot].crashAtNextPersist = false
            if !nodes[slot].isUp, !nodes[slot].retired { boot(slot) }
        case .partitionStart(let id, let side): partitions[id] = side
        case .partitionHeal(let id): partitions[id] = nil
        }
    }

    func isCurrent(_ slot: Int, _ incarnation: Int) -> Bool {
        nodes[slot].incarnation == incarnation && nodes[slot].isUp
    }

    /// This node's wall clock (the simulation clock, skewed).
    func localTime(_ slot: Int) -> Timestamp {
        Timestamp(rawValue: UInt64(Int64(Self.genesisTimeMs + now) + nodes[slot].clockSkewMs))
    }

    // MARK: - Liveness and the end of a run

    private var lowestHeight: Height {
        Height(UInt64(activeSlots.map { nodes[$0].chain.count }.min() ?? 0))
    }

    /// After the last partition heals and the last crashed node restarts, every honest node must
    /// commit a new height within `livenessBoundMs`, until it reaches its target.
    private func checkLiveness() {
        guard now >= faultEndMs else { return }
        if requiredHeight.isEmpty {
            for slot in honestSlots {
                requiredHeight[slot] = max(options.heights, nodes[slot].chain.count + 1)
            }
        }
        for slot in activeSlots where nodes[slot].chain.count < requiredHeight[slot]! {
            let since = max(faultEndMs, nodes[slot].lastProgressMs)
            if now > since + Self.livenessBoundMs {
                violation = Violation(
                    kind: .liveness, height: nodes[slot].nextHeight, atMs: now,
                    details:
                        "honest node \(slot) committed nothing for \(now - since) ms after the faults ended (round \(nodes[slot].instance?.round.description ?? "down"))"
                )
                return
            }
        }
    }

    private var finished: Bool {
        guard now >= faultEndMs, !requiredHeight.isEmpty else { return false }
        return activeSlots.allSatisfy { nodes[$0].chain.count >= requiredHeight[$0]! }
    }

    private func result() -> SeedResult {
        let honest = honestSlots
        let committedEvidence = Set(honest.flatMap { nodes[$0].chain.flatMap(\.block.evidence) }).count
        let dropped = honest.compactMap { nodes[$0].instance?.stats.dropped }.reduce(
            malformedAtEdge + refusedByPolicy, +)
        return SeedResult(
            seed: seed, heightsDecided: Int(lowestHeight.rawValue), messagesDelivered: delivered, virtualTimeMs: now,
            violation: violation, behavior: behavior, events: events,
            maxRound: honest.map { nodes[$0].maxRound }.max() ?? 0,
            evidenceFound: evidenceFound, evidenceCommitted: committedEvidence, messagesDropped: dropped,
            traceDigest: trace.digest, trace: trace.lines, membership: options.setChanges ? membershipOutcome() : nil)
    }

    /// What the longest honest chain shows of the planned set changes.
    private func membershipOutcome() -> SeedResult.MembershipOutcome {
        let chain = activeSlots.map { nodes[$0].chain }.max { $0.count < $1.count } ?? []
        func signed(_ member: ValidatorIndex, from height: Height) -> Int {
            chain.filter { entry in
                entry.block.header.height >= height && entry.commit.signatures.contains { $0.validator == member }
            }.count
        }
        var outcome = SeedResult.MembershipOutcome(
            changes: plan.summary, joinerSigned: 0, rotatedSigned: 0, removedSigned: 0,
            wrongSetHeaders: chain.filter {
                $0.block.header.validatorsHash != plan.set(at: $0.block.header.height).hash
            }
            .count,
            removedRetired: false)
        for (height, change, _) in plan.changes {
            switch change {
            case .add(let member): outcome.joinerSigned = signed(member, from: height)
            case .rotate(let member): outcome.rotatedSigned = signed(member, from: height)
            case .remove(let member):
                outcome.removedSigned = signed(member, from: height)
                outcome.removedRetired = nodes.contains { $0.validator == member && $0.retired }
            }
        }
        return outcome
    }
}
