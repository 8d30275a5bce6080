import GovChainCore
import NIOCore

// MARK: - Misbehaving peers: counters, disconnects, bans

extension PeerNetwork {
    /// Counts a refused message or request from `peer` under `reason` (e.g. a stale block
    /// request); the link stays up.
    package func countRefused(_ peer: ValidatorIndex, reason: String) {
        state.withLock { state in
            guard Int(peer.rawValue) < state.peers.count, state.peers[Int(peer.rawValue)] != nil else { return }
            state.peers[Int(peer.rawValue)]!.counters.refused[reason, default: 0] += 1
        }
    }

    /// `peer` sent provably invalid data (a bad signature, an undecodable message, a block that
    /// does not verify): count it, drop what it still has queued inbound, close its link and
    /// refuse it for `misbehaviourBanBaseMs`, doubling per offence. Logged once a minute per peer.
    package func disconnect(_ peer: ValidatorIndex, reason: String) {
        let (channel, banMs): ((any Channel)?, UInt64) = state.withLock { state in
            let index = Int(peer.rawValue)
            guard index < state.peers.count, var slot = state.peers[index] else { return (nil, 0) }
            slot.counters.refused[reason, default: 0] += 1
            // Messages already on their way when the link closed are counted, but one offence
            // bans once: the ban doubles per link, not per message.
            if let until = slot.bannedUntil, until > .now {
                state.peers[index] = slot
                return (nil, 0)
            }
            slot.counters.disconnects += 1
            slot.banMs =
                slot.banMs == 0
                ? configuration.misbehaviourBanBaseMs : min(slot.banMs * 2, configuration.misbehaviourBanMsMax)
            slot.bannedUntil = .now + .milliseconds(slot.banMs)
            let channel = slot.channel
            state.peers[index] = slot
            return (channel, slot.banMs)
        }
        inbound.removeAll(from: peer)
        guard banMs > 0 else { return }
        if let suppressed = logLimiter.allow("disconnect-\(peer)") {
            logger.warning(
                "disconnecting misbehaving peer",
                metadata: [
                    "peer.index": "\(peer)", "peer.reason": "\(reason)", "peer.ban_ms": "\(banMs)",
                    "log.suppressed": "\(suppressed)",
                ])
        }
        channel?.close(promise: nil)
    }

    /// How long `peer` is still banned, if it is.
    func banRemaining(_ peer: ValidatorIndex) -> Duration? {
        state.withLock { state in
            guard let until = state.peers[Int(peer.rawValue)]?.bannedUntil else { return nil }
            let remaining = until - .now
            return remaining > .zero ? remaining : nil
        }
    }

    /// Every peer's counters, by validator index (our own index is absent).
    package func peerCounters() -> [ValidatorIndex: PeerCounters] {
        state.withLock { state in
            var result: [ValidatorIndex: PeerCounters] = [:]
            for (index, slot) in state.peers.enumerated() {
                guard var counters = slot?.counters else { continue }
                if let until = slot?.bannedUntil, until > .now {
                    let remaining = (until - .now).components
                    counters.bannedForMs =
                        UInt64(remaining.seconds) * 1_000 + UInt64(remaining.attoseconds / 1_000_000_000_000_000)
                }
                result[ValidatorIndex(UInt16(index))] = counters
            }
            return result
        }
    }
}

// MARK: - Reading on or off

extension PeerNetwork {
    /// Stops (or resumes) reading from every link, now and for links made later: what a peer that
    /// does not read looks like to the others. For tests of slow readers, and for an operator who
    /// must shed inbound load at once.
    package func setReading(_ enabled: Bool) {
        let channels: [any Channel] = state.withLock { state in
            state.readingPaused = !enabled
            return state.peers.compactMap { $0?.channel }
        }
        for channel in channels { Self.setAutoRead(enabled, on: channel) }
    }

    static func setAutoRead(_ enabled: Bool, on channel: any Channel) {
        channel.eventLoop.execute {
            channel.setOption(ChannelOptions.autoRead, value: enabled).whenSuccess { if enabled { channel.read() } }
        }
    }
}
