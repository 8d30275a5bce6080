import Foundation
import GovChainCore

/// JSON bodies of the HTTP API (docs/openapi.yaml). Keys are snake_case; hashes and keys are
/// lower-case hex; times are RFC 3339 UTC strings. These are presentation only: nothing here is
/// hashed or signed (signed bytes are the binary encodings in GovChainCore).

/// `{"error": {"code": …, "message": …}}`, the body of every 4xx/5xx answer.
package struct ErrorBody: Codable, Sendable, Equatable {
    package struct Detail: Codable, Sendable, Equatable {
        package var code: String
        package var message: String
        package init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
    package var error: Detail
    package init(code: String, message: String) { error = Detail(code: code, message: message) }
}

/// Body of `POST /v1/transactions` when sent as JSON (raw bytes as application/octet-stream work too).
package struct SubmitRequest: Codable, Sendable {
    /// The encoded, signed transaction in standard base64.
    package var transaction: String
    package init(transaction: String) { self.transaction = transaction }
}

package struct SubmitResponse: Codable, Sendable, Equatable {
    package var tx_hash: String
    /// `pending` (accepted into the mempool, not yet final) or `committed` (in a block, final).
    package var status: String
    package var height: UInt64?
    package var index: UInt32?
    package init(tx_hash: String, status: String, height: UInt64? = nil, index: UInt32? = nil) {
        self.tx_hash = tx_hash
        self.status = status
        self.height = height
        self.index = index
    }
}

package struct AuthorityRef: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

package struct DocumentResponse: Codable, Sendable, Equatable {
    package struct Anchoring: Codable, Sendable, Equatable {
        package var height: UInt64
        package var time: String
        package var tx_hash: String
        package var clerk: String
        /// The second clerk who co-signed (four eyes), if any.
        package var cosigner: String?
    }
    package struct Revocation: Codable, Sendable, Equatable {
        package var reason: String
        package var reason_text: String
        package var effective: String
        package var height: UInt64
        package var tx_hash: String
        package var clerk: String
        package var cosigner: String?
    }
    package struct Supersession: Codable, Sendable, Equatable {
        package var by: String
        package var effective: String
        package var height: UInt64
        package var tx_hash: String
        package var clerk: String
        package var cosigner: String?
    }

    package var document: String
    /// `valid`, `revoked`, `superseded`, or `expired` / `not_yet_valid` for documents with a validity window.
    package var status: String
    package var document_type: String
    package var authority: AuthorityRef
    package var reference: String?
    package var valid_from: String?
    package var valid_until: String?
    package var anchored: Anchoring
    package var supersedes: String?
    package var revocation: Revocation?
    package var superseded_by: Supersession?
}

package struct BlockResponse: Codable, Sendable, Equatable {
    package struct TransactionSummary: Codable, Sendable, Equatable {
        package var tx_hash: String
        package var kind: String
        package var signer: String
        /// The document hashes the transaction anchors, revokes or supersedes (none for clerks).
        package var documents: [String]?
    }
    package struct CommitSignature: Codable, Sendable, Equatable {
        package var validator: UInt16
        package var name: String
        package var signature: String
    }
    package var height: UInt64
    package var hash: String
    package var time: String
    package var previous_hash: String
    package var tx_root: String
    package var tx_count: UInt32
    package var proposer: String
    package var transactions: [TransactionSummary]
    package var commit_round: UInt32
    package var commit: [CommitSignature]
    /// The set that signed this block, and the one that signs the next (docs/GOVERNANCE.md).
    package var validators_hash: String?
    package var next_validators_hash: String?
}

package struct StatusResponse: Codable, Sendable, Equatable {
    package var chain_id: String
    package var genesis_hash: String
    package var node: String
    package var latest_height: UInt64
    package var latest_hash: String?
    package var latest_time: String?
    package var mempool_size: Int
    package var validators: [String]
    /// Where this validator's consensus loop is (absent on a single-validator node).
    package var consensus: ConsensusStatus?

    /// The consensus loop as last seen: for operators asking "why does my node not move?".
    package struct ConsensusStatus: Codable, Sendable, Equatable {
        package var height: UInt64
        package var round: UInt32
        package var step: String
        /// `running`, `idle` (nothing to decide yet) or `held` (decided, waiting for transactions).
        package var pacing: String
        package var events_handled: UInt64
        package var peer_events_queued: Int
        package var timers: Int
        package var jobs: Int
        /// What each inbound verifier is doing.
        package var workers: [String]?
        package init(
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

    package init(
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
    package var rfc3339: String {
        Date(timeIntervalSince1970: Double(rawValue) / 1000)
            .formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// `GET /v1/authorities/{id}`: an authority as in force (its genesis entry, or as governance and
/// its own four-eyes rule last changed it).
package struct AuthorityResponse: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var public_key: String
    package var document_types: [String]
    /// Types anchored salted by default (docs/PRIVACY.md).
    package var salted_document_types: [String]
    /// Types whose anchor, revoke and supersede need a second clerk's signature.
    package var four_eyes_document_types: [String]
    /// `genesis` while the genesis entry is in force, else `ledger`.
    package var source: String

    package init(record: AuthorityRecord, fromLedger: Bool) {
        id = record.id.value
        name = record.name
        public_key = record.publicKey.hex
        document_types = record.documentTypes.map(\.value)
        salted_document_types = record.saltedDocumentTypes.map(\.value)
        four_eyes_document_types = record.fourEyesDocumentTypes.map(\.value)
        source = fromLedger ? "ledger" : "genesis"
    }
}

package struct ClerkResponse: Codable, Sendable, Equatable {
    package var public_key: String
    package var authority: AuthorityRef
    package var document_types: [String]
    /// `active` or `revoked`.
    package var status: String
    package var registered_height: UInt64
    package var registration_tx: String?
    package var revoked_height: UInt64?
    package var revocation_tx: String?

    package init(record: ClerkRecord, genesis: Genesis) {
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
package struct BatchResult: Codable, Sendable, Equatable {
    package var tx_hash: String
    /// `pending` (admitted) or `refused` (see `error`).
    package var status: String
    package var error: ErrorBody.Detail?

    package init(tx_hash: String, status: String, error: ErrorBody.Detail?) {
        self.tx_hash = tx_hash
        self.status = status
        self.error = error
    }
}

/// `GET /v1/peers`: what each other validator's link did, so an operator sees which
/// municipality misbehaves (counted, not logged line by line).
package struct PeersResponse: Codable, Sendable, Equatable {
    package struct Peer: Codable, Sendable, Equatable {
        package var validator: String
        package var index: UInt16
        package var connected: Bool
        package var frames_in: UInt64
        /// Payloads dropped because this peer's inbound lane was over its byte budget.
        package var inbound_dropped: UInt64
        /// Refused messages and requests by reason, e.g. `invalid_signature`, `sync_timeout`.
        package var refused: [String: UInt64]
        package var refused_total: UInt64
        /// Links this node closed because the peer misbehaved.
        package var disconnects: UInt64
        package var links_established: UInt64
        /// Milliseconds until a banned peer may link again; 0 when not banned.
        package var banned_for_ms: UInt64

        package init(
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
    package struct Transport: Codable, Sendable, Equatable {
        package var handshakes_rejected: UInt64
        package var connections_refused: UInt64
        package var malformed_frames: UInt64
        package var idle_links_closed: UInt64
        package init(
            handshakes_rejected: UInt64, connections_refused: UInt64, malformed_frames: UInt64,
            idle_links_closed: UInt64
        ) {
            self.handshakes_rejected = handshakes_rejected
            self.connections_refused = connections_refused
            self.malformed_frames = malformed_frames
            self.idle_links_closed = idle_links_closed
        }
    }

    package var peers: [Peer]
    package var transport: Transport

    package init(peers: [Peer], transport: Transport) {
        self.peers = peers
        self.transport = transport
    }
}
