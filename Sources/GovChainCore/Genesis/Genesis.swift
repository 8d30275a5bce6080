import Foundation

/// A validated genesis: the identity of a chain and everything every node must agree on before
/// block 1: validators, authorities, initial clerks, consensus parameters.
///
/// Invariants: chain id and codes are well-formed, keys are valid Ed25519 keys, validator keys and
/// authority ids are unique, every initial clerk belongs to a listed authority and only names
/// document types that authority issues.
package struct Genesis: Sendable, Equatable {
    package struct Authority: Hashable, Sendable {
        package var id: Code
        package var name: String
        package var publicKey: PublicKey
        package var documentTypes: Set<Code>
        /// Types whose anchors commit to `SHA-256(salt ‖ document hash)` by default (a subset of
        /// `documentTypes`; docs/PRIVACY.md).
        package var saltedDocumentTypes: Set<Code> = []
    }

    package struct InitialClerk: Hashable, Sendable {
        package var authority: Code
        package var publicKey: PublicKey
        package var documentTypes: [Code]
    }

    package struct ConsensusParameters: Hashable, Sendable {
        package var blockTxsMax: Int = 5_000
        package var blockBytesMax: Int = 4 * 1024 * 1024
        package var timeoutProposeMs: UInt64 = 1_000
        package var timeoutPrevoteMs: UInt64 = 500
        package var timeoutPrecommitMs: UInt64 = 500
        /// Added to every timeout per round, so a slow network eventually fits (paper §3).
        package var timeoutDeltaMs: UInt64 = 250
        /// 0 means: no empty blocks; blocks are only made when transactions wait.
        /// An idle network still signs a block this often, so verifiers can tell a fresh proof
        /// from a withheld one (`govchain verify --max-age`; docs/RECEIPTS.md, "Freshness").
        package var emptyBlockIntervalMs: UInt64 = 60_000
        /// How far a block time may lie ahead of a validator's own clock: a proposal dated later
        /// than `local clock + clockDriftMsMax` gets a nil prevote (docs/CONSENSUS.md, "Block time").
        package var clockDriftMsMax: UInt64 = 10_000
        /// A transaction applies only in a block whose time is within this many milliseconds of
        /// the transaction's own `time`, before or after: signed transactions expire.
        package var txTimeWindowMs: UInt64 = 86_400_000
        package init() {}

        /// The largest `max_block_bytes` a genesis may set: a proposal carrying a full block must
        /// still fit in one peer frame (8 MiB), with room for the proposal, commit and evidence.
        package static let blockBytesLimit = (8 << 20) - (64 << 10)
    }

    package let chainId: ChainID
    package let genesisTime: Timestamp
    package let consensus: ConsensusParameters
    package let validators: ValidatorSet
    package let authorities: [Authority]
    package let initialClerks: [InitialClerk]
    /// SHA-256 of the canonical binary encoding of all of the above: the chain's fingerprint.
    package let hash: Hash32

    package func authority(_ id: Code) -> Authority? { authorities.first { $0.id == id } }

    package func authority(key: PublicKey) -> Authority? { authorities.first { $0.publicKey == key } }

    /// Parses and validates genesis JSON; errors name the offending field.
    package init(json data: Data, source: String = "genesis") throws(GovChainError) {
        let file: GenesisFile
        do {
            file = try JSONDecoder().decode(GenesisFile.self, from: data)
        } catch {
            throw GovChainError(
                code: .genesisInvalid, message: "\(source) is not a valid genesis JSON file.",
                cause: Self.describe(error))
        }
        try Self.refuseUnknownFields(data, source: source)
        try self.init(validating: file)
    }

    /// The fields a genesis file may have, by where they are. Anything else is refused: a trust
    /// anchor must not carry a field some readers ignore and others might one day obey.
    static let fields: [(path: String, keys: Set<String>)] = [
        ("", ["chain_id", "genesis_time", "consensus", "validators", "authorities", "initial_clerks"]),
        (
            "consensus",
            [
                "max_block_txs", "max_block_bytes", "timeout_propose_ms", "timeout_prevote_ms", "timeout_precommit_ms",
                "timeout_delta_ms", "empty_block_interval_ms", "max_clock_drift_ms", "tx_time_window_ms",
            ]
        ),
        ("validators", ["name", "public_key", "peer_address", "power"]),
        ("authorities", ["id", "name", "public_key", "document_types", "salted_document_types"]),
        ("initial_clerks", ["authority", "public_key", "document_types"]),
    ]

    static func refuseUnknownFields(_ data: Data, source: String) throws(GovChainError) {
        guard let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        for (path, keys) in fields {
            let objects: [(String, [String: Any])]
            if path.isEmpty {
                objects = [("", top)]
            } else if let object = top[path] as? [String: Any] {
                objects = [(path + ".", object)]
            } else if let list = top[path] as? [Any] {
                objects = list.enumerated().compactMap { i, entry in
                    (entry as? [String: Any]).map { ("\(path)[\(i)].", $0) }
                }
            } else {
                objects = []
            }
            for (prefix, object) in objects {
                if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
                    throw GovChainError(
                        code: .genesisInvalid,
                        message:
                            "\(source): unknown field \"\(prefix)\(unknown.prefix(64))\" (a genesis may hold only the fields in Genesis/README.md)."
                    )
                }
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case Swift.DecodingError.typeMismatch(_, let context), Swift.DecodingError.valueNotFound(_, let context),
            Swift.DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty
                ? context.debugDescription
                : "\(path.dropFirst(path.hasPrefix(".") ? 1 : 0)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
