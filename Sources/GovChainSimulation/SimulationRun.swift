import GovChainConsensus
import GovChainCore

/// One seed's world: nodes, network, clock, faults and the checker. Single-threaded and
/// deterministic: every choice comes from `random`, every event from `queue` in (time, order).
final class SimulationRun {
    static let chainId = ChainID("govchain-sim")!
    static let genesisTimeMs: UInt64 = 1_700_000_000_000
    static let timeouts = TimeoutParameters(proposeMs: 400, prevoteMs: 200, precommitMs: 200, deltaMs: 100)
    /// A node that has not committed for this long re-sends its own messages and asks for blocks.
    static let gossipIntervalMs: UInt64 = 300
    /// After the last fault, every honest node must commit within this much virtual time.
    static let livenessBoundMs: UInt64 = 30_000
    static let maxEvents = 2_000_000

    let seed: UInt64
    let options: SimulationOptions
    let profile: FaultProfile
    let behavior: ByzantineBehavior
    let configuration: ConsensusConfiguration
    let cache = VerificationCache()
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
        let validatorSet = ValidatorSet((0..<options.validators).map { index in
            Validator(name: "v\(index)", publicKey: SimulationKeys.key(index).publicKey, peerAddress: "sim:\(index)", power: 10)
        })
        var configuration = ConsensusConfiguration(chainId: Self.chainId, validators: validatorSet, timeouts: Self.timeouts)
        configuration.verifier = cache.verifier
        self.configuration = configuration
        checker = InvariantChecker(configuration: configuration, cache: cache)
        let drawn = ByzantineBehavior.allCases[Int(random.below(UInt64(ByzantineBehavior.allCases.count)))]
        behavior = options.behavior ?? drawn
        trace.enabled = options.recordTrace
        buildNodes()
        scheduleFaults()
    }

    var honestSlots: [Int] { nodes.indices.filter { !nodes[$0].isByzantine } }

    // MARK: - Setup

    private func buildNodes() {
        var order = Array(0..<options.validators)
        random.shuffle(&order)
        let byzantine = Set(order.prefix(options.byzantine))
        for index in 0..<options.validators {
            let isByzantine = byzantine.contains(index)
            let twins = isByzantine && behavior == .twins ? [1, 2] : [0]
            for twin in twins {
                nodes.append(SimNode(slot: nodes.count, validator: ValidatorIndex(UInt16(index)), key: SimulationKeys.key(index),
                                     isByzantine: isByzantine, twin: twin))
            }
        }
        var honest = honestSlots
        random.shuffle(&honest)
        for (position, slot) in honest.enumerated() {
            nodes[slot].group = position < (honest.count + 1) / 2 ? 1 : 2
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
            if events >= Self.maxEvents {
                violation = Violation(kind: .liveness, height: lowestHeight, atMs: now, details: "event budget of \(Self.maxEvents) exhausted")
            }
        }
        if violation == nil && !finished {
            violation = Violation(kind: .liveness, height: lowestHeight, atMs: now, details: "no events left before every honest node reached its target height")
        }
        return result()
    }

    func handle(_ event: SimulationEvent) {
        switch event {
        case .deliver(let to, let from, let wire): deliver(wire, to: to, from: from)
        case .timeout(let slot, let incarnation, let timeout):
            guard nodes[slot].incarnation == incarnation else { return }
            feed(slot, .timeout(timeout))
        case .gossip(let slot, let incarnation): gossip(slot, incarnation: incarnation)
        case .crash(let slot, let atNextPersist):
            if atNextPersist { nodes[slot].crashAtNextPersist = true } else { crash(slot) }
        case .restart(let slot):
            nodes[slot].crashAtNextPersist = false
            if !nodes[slot].isUp { boot(slot) }
        case .partitionStart(let id, let side): partitions[id] = side
        case .partitionHeal(let id): partitions[id] = nil
        }
    }

    // MARK: - Liveness and the end of a run

    private var lowestHeight: Height {
        Height(UInt64(honestSlots.map { nodes[$0].chain.count }.min() ?? 0))
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
        for slot in honestSlots where nodes[slot].chain.count < requiredHeight[slot]! {
            let since = max(faultEndMs, nodes[slot].lastProgressMs)
            if now > since + Self.livenessBoundMs {
                violation = Violation(kind: .liveness, height: nodes[slot].nextHeight, atMs: now,
                                      details: "honest node \(slot) committed nothing for \(now - since) ms after the faults ended (round \(nodes[slot].instance?.round.description ?? "down"))")
                return
            }
        }
    }

    private var finished: Bool {
        guard now >= faultEndMs, !requiredHeight.isEmpty else { return false }
        return honestSlots.allSatisfy { nodes[$0].chain.count >= requiredHeight[$0]! }
    }

    private func result() -> SeedResult {
        let honest = honestSlots
        let committedEvidence = Set(honest.flatMap { nodes[$0].chain.flatMap(\.block.evidence) }).count
        let dropped = honest.compactMap { nodes[$0].instance?.stats.dropped }.reduce(malformedAtEdge, +)
        return SeedResult(
            seed: seed, heightsDecided: Int(lowestHeight.rawValue), messagesDelivered: delivered, virtualTimeMs: now,
            violation: violation, behavior: behavior, events: events,
            maxRound: honest.map { nodes[$0].maxRound }.max() ?? 0,
            evidenceFound: evidenceFound, evidenceCommitted: committedEvidence, messagesDropped: dropped,
            traceDigest: trace.digest, trace: trace.lines)
    }
}
