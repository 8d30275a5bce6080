import Foundation
import GovChainConsensus
import GovChainCore
import GovChainFiles
import GovChainNetwork
import Logging
import NIOPosix
import Synchronization

/// A byzantine validator inside the test process: it holds a real validator key of the genesis
/// and speaks the real peer protocol (TLS 1.3 bound to the key, hellos, `NodeMessage` frames),
/// but every message it sends is hand-made by the test. It listens to what the honest nodes say
/// to learn the current height, round and chain tip.
final class HostilePeer: Sendable {
    let genesis: Genesis
    let key: SigningKey
    let index: ValidatorIndex
    let network: PeerNetwork
    private let group: MultiThreadedEventLoopGroup
    private let runTask: Task<Void, any Error>
    private let listener: Task<Void, Never>
    private let box = SeenBox()

    final class SeenBox: Sendable {
        let state = Mutex(Seen())
    }

    struct Seen: Sendable {
        var height: Height = 0
        var round: Round = 0
        /// Stored blocks the honest nodes sent when asked, by height.
        var blocks: [Height: (Block, Commit)] = [:]
        var statuses: [ValidatorIndex: Height] = [:]
        var messages = 0
    }

    /// `home` is a testnet home (`govchain testnet init`) whose validator key the attacker takes.
    init(home: String) throws {
        genesis = try Genesis.load(contentsOf: home + "/config/genesis.json")
        key = try SigningKey(pem: String(contentsOfFile: home + "/config/validator.key", encoding: .utf8))
        guard let index = genesis.validators.index(of: key.publicKey), let me = genesis.validators[index],
            let colon = me.peerAddress.lastIndex(of: ":"),
            let port = Int(me.peerAddress[me.peerAddress.index(after: colon)...])
        else {
            throw TestFailure("the hostile key is not a genesis validator")
        }
        self.index = index
        var configuration = PeerNetworkConfiguration(
            chainId: genesis.chainId, genesisHash: genesis.hash, validators: genesis.validators,
            selfIndex: index, key: key, listenHost: "127.0.0.1", listenPort: port,
            reconnectBaseDelayMs: 50, reconnectDelayMsMax: 500)
        configuration.readIdleTimeoutMs = 0
        // Its own event loop: the attacker's floods must not starve the test's HTTP client.
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let network = try PeerNetwork(
            configuration: configuration, logger: Logger(label: "hostile") { _ in SwiftLogNoOpLogHandler() },
            eventLoopGroup: group)
        self.network = network
        runTask = Task { try await network.run() }
        let box = self.box
        listener = Task {
            for await message in network.inbound {
                guard let decoded = try? NodeMessage(decoding: message.payload) else { continue }
                box.state.withLock { seen in
                    seen.messages += 1
                    switch decoded {
                    case .consensus(let consensus):
                        if consensus.height > seen.height {
                            seen.height = consensus.height
                            seen.round = 0
                        }
                        if consensus.height == seen.height { seen.round = max(seen.round, consensus.round) }
                    case .status(let height):
                        seen.statuses[message.from] = height
                    case .block(let block, let commit):
                        if seen.blocks.count < 10_000 { seen.blocks[block.header.height] = (block, commit) }
                    case .transactions, .blockRequest:
                        break
                    }
                }
            }
        }
    }

    var current: (height: Height, round: Round) { box.state.withLock { ($0.height, $0.round) } }
    var messagesSeen: Int { box.state.withLock { $0.messages } }
    func block(at height: Height) -> (Block, Commit)? { box.state.withLock { $0.blocks[height] } }
    var highestStatus: Height { box.state.withLock { $0.statuses.values.max() ?? 0 } }

    func broadcast(_ message: NodeMessage) { network.broadcast(message.encoded) }
    func send(_ message: NodeMessage, to peer: ValidatorIndex) { network.send(message.encoded, to: peer) }

    /// Signs `block` as a proposal for (height, round) with the hostile key.
    func propose(_ block: Block, round: Round) {
        let proposal = Proposal.sign(
            height: block.header.height, round: round, validRound: nil, block: block, proposer: index,
            chainId: genesis.chainId, key: key)
        broadcast(.consensus(.proposal(proposal)))
    }

    /// Asks an honest peer for the tip and waits (bounded) until it arrived.
    func fetchTip(from peer: ValidatorIndex = 0) async -> (Block, Commit)? {
        let height = highestStatus
        guard height.rawValue > 0 else { return nil }
        send(.blockRequest(from: height, count: 1), to: peer)
        for _ in 0..<50 {
            if let tip = block(at: height) { return tip }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func stop() async {
        runTask.cancel()
        _ = await runTask.result
        listener.cancel()
        await listener.value
        try? await group.shutdownGracefully()
    }
}

/// Resident memory of a process, from /proc (Linux), in MiB.
func residentMiB(_ pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    else { return -1 }
    return kb / 1024
}
