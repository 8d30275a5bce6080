import GovChainCore

extension NodePolicy {
    // MARK: - Block sync

    /// A block with its commit from `peer`. Buffered only when it answers this node's open request
    /// to that peer, is above the stored height and fits the buffer; applied in height order.
    package mutating func onSyncedBlock(
        _ block: Block, _ commit: Commit, bytes: Int, from peer: ValidatorIndex, nowMs: UInt64
    ) -> [Action] {
        let height = block.header.height
        guard height > storedHeight else { return [] }  // late: consensus or another peer was faster
        guard var open = request, open.peer == peer, height >= open.from, height <= open.through else {
            return [.refuse(peer, .unsolicitedBlock, disconnect: false)]
        }
        open.activeAtMs = nowMs
        open.delivered += 1
        request = open
        guard buffer[height] == nil, applying?.height != height else { return [] }  // a duplicate
        // No room: lower heights are needed first, so they push out the highest ones; a block
        // above everything buffered is dropped (it is asked for again once the buffer drains).
        while bufferBytes + bytes > configuration.syncBufferBytesMax {
            guard let highest = buffer.keys.max(), highest > height else { return [] }
            bufferBytes -= buffer.removeValue(forKey: highest)!.bytes
        }
        buffer[height] = Synced(block: block, commit: commit, bytes: bytes, peer: peer)
        bufferBytes += bytes
        let actions = applyNext()
        checkInvariants()
        return actions
    }

    /// The shell verified and stored the synced block at `height` (`ok`), or refused it.
    package mutating func onSyncedApplied(height: Height, ok: Bool, nowMs: UInt64) -> [Action] {
        guard let current = applying, current.height == height else { return [] }
        applying = nil
        var actions: [Action] = []
        if ok {
            noteStored(height, nowMs: nowMs)
            peers[current.peer]?.penaltyMs = 0
            // Bring the instance up: from a held decision it moves on and runs; idle, it stays idle.
            if case .held = pacing { pacing = .running }
            actions.append(.feedCommitted(current.block, current.commit))
            if let open = request, storedHeight >= open.through { request = nil }
        } else {
            actions.append(.refuse(current.peer, .invalidSyncedBlock, disconnect: true))
            pause(current.peer, nowMs: nowMs)
            dropRequest()
        }
        actions += applyNext()
        actions += requestIfBehind(nowMs: nowMs)
        checkInvariants()
        return actions
    }

    mutating func applyNext() -> [Action] {
        guard applying == nil, let next = buffer.removeValue(forKey: storedHeight.next) else { return [] }
        bufferBytes -= next.bytes
        applying = next
        return [.applySynced(next.block, next.commit, from: next.peer)]
    }

    /// Asks one peer that claims more blocks: the least recently asked fresh claimant that is
    /// not paused. One request is open at a time.
    mutating func requestIfBehind(nowMs: UInt64) -> [Action] {
        guard request == nil, applying == nil else { return [] }
        let candidates = peers.filter { _, state in
            state.claimed > storedHeight && nowMs <= state.claimedAtMs + configuration.statusTtlMs
                && nowMs >= state.pausedUntilMs
        }
        guard
            let (peer, state) = candidates.min(by: { ($0.value.lastAskedMs, $0.key) < ($1.value.lastAskedMs, $1.key) })
        else { return [] }
        let wanted = state.claimed.rawValue - storedHeight.rawValue
        let count = UInt16(min(wanted, UInt64(configuration.blocksPerRequestMax)))
        let from = storedHeight.next
        request = Request(
            peer: peer, from: from, through: Height(storedHeight.rawValue + UInt64(count)), activeAtMs: nowMs)
        peers[peer]!.lastAskedMs = nowMs
        return [.requestBlocks(from: from, count: count, peer: peer)]
    }

    /// A request that delivered nothing for `syncTimeoutMs` ends; a peer that delivered nothing
    /// at all is paused (and counted), so the next tick asks another claimant.
    mutating func expireRequest(nowMs: UInt64) -> [Action] {
        guard let open = request, nowMs >= open.activeAtMs + configuration.syncTimeoutMs else { return [] }
        request = nil
        guard open.delivered == 0 else { return [] }
        pause(open.peer, nowMs: nowMs)
        return [.refuse(open.peer, .syncTimeout, disconnect: false)]
    }

    mutating func pause(_ peer: ValidatorIndex, nowMs: UInt64) {
        var state = peers[peer, default: PeerState()]
        state.penaltyMs =
            state.penaltyMs == 0
            ? configuration.syncPenaltyBaseMs : min(state.penaltyMs * 2, configuration.syncPenaltyMsMax)
        state.pausedUntilMs = nowMs + state.penaltyMs
        peers[peer] = state
    }

    mutating func dropRequest() {
        request = nil
        buffer = [:]
        bufferBytes = 0
    }

    // MARK: - Invariants

    func checkInvariants() {
        if let applying {
            precondition(
                applying.height <= storedHeight.next,
                "applying synced block \(applying.height) above next height \(storedHeight.next)")
        }
        precondition(
            buffer.keys.allSatisfy { $0 > storedHeight }, "sync buffer holds a stored height (stored \(storedHeight))")
        precondition(
            bufferBytes == buffer.values.reduce(0) { $0 + $1.bytes } && bufferBytes <= configuration.syncBufferBytesMax,
            "sync buffer accounts \(bufferBytes) bytes")
    }
}
