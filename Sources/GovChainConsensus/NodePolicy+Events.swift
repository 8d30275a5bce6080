import GovChainCore

extension NodePolicy {
    // MARK: - Pacing

    /// The shell starts. A node that was in the middle of a height (`resuming`: others may be
    /// waiting for its votes), or that has transactions or an empty-block interval, starts at
    /// once; otherwise it waits for a reason to open a height.
    package mutating func onStart(resuming: Bool, transactionsWaiting: Bool, nowMs: UInt64) -> [Action] {
        self.transactionsWaiting = transactionsWaiting
        lastProgressMs = nowMs
        if resuming || transactionsWaiting || configuration.emptyBlockIntervalMs > 0 {
            pacing = .running
            return [.startConsensus]
        }
        pacing = .idle(sinceMs: nowMs)
        return []
    }

    /// Whether transactions wait in the mempool changed; waiting ones release the next height.
    package mutating func onTransactionsWaiting(_ waiting: Bool, nowMs: UInt64) -> [Action] {
        transactionsWaiting = waiting
        return waiting ? release(nowMs: nowMs) : []
    }

    /// The instance decided `block`, and the shell stored it. The next height opens at once if
    /// transactions wait; otherwise `.committed` is held back.
    package mutating func onDecided(_ block: Block, _ commit: Commit, nowMs: UInt64) -> [Action] {
        noteStored(block.header.height, nowMs: nowMs)
        pacing = .held(block, commit, sinceMs: nowMs)
        let actions = transactionsWaiting ? release(nowMs: nowMs) : []
        // A synced block waiting for the height consensus just stored goes on now; without this
        // it would wait forever, its copies taken for duplicates (found by the simulator with
        // set changes: a joining node that syncs and follows consensus at once).
        return actions + applyNext()
    }

    /// A consensus message whose signature the shell verified, from validator `signer`. Peers
    /// open a height for an idle node only with a reason: signers holding more than a third of
    /// the power (one of them honest), or a proposal carrying transactions from the proposer of
    /// its round. A byzantine validator can therefore wake idle nodes only in rounds it owns, and
    /// only with a block that must still pass validation.
    package mutating func onVerifiedConsensus(
        signer: ValidatorIndex, height: Height, round: Round, proposalWithTransactions: Bool,
        nowMs: UInt64
    ) -> [Action] {
        guard !isRunning, height == waitingHeight else { return [] }
        let fromProposer =
            proposalWithTransactions && configuration.schedule.proposer(height: height, round: round) == signer
        if wakeHeight != height {
            wakeHeight = height
            wakeSigners = []
        }
        wakeSigners.insert(signer)
        let power = wakeSigners.reduce(UInt64(0)) { $0 + (configuration.validators[$1]?.power ?? 0) }
        guard fromProposer || power >= configuration.validators.totalPower / 3 + 1 else { return [] }
        return release(nowMs: nowMs)
    }

    /// The height a held or idle instance would open next.
    var waitingHeight: Height {
        if case .held(let block, _, _) = pacing { return block.header.height.next }
        return storedHeight.next
    }

    mutating func release(nowMs: UInt64) -> [Action] {
        switch pacing {
        case .running:
            return []
        case .idle:
            pacing = .running
            lastProgressMs = nowMs
            return [.startConsensus]
        case .held(let block, let commit, _):
            pacing = .running
            lastProgressMs = nowMs
            return [.feedCommitted(block, commit)]
        }
    }

    mutating func noteStored(_ height: Height, nowMs: UInt64) {
        guard height > storedHeight else { return }
        storedHeight = height
        lastProgressMs = nowMs
        wakeSigners = []
        for stale in buffer.keys where stale <= height {
            bufferBytes -= buffer[stale]!.bytes
            buffer[stale] = nil
        }
    }

    // MARK: - Timer

    /// The periodic tick (every `statusIntervalMs`): status, re-gossip, empty blocks, sync.
    package mutating func onTick(nowMs: UInt64) -> [Action] {
        var actions: [Action] = [.broadcastStatus(storedHeight)]
        lastStatusMs = nowMs
        switch pacing {
        case .running:
            if nowMs >= lastProgressMs + configuration.regossipAfterMs,
                nowMs >= lastRegossipMs + configuration.regossipAfterMs
            {
                lastRegossipMs = nowMs
                actions.append(.regossip)
            }
        case .idle(let since), .held(_, _, let since):
            if configuration.emptyBlockIntervalMs > 0, nowMs >= since + configuration.emptyBlockIntervalMs {
                actions += release(nowMs: nowMs)
            }
        }
        actions += expireRequest(nowMs: nowMs)
        actions += requestIfBehind(nowMs: nowMs)
        checkInvariants()
        return actions
    }

    // MARK: - Status and requests from peers

    /// A peer says it has stored blocks up to `height`. Remembered as a hint, for `statusTtlMs`.
    package mutating func onStatus(_ height: Height, from peer: ValidatorIndex, nowMs: UInt64) -> [Action] {
        guard peer != configuration.selfIndex, configuration.validators[peer] != nil else { return [] }
        peers[peer, default: PeerState()].claimed = height
        peers[peer]!.claimedAtMs = nowMs
        return requestIfBehind(nowMs: nowMs)
    }

    /// A peer asks for blocks `from…`. Served when this node has them and is not already
    /// serving that peer; the shell caps `count` further by what the peer's queue can take.
    package mutating func onBlockRequest(from: Height, count: UInt16, peer: ValidatorIndex) -> [Action] {
        guard peer != configuration.selfIndex, configuration.validators[peer] != nil else { return [] }
        guard from.rawValue >= 1, from <= storedHeight else {
            return [.refuse(peer, .requestBeyondHead, disconnect: false)]
        }
        guard !(peers[peer]?.serving ?? false) else { return [.refuse(peer, .requestWhileServing, disconnect: false)] }
        let available = storedHeight.rawValue - from.rawValue + 1
        let served = UInt16(min(UInt64(min(count, configuration.blocksPerRequestMax)), available))
        guard served > 0 else { return [] }
        peers[peer, default: PeerState()].serving = true
        return [.serveBlocks(from: from, count: served, peer: peer)]
    }

    /// The shell finished serving `peer`.
    package mutating func onServed(peer: ValidatorIndex) {
        peers[peer]?.serving = false
    }
}
