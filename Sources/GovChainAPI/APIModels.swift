import Foundation
import GovChainCore

/// JSON bodies of the HTTP API (docs/openapi.yaml). Keys are snake_case; hashes and keys are
/// lower-case hex; times are RFC 3339 UTC strings. These are presentation only: nothing here is
/// hashed or signed (signed bytes are the binary encodings in GovChainCore).

/// `{"error": {"code": …, "message": …}}`, the body of every 4xx/5xx answer.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
    public var error: Detail
    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}

/// Body of `POST /v1/transactions` when sent as JSON (raw bytes as application/octet-stream work too).
public struct SubmitRequest: Codable, Sendable {
    /// The encoded, signed transaction in standard base64.
    public var transaction: String
    public init(transaction: String) { self.transaction = transaction }
}

public struct SubmitResponse: Codable, Sendable, Equatable {
    public var tx_hash: String
    /// `pending` (accepted into the mempool, not yet final) or `committed` (in a block, final).
    public var status: String
    public var height: UInt64?
    public var index: UInt32?
    public init(tx_hash: String, status: String, height: UInt64? = nil, index: UInt32? = nil) {
        self.tx_hash = tx_hash
        self.status = status
        self.height = height
        self.index = index
    }
}

public struct AuthorityRef: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

public struct DocumentResponse: Codable, Sendable, Equatable {
    public struct Anchoring: Codable, Sendable, Equatable {
        public var height: UInt64
        public var time: String
        public var tx_hash: String
        public var clerk: String
    }
    public struct Revocation: Codable, Sendable, Equatable {
        public var reason: String
        public var reason_text: String
        public var effective: String
        public var height: UInt64
        public var tx_hash: String
        public var clerk: String
    }
    public struct Supersession: Codable, Sendable, Equatable {
        public var by: String
        public var effective: String
        public var height: UInt64
        public var tx_hash: String
        public var clerk: String
    }

    public var document: String
    /// `valid`, `revoked`, `superseded`, or `expired` / `not_yet_valid` for documents with a validity window.
    public var status: String
    public var document_type: String
    public var authority: AuthorityRef
    public var reference: String?
    public var valid_from: String?
    public var valid_until: String?
    public var anchored: Anchoring
    public var supersedes: String?
    public var revocation: Revocation?
    public var superseded_by: Supersession?
}

public struct BlockResponse: Codable, Sendable, Equatable {
    public struct TransactionSummary: Codable, Sendable, Equatable {
        public var tx_hash: String
        public var kind: String
        public var signer: String
    }
    public struct CommitSignature: Codable, Sendable, Equatable {
        public var validator: UInt16
        public var name: String
        public var signature: String
    }
    public var height: UInt64
    public var hash: String
    public var time: String
    public var previous_hash: String
    public var tx_root: String
    public var tx_count: UInt32
    public var proposer: String
    public var transactions: [TransactionSummary]
    public var commit_round: UInt32
    public var commit: [CommitSignature]
}

public struct StatusResponse: Codable, Sendable, Equatable {
    public var chain_id: String
    public var genesis_hash: String
    public var node: String
    public var latest_height: UInt64
    public var latest_hash: String?
    public var latest_time: String?
    public var mempool_size: Int
    public var validators: [String]
    /// Where this validator's consensus loop is (absent on a single-validator node).
    public var consensus: ConsensusStatus?

    /// The consensus loop as last seen: for operators asking "why does my node not move?".
    public struct ConsensusStatus: Codable, Sendable, Equatable {
        public var height: UInt64
        public var round: UInt32
        public var step: String
        /// `running`, `idle` (nothing to decide yet) or `held` (decided, waiting for transactions).
        public var pacing: String
        public var events_handled: UInt64
        public var peer_events_queued: Int
        public var timers: Int
        public var jobs: Int
        /// What each inbound verifier is doing.
        public var workers: [String]?
        public init(
            height: UInt64, round: UInt32, step: String, pacing: String, events_handled: UInt64,
            peer_events_queued: Int,
            timers: Int, jobs: Int, workers: [String]? = nil
        ) {
            self.workers = workers
            self.height = height
            self.round = round
            self.step = step
            self.pacing = pacing
            self.events_handled = events_handled
            self.peer_events_queued = peer_events_queued
            self.timers = timers
            self.jobs = jobs
        }
    }

    public init(
        chain_id: String, genesis_hash: String, node: String, latest_height: UInt64, latest_hash: String?,
        latest_time: String?, mempool_size: Int, validators: [String], consensus: ConsensusStatus? = nil
    ) {
        self.chain_id = chain_id
        self.genesis_hash = genesis_hash
        self.node = node
        self.latest_height = latest_height
        self.latest_hash = latest_hash
        self.latest_time = latest_time
        self.mempool_size = mempool_size
        self.validators = validators
        self.consensus = consensus
    }
}

extension Timestamp {
    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-21T09:30:00.123Z`.
    public var rfc3339: String {
        Date(timeIntervalSince1970: Double(rawValue) / 1000)
            .formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    public static func parse(rfc3339 text: String) -> Timestamp? {
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: fractional)),
            date.timeIntervalSince1970 >= 0
        else { return nil }
        return Timestamp(millisecondsSince1970: UInt64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}

public struct ClerkResponse: Codable, Sendable, Equatable {
    public var public_key: String
    public var authority: AuthorityRef
    public var document_types: [String]
    /// `active` or `revoked`.
    public var status: String
    public var registered_height: UInt64
    public var registration_tx: String?
    public var revoked_height: UInt64?
    public var revocation_tx: String?

    public init(record: ClerkRecord, genesis: Genesis) {
        public_key = record.key.hex
        authority = AuthorityRef(
            id: record.authority.value, name: genesis.authority(record.authority)?.name ?? record.authority.value)
        document_types = record.documentTypes.map(\.value)
        status = record.isActive ? "active" : "revoked"
        registered_height = record.registeredHeight.rawValue
        registration_tx = record.registrationTx?.hex
        revoked_height = record.revokedHeight?.rawValue
        revocation_tx = record.revocationTx?.hex
    }
}

/// One entry of the answer to `POST /v1/transactions/batch`.
public struct BatchResult: Codable, Sendable, Equatable {
    public var tx_hash: String
    /// `pending` (admitted) or `refused` (see `error`).
    public var status: String
    public var error: ErrorBody.Detail?

    public init(tx_hash: String, status: String, error: ErrorBody.Detail?) {
        self.tx_hash = tx_hash
        self.status = status
        self.error = error
    }
}

/// `GET /v1/peers`: what each other validator's link did, so an operator sees which
/// municipality misbehaves (counted, not logged line by line).
public struct PeersResponse: Codable, Sendable, Equatable {
    public struct Peer: Codable, Sendable, Equatable {
        public var validator: String
        public var index: UInt16
        public var connected: Bool
        public var frames_in: UInt64
        /// Payloads dropped because this peer's inbound lane was over its byte budget.
        public var inbound_dropped: UInt64
        /// Refused messages and requests by reason, e.g. `invalid_signature`, `sync_timeout`.
        public var refused: [String: UInt64]
        public var refused_total: UInt64
        /// Links this node closed because the peer misbehaved.
        public var disconnects: UInt64
        public var links_established: UInt64
        /// Milliseconds until a banned peer may link again; 0 when not banned.
        public var banned_for_ms: UInt64

        public init(
            validator: String, index: UInt16, connected: Bool, frames_in: UInt64, inbound_dropped: UInt64,
            refused: [String: UInt64],
            disconnects: UInt64, links_established: UInt64, banned_for_ms: UInt64
        ) {
            self.validator = validator
            self.index = index
            self.connected = connected
            self.frames_in = frames_in
            self.inbound_dropped = inbound_dropped
            self.refused = refused
            refused_total = refused.values.reduce(0, +)
            self.disconnects = disconnects
            self.links_established = links_established
            self.banned_for_ms = banned_for_ms
        }
    }

    /// Link-level counters no single validator can be blamed for (anyone can open a TCP connection).
    public struct Transport: Codable, Sendable, Equatable {
        public var handshakes_rejected: UInt64
        public var connections_refused: UInt64
        public var malformed_frames: UInt64
        public var idle_links_closed: UInt64
        public init(
            handshakes_rejected: UInt64, connections_refused: UInt64, malformed_frames: UInt64,
            idle_links_closed: UInt64
        ) {
            self.handshakes_rejected = handshakes_rejected
            self.connections_refused = connections_refused
            self.malformed_frames = malformed_frames
            self.idle_links_closed = idle_links_closed
        }
    }

    public var peers: [Peer]
    public var transport: Transport

    public init(peers: [Peer], transport: Transport) {
        self.peers = peers
        self.transport = transport
    }
}
