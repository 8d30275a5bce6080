import GovChainCore
import Logging
import NIOCore

// MARK: - Called by PeerConnectionHandler (on the link's event loop)

extension PeerNetwork {
    /// A link finished its handshake: it becomes the link to `peer`, and an older one is closed —
    /// unless both sides dialled at once: two live links in opposite directions, where both
    /// validators keep the one the lower index dialled (so they never each close the other's).
    func linkEstablished(peer: ValidatorIndex, channel: any Channel, outbound: Bool, logger: Logger) {
        let index = Int(peer.rawValue)
        var paused = false
        var duplicate = false
        let previous: (any Channel)?? = state.withLock { state in
            paused = state.readingPaused
            // The hello named a member by its key; the members may have changed since.
            guard index < state.peers.count, state.peers[index] != nil, state.members.keys[peer] != nil,
                state.members.selfIndex != peer
            else { return .none }
            let byLower = outbound == (state.members.selfIndex.map { $0 < peer } ?? false)
            state.pendingHandshakes.remove(ObjectIdentifier(channel))
            if let until = state.peers[index]!.bannedUntil, until > .now { return .none }
            let previous = state.peers[index]!.channel
            if let previous, previous.isActive, state.peers[index]!.channelDialledByLower, !byLower {
                duplicate = true
                return .none
            }
            state.peers[index]!.channel = channel
            state.peers[index]!.channelDialledByLower = byLower
            state.peers[index]!.drainScheduled = true
            state.peers[index]!.linksEstablished += 1
            state.peers[index]!.counters.linksEstablished += 1
            state.stats.linksEstablished += 1
            return .some(previous)
        }
        guard let previous else {
            // Banned for misbehaving (the peer may come back when the ban ends), or the second of
            // two links built at once (the other one stays).
            if duplicate { logger.debug("closing the second link to peer; the one the lower index dialled stays") }
            channel.close(promise: nil)
            return
        }
        if let previous {
            logger.info("replacing older link to peer")
            previous.close(promise: nil)
        }
        logger.info("peer connected")
        if paused { Self.setAutoRead(false, on: channel) }
        drain(peer: peer, channel: channel)
    }

    /// The link `channel` to `peer` closed; forget it unless a newer link already replaced it.
    func linkClosed(peer: ValidatorIndex, channel: any Channel, logger: Logger) {
        let wasCurrent = state.withLock { state in
            let index = Int(peer.rawValue)
            guard let current = state.peers[index]?.channel, current === channel else { return false }
            state.peers[index]!.channel = nil
            state.peers[index]!.drainScheduled = false
            return true
        }
        if wasCurrent { logger.info("peer disconnected") }
    }

    /// A payload from an established link, on `channel`'s event loop. When the peer's inbound
    /// lane fills, reading from its socket pauses until the consumer drained it: a flooding peer
    /// then costs TCP window, not CPU or memory here.
    func received(_ message: PeerMessage, channel: any Channel) {
        let result = inbound.push(message.payload, from: message.from) {
            channel.eventLoop.execute {
                channel.setOption(ChannelOptions.autoRead, value: true).whenSuccess { channel.read() }
            }
        }
        if result == .acceptedPause {
            channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
        let accepted = result != .refused
        state.withLock { state in
            state.stats.framesIn += 1
            state.peers[Int(message.from.rawValue)]?.counters.framesIn += 1
            if !accepted {
                state.stats.inboundDropped += 1
                state.peers[Int(message.from.rawValue)]?.counters.inboundDropped += 1
            }
        }
    }

    func count(_ reason: PeerConnectionStateMachine.CloseReason, peer: ValidatorIndex?) {
        state.withLock { state in
            switch reason {
            case .handshakeRejected: state.stats.handshakesRejected += 1
            case .malformedFrame:
                state.stats.malformedFrames += 1
                if let peer { state.peers[Int(peer.rawValue)]?.counters.refused["malformed_frame", default: 0] += 1 }
            case .idle:
                state.stats.idleLinksClosed += 1
            }
        }
    }

    /// Moves queued frames for `peer` onto `channel` while it is writable. Runs on its event loop;
    /// yields the loop after a bounded number of frames so one busy peer cannot starve the others.
    func drain(peer: ValidatorIndex, channel: any Channel) {
        channel.eventLoop.preconditionInEventLoop()
        let index = Int(peer.rawValue)
        let batchFramesMax = 64
        let batchesPerTurnMax = 16
        for _ in 0..<batchesPerTurnMax {
            let batch: [[UInt8]]? = state.withLock { state in
                guard state.peers[index]?.channel === channel else { return nil }
                guard channel.isWritable else {
                    // channelWritabilityChanged calls drain again once the socket catches up.
                    state.peers[index]!.drainScheduled = false
                    return nil
                }
                var batch: [[UInt8]] = []
                while batch.count < batchFramesMax, let frame = state.peers[index]!.queue.popFirst() {
                    batch.append(frame)
                }
                if batch.isEmpty { state.peers[index]!.drainScheduled = false }
                state.stats.framesOut += UInt64(batch.count)
                return batch
            }
            guard let batch, !batch.isEmpty else { return }
            for payload in batch {
                channel.write(PeerFrame.encodedPayload(payload, allocator: channel.allocator), promise: nil)
            }
            channel.flush()
        }
        channel.eventLoop.execute { self.drain(peer: peer, channel: channel) }
    }
}
