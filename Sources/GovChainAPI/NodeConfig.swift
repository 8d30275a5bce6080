import Foundation
import GovChainCore

/// `HOME/config/node.json`: what one node needs beyond the genesis. Paths are relative to HOME.
/// Every limit is named with its unit. Written by `govchain testnet init`; docs/OPERATIONS.md.
package struct NodeConfig: Codable, Sendable, Equatable {
    package var name: String
    /// `host:port` the HTTP API listens on.
    package var api_address: String
    package var genesis: String = "config/genesis.json"
    package var validator_key: String = "config/validator.key"
    package var data_dir: String = "data"
    package var request_bytes_max: Int? = 1 << 20
    package var mempool_tx_count_max: Int? = 50_000
    package var mempool_bytes_max: Int? = 32 << 20
    /// Client transactions are refused (503 `node_busy`, `Retry-After`) once one admitted now
    /// would be expected to wait longer than this for its block, by the measured commit rate, or
    /// once the queue stalled that long (docs/OPERATIONS.md, "Overload"). Default 1000.
    package var admission_wait_ms_max: UInt64?
    /// HTTP connections open at once; more are closed as they arrive. Lowered at start to what the
    /// descriptor limit leaves after the ledger and the peers (docs/OPERATIONS.md). Default 1000.
    package var api_connections_max: Int?
    /// An HTTP connection with no request and no response for this long is closed. Default 30000.
    package var api_idle_timeout_ms: UInt64?
    /// A request body must arrive within this long of the handler asking for it (a body that
    /// trickles in, each byte inside the idle timeout, is answered 408). Default 10000.
    package var api_body_timeout_ms: UInt64?
    package static let apiBodyTimeoutMsDefault: UInt64 = 10_000
    /// Longest a `?wait=commit` request waits before answering 504.
    package var commit_wait_ms_max: UInt64? = 30_000
    /// Heights of state kept provable behind the head (`?height=H` proofs); nil or 0: all.
    package var state_retention_heights: UInt64?
    /// `host:port` the peer listener binds (default: this validator's genesis peer_address).
    package var peer_listen_address: String?
    /// Overrides of other validators' genesis peer addresses, by validator name.
    package var peer_addresses: [String: String]?
    /// Transactions per second one client address may submit through the API (batches count
    /// each transaction); past it, 429 `rate_limited` with `Retry-After`. 0: no limit. Default 200.
    package var api_client_tx_per_second: Int?
    /// How many a client may submit at once before the rate applies (at least its largest batch).
    /// Default twice the rate, at least 1000 (the largest batch).
    package var api_client_tx_burst: Int?
    /// Client addresses never limited (a local load generator, the municipality's own gateway).
    /// Default: loopback. A reverse proxy on the same host makes every client loopback: then
    /// rate-limit at the proxy, or take loopback out of this list.
    package var api_rate_limit_exempt: [String]?
    package static let apiClientTxPerSecondDefault = 200
    package static let apiRateLimitExemptDefault = ["127.0.0.1", "::1"]
    /// Where QR codes from `GET /v1/documents/{hash}/qr` lead, e.g. `https://verify.soest.de`
    /// (the municipality's public verify host). Default: the address the request was sent to.
    package var verify_base_url: String?

    package init(name: String, api_address: String) {
        self.name = name
        self.api_address = api_address
    }

    /// Parses and checks node.json bytes read from `path` (the shell reads the file:
    /// `NodeConfig.load(home:)` in GovChainFiles).
    package init(json data: Data, path: String) throws(GovChainError) {
        let config: NodeConfig
        do {
            config = try JSONDecoder().decode(NodeConfig.self, from: data)
        } catch {
            throw GovChainError(
                code: .configInvalid, message: "\(path) is not a valid node configuration.", underlying: error)
        }
        guard Self.hostPort(config.api_address) != nil else {
            throw GovChainError(
                code: .configInvalid, message: "\(path): api_address must be host:port, e.g. 127.0.0.1:8080.")
        }
        if let rate = config.api_client_tx_per_second, rate < 0 || rate > 1_000_000 {
            throw GovChainError(
                code: .configInvalid, message: "\(path): api_client_tx_per_second must be 0 to 1000000.")
        }
        if let burst = config.api_client_tx_burst, burst < 1 || burst > 10_000_000 {
            throw GovChainError(code: .configInvalid, message: "\(path): api_client_tx_burst must be 1 to 10000000.")
        }
        if let base = config.verify_base_url {
            guard base.count <= 200, base.hasPrefix("https://") || base.hasPrefix("http://"),
                URL(string: base)?.host != nil, !base.contains("#"), !base.contains("?")
            else {
                throw GovChainError(
                    code: .configInvalid,
                    message:
                        "\(path): verify_base_url must be an http(s) URL without ? or #, e.g. https://verify.soest.de.")
            }
        }
        self = config
    }

    /// Pretty, key-sorted JSON, as `write(home:)` stores it.
    package var jsonData: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings and integers always encode.
        return (try? encoder.encode(self)) ?? Data()
    }

    package static func hostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port), colon != text.startIndex
        else { return nil }
        return (String(text[..<colon]), port)
    }
}
