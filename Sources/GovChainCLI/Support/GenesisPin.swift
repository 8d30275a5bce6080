import Foundation
import GovChainCore

/// The genesis a verifier trusts: given with `--genesis FILE`, or pinned on first use.
///
/// Pinning (trust on first use, as ssh does with host keys): the first time `govchain verify`
/// meets a chain without `--genesis`, it fetches the node's genesis file, checks that the node's
/// status names that genesis hash, stores the file as `<config>/genesis/<chain id>.json` and says
/// so, printing the hash to compare with the one the municipalities publish. From then on the
/// pinned file is used, and a node that serves another genesis for that chain is refused. Once
/// any chain is pinned, a node naming a chain that is not pinned is refused too (else a liar
/// could dodge the pin by inventing a chain id) unless `--pin-new-chain` says it is wanted.
/// `<config>` is `$GOVCHAIN_CONFIG_DIR`, else `$XDG_CONFIG_HOME/govchain`, else `~/.config/govchain`.
struct GenesisPin {
    enum Source: Equatable {
        case file(String)
        case pinned(String)
        case pinnedNow(String)
    }

    let genesis: Genesis
    let source: Source

    static var configDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["GOVCHAIN_CONFIG_DIR"], !dir.isEmpty { return dir }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/govchain" }
        return NSHomeDirectory() + "/.config/govchain"
    }

    static func path(chainId: String) -> String { configDirectory + "/genesis/\(chainId).json" }

    /// The genesis from `file`, else the pin for the chain the node at `url` serves (made now if
    /// there is none). `chainId` and `genesisHash` are what the node's status claims.
    static func resolve(
        file: String?, chainId: String, genesisHash: String, allowNewChain: Bool,
        fetch: () async throws(GovChainError) -> Data
    ) async throws(GovChainError) -> GenesisPin {
        if let file {
            return GenesisPin(
                genesis: try Genesis(json: try Files.read(file, what: "genesis file"), source: file),
                source: .file(file))
        }
        guard ChainID(chainId) != nil else {
            throw GovChainError(code: .nodeBadAnswer, message: "The node names an invalid chain id.")
        }
        let path = path(chainId: chainId)
        if FileManager.default.fileExists(atPath: path) {
            return GenesisPin(
                genesis: try Genesis(json: try Files.read(path, what: "pinned genesis"), source: path),
                source: .pinned(path))
        }
        let others = ((try? FileManager.default.contentsOfDirectory(atPath: configDirectory + "/genesis")) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        guard others.isEmpty || allowNewChain else {
            throw GovChainError(
                code: .genesisPinMismatch,
                message:
                    "the node names chain \"\(chainId)\", which is not pinned (pinned: \(others.joined(separator: ", "))); to trust a new chain pass --genesis FILE, or --pin-new-chain to pin it from this node"
            )
        }
        let data = try await fetch()
        let genesis = try Genesis(json: data, source: "the node's genesis")
        guard genesis.chainId.value == chainId, genesis.hash.hex == genesisHash else {
            throw GovChainError(
                code: .genesisPinMismatch,
                message: "The node's genesis file does not match the genesis hash its status names; nothing was pinned."
            )
        }
        do {
            try FileManager.default.createDirectory(
                atPath: configDirectory + "/genesis", withIntermediateDirectories: true)
        } catch {
            throw GovChainError(
                code: .fileWriteFailed, message: "Cannot create \(configDirectory)/genesis to pin the genesis.")
        }
        try Files.create(path, String(decoding: data, as: UTF8.self), mode: 0o644)
        return GenesisPin(genesis: genesis, source: .pinnedNow(path))
    }

    var pinnedNow: Bool { if case .pinnedNow = source { true } else { false } }

    var description: String {
        switch source {
        case .file(let path): "\(genesis.hash.hex) (from \(path))"
        case .pinned(let path): "\(genesis.hash.hex) (pinned in \(path))"
        case .pinnedNow(let path):
            "\(genesis.hash.hex) (PINNED NOW on first use in \(path); compare this hash with the one your municipality publishes)"
        }
    }
}
