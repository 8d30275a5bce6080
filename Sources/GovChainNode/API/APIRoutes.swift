import Foundation
import GovChainAPI
import GovChainCore
import GovChainStorage
import Hummingbird
import NIOCore
import NIOPosix

/// The HTTP/JSON API of a node (docs/openapi.yaml). Thin: parse, call the node or the store,
/// render JSON. Reads go straight to the store (LevelDB is safe for concurrent readers); writes go
/// to the mempool (`MempoolService`).
struct APIRoutes: Sendable {
    let node: Node
    let requestBytesMax: Int
    let commitWaitMsMax: UInt64
    /// Longest a request body may take to arrive (node.json `api_body_timeout_ms`): a client that
    /// drips a body a byte at a time, each byte inside the idle timeout, is answered 408.
    var bodyTimeoutMs: UInt64 = NodeConfig.apiBodyTimeoutMsDefault
    /// The peer links' counters (nil for a single validator, which has no peers).
    var peers: (@Sendable () -> PeersResponse)? = nil
    /// The consensus loop's last state (nil for a single validator).
    var consensus: (@Sendable () -> StatusResponse.ConsensusStatus)? = nil
    /// The genesis file as this node read it, served at `GET /v1/genesis` for verifiers to pin.
    var genesisFile: [UInt8]? = nil
    /// The verify page's files (nil: the node was installed without them; `/` then answers 404).
    var web: WebAssets? = nil
    /// Where QR codes lead (node.json `verify_base_url`); nil: this node's own address.
    var verifyBaseURL: String? = nil
    /// Per-client limit on the write routes (nil: none).
    var rateLimiter: ClientRateLimiter? = nil

    var store: BlockStore { node.store }
    var genesis: Genesis { node.genesis }

    /// Every route, by path pattern (`:name` matches one segment) and method: what `register`
    /// installs, and what a 405 lists in `Allow` (a wrong method answered 404 before).
    static let routeTable: [(pattern: String, method: HTTPRequest.Method)] = [
        ("/v1/transactions", .post), ("/v1/transactions/batch", .post), ("/v1/transactions/:hash", .get),
        ("/v1/documents/:hash", .get), ("/v1/documents/:hash/receipt", .get), ("/v1/documents/:hash/proof", .get),
        ("/v1/clerks/:key/proof", .get), ("/v1/blocks/:height", .get), ("/v1/clerks/:key", .get),
        ("/v1/authorities/:id", .get), ("/v1/authorities/:id/clerks", .get), ("/v1/status", .get),
        ("/v1/genesis", .get), ("/v1/peers", .get),
        ("/v1/documents/:hash/qr", .get), ("/v1/documents/:hash/report", .get),
        ("/", .get), ("/verify", .get), ("/v", .get), ("/web/:file", .get), ("/metrics", .get),
        ("/v1/validators", .get), ("/v1/governance/proposals", .get), ("/v1/governance/proposals/:id", .get),
    ]

    /// The methods `path` is served with (empty: no such path).
    /// The router prefers a literal segment to a parameter (`/v1/transactions/batch` is never
    /// `/v1/transactions/:hash`), so only the most specific matching patterns count.
    static func allowedMethods(_ path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matches = routeTable.compactMap { route -> (parameters: Int, method: HTTPRequest.Method)? in
            let pattern = route.pattern.split(separator: "/")
            guard pattern.count == segments.count,
                zip(pattern, segments).allSatisfy({ $0.hasPrefix(":") || $0 == $1 })
            else { return nil }
            return (pattern.filter { $0.hasPrefix(":") }.count, route.method)
        }
        let fewest = matches.map(\.parameters).min()
        return matches.filter { $0.parameters == fewest }.map(\.method)
    }

    func register(on router: Router<NodeRequestContext>) {
        router.add(middleware: RequestMetricsMiddleware(metrics: node.metrics))
        router.add(middleware: JSONErrorMiddleware())
        router.post("/v1/transactions") { request, context in
            try rateLimiter?.check(1, client: context.clientAddress, nowMs: Node.systemClock().rawValue)
            return try await submit(request)
        }
        router.post("/v1/transactions/batch") { request, context in
            try await submitBatch(request, client: context.clientAddress)
        }
        read("/v1/transactions/:hash", "hash", on: router) { hash, _ in try transaction(hash) }
        read("/v1/documents/:hash", "hash", on: router) { hash, _ in try document(hash) }
        read("/v1/documents/:hash/receipt", "hash", on: router) { hash, _ in try receipt(hash) }
        read("/v1/documents/:hash/proof", "hash", on: router) { hash, height in
            try proof(.document, hash, height: height)
        }
        read("/v1/clerks/:key/proof", "key", on: router) { key, height in try proof(.clerk, key, height: height) }
        read("/v1/blocks/:height", "height", on: router) { height, _ in try block(height) }
        read("/v1/clerks/:key", "key", on: router) { key, _ in try clerk(key) }
        read("/v1/authorities/:id", "id", on: router) { id, _ in try authority(id) }
        read("/v1/authorities/:id/clerks", "id", on: router) { id, _ in try clerks(ofAuthority: id) }
        router.get("/v1/status") { _, _ in await status() }
        router.get("/v1/validators") { request, _ in
            let height = request.uri.queryParameters.get("height")
            return try await NIOThreadPool.singleton.runIfActive { try validators(height: height) }
        }
        router.get("/v1/governance/proposals") { _, _ in
            try await NIOThreadPool.singleton.runIfActive { try proposals() }
        }
        read("/v1/governance/proposals/:id", "id", on: router) { id, _ in try proposal(id) }
        router.get("/metrics") { _, _ in metrics() }
        router.get("/v1/genesis") { _, _ in
            guard let genesisFile else {
                throw APIError(code: .notFound, message: "This node does not serve its genesis file.")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: genesisFile)))
        }
        registerWeb(on: router)
        router.get("/v1/peers") { _, _ in
            JSON.response(
                peers?()
                    ?? PeersResponse(
                        peers: [],
                        transport: .init(
                            handshakes_rejected: 0, connections_refused: 0, malformed_frames: 0, idle_links_closed: 0)))
        }
    }

    /// A GET route that reads the store: `answer` gets the path parameter `name` and the `height`
    /// query, and runs on NIO's thread pool for blocking I/O (LevelDB calls are synchronous and
    /// must not hold Swift's cooperative threads, where consensus runs).
    private func read(
        _ path: String, _ name: String, on router: Router<NodeRequestContext>,
        _ answer: @escaping @Sendable (String, String?) throws -> Response
    ) {
        router.get(RouterPath(path)) { request, context in
            let (value, height) = (context.parameters.get(name) ?? "", request.uri.queryParameters.get("height"))
            return try await NIOThreadPool.singleton.runIfActive { try answer(value, height) }
        }
    }

    // MARK: - Handlers

    /// The request body, at most `limit` bytes (else 413), all of it within `bodyTimeoutMs` of the
    /// handler asking for it (else 408, and the connection closes). A body that stops altogether
    /// is cut by the idle timeout; this bounds one that keeps trickling.
    func collectBody(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        let deadline = ContinuousClock.now + .milliseconds(Int64(clamping: bodyTimeoutMs))
        var body = ByteBuffer()
        for try await chunk in request.body {
            guard ContinuousClock.now <= deadline else {
                var error = APIError(
                    code: .requestTimeout,
                    message: "The request body did not arrive within \(bodyTimeoutMs) ms; send it at once.")
                error.closeConnection = true
                throw error
            }
            guard body.readableBytes + chunk.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
            var chunk = chunk
            body.writeBuffer(&chunk)
        }
        return body
    }

    func submit(_ request: Request) async throws -> Response {
        let body = try await collectBody(request, upTo: requestBytesMax)
        let bytes = try Self.transactionBytes(body: Array(buffer: body), contentType: request.headers[.contentType])
        let transaction = try await node.mempool.submit(bytes)
        let id = transaction.id
        guard request.uri.queryParameters.get("wait") == "commit" else {
            return JSON.response(SubmitResponse(tx_hash: id.hex, status: "pending"), status: .accepted)
        }
        let location = try await node.waiters.wait(for: id, timeoutMs: commitWaitMsMax)
        return JSON.response(
            SubmitResponse(
                tx_hash: id.hex, status: "committed", height: location.height.rawValue, index: location.index))
    }

    /// `POST /v1/transactions/batch`: `application/octet-stream` body of `(u32 length ‖ transaction)*`,
    /// at most `batchTransactionsMax`; answers one result per transaction, in order. For load
    /// generators and bulk issuers; each transaction is admitted exactly as by the single endpoint.
    func submitBatch(_ request: Request, client: String? = nil) async throws -> Response {
        guard Self.mediaType(request.headers[.contentType]) == "application/octet-stream" else {
            throw APIError(
                code: .unsupportedMediaType,
                message: "A batch is sent as application/octet-stream: (u32 length ‖ transaction)*.")
        }
        let body = Array(buffer: try await collectBody(request, upTo: requestBytesMax * 16))
        var reader = ByteReader(body)
        var list: [[UInt8]] = []
        while reader.remaining > 0 {
            guard list.count < Self.batchTransactionsMax,
                let bytes = try? reader.longBytes("batch.transaction", limit: Transaction.encodedBytesMax)
            else {
                throw APIError(
                    code: .invalidRequest,
                    message:
                        "The batch must be at most \(Self.batchTransactionsMax) transactions, each as u32 length then bytes."
                )
            }
            list.append(bytes)
        }
        try rateLimiter?.check(list.count, client: client, nowMs: Node.systemClock().rawValue)
        let results = await node.mempool.submitBatch(list, gossip: true)
        return JSON.response(
            zip(list, results).map { bytes, result in
                switch result {
                case .success(let transaction): BatchResult(tx_hash: transaction.id.hex, status: "pending", error: nil)
                case .failure(let error):
                    BatchResult(
                        tx_hash: Hash32.sha256(bytes).hex, status: "refused",
                        error: ErrorBody.Detail(code: error.code.rawValue, message: error.message))
                }
            }, status: .accepted)
    }

    /// At most this many per batch: each costs a signature check (it was 10 000 per request).
    static let batchTransactionsMax = 1_000

    /// The media type of a Content-Type header, lowercased, without parameters.
    static func mediaType(_ header: String?) -> String? {
        header?.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    static func transactionBytes(body: [UInt8], contentType: String?) throws(APIError) -> [UInt8] {
        switch mediaType(contentType) {
        case "application/octet-stream": return body
        case "application/json": break
        default:
            // Exact types only: a form, text/plain or multipart post needs no CORS preflight, so
            // any web page in a municipal network could otherwise submit cross-site.
            throw APIError(
                code: .unsupportedMediaType,
                message:
                    "Send the transaction as application/json {\"transaction\": \"<base64>\"} or as application/octet-stream, not \(contentType.map { "\"\($0.prefix(80))\"" } ?? "without a Content-Type")."
            )
        }
        guard let request = try? JSONDecoder().decode(SubmitRequest.self, from: Data(body)) else {
            throw APIError(
                code: .invalidRequest,
                message:
                    "The body must be JSON {\"transaction\": \"<base64>\"} or raw bytes sent as application/octet-stream."
            )
        }
        guard let data = Data(base64Encoded: request.transaction) else {
            throw APIError(code: .invalidRequest, message: "The field \"transaction\" is not valid base64.")
        }
        return Array(data)
    }

    func document(_ text: String) throws -> Response {
        let hash = try Self.hash(text)
        guard let record = try store.document(hash) else {
            throw APIError(
                code: .documentUnknown,
                message: "No document with hash \(hash.hex) is anchored on chain \(genesis.chainId).")
        }
        return JSON.response(DocumentResponse(record: record, genesis: genesis, now: Node.systemClock()))
    }

    func transaction(_ text: String) throws -> Response {
        let id = try Self.hash(text)
        guard let (transaction, location) = try store.transaction(id) else {
            throw APIError(code: .transactionUnknown, message: "No committed transaction has hash \(id.hex).")
        }
        return JSON.response(
            SubmitResponse(
                tx_hash: transaction.id.hex, status: "committed", height: location.height.rawValue,
                index: location.index))
    }

    func block(_ text: String) throws -> Response {
        let height = try Self.height(text, latest: store.height)
        guard height.rawValue > 0 else { throw APIError(code: .blockUnknown, message: "The chain has no blocks yet.") }
        guard let block = try store.block(at: height), let commit = try store.commit(at: height) else {
            throw APIError(
                code: .blockUnknown, message: "There is no block \(height) yet; the latest is \(store.height).")
        }
        return JSON.response(
            BlockResponse(
                block: block, commit: commit, genesis: genesis, validators: try store.validatorSet(at: height)))
    }

    func status() async -> Response {
        let head = store.head
        return JSON.response(
            StatusResponse(
                chain_id: genesis.chainId.value, genesis_hash: genesis.hash.hex, node: node.name,
                latest_height: head?.height.rawValue ?? 0, latest_hash: head?.hash.hex, latest_time: head?.time.rfc3339,
                mempool_size: node.mempool.count, validators: node.validators.snapshot.current.validators.map(\.name),
                consensus: consensus?()))
    }

    /// A block height from a path or query: a whole number from 1, or `latest` (then `latest`,
    /// which is 0 before the first block).
    static func height(_ text: String, latest: Height) throws(APIError) -> Height {
        if text == "latest" { return latest }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = UInt64(text), value > 0
        else {
            throw APIError(
                code: .invalidHeight,
                message: "\"\(text.prefix(40))\" is not a block height (a whole number from 1) or \"latest\".")
        }
        return Height(value)
    }

    static func hash(_ text: String) throws(APIError) -> Hash32 {
        do { return try Hash32.parse(text, what: "") } catch { throw APIError(error) }
    }
}

extension APIRoutes {
    /// `GET /v1/clerks/{package-key-hex}`: a clerk's authorisation, active or revoked.
    func clerk(_ text: String) throws -> Response {
        guard let key = PublicKey(hex: text) else {
            throw APIError(
                code: .invalidPublicKey,
                message: "\"\(text.prefix(80))\" is not an Ed25519 public key (64 hex characters).")
        }
        guard let record = try store.clerk(key) else {
            throw APIError(
                code: .clerkUnknown, message: "No clerk with key \(key.hex) is registered on chain \(genesis.chainId).")
        }
        return JSON.response(ClerkResponse(record: record, genesis: genesis))
    }

    /// `GET /v1/authorities/{id}`: the authority as in force, with its salted and four-eyes types.
    func authority(_ text: String) throws -> Response {
        let rules = LedgerRules(genesis: genesis)
        guard let id = Code(text), let record = try rules.authorityRecord(id, in: store) else {
            throw APIError(
                code: .authorityUnknown,
                message: "No authority \"\(text.prefix(40))\" is listed in the genesis or admitted by governance.")
        }
        return JSON.response(AuthorityResponse(record: record, fromLedger: try store.authorityRecord(id) != nil))
    }

    /// `GET /v1/authorities/{id}/clerks`: every clerk an authority registered.
    func clerks(ofAuthority text: String) throws -> Response {
        guard let id = Code(text), try LedgerRules(genesis: genesis).authority(id, in: store) != nil else {
            throw APIError(
                code: .authorityUnknown,
                message: "No authority \"\(text.prefix(40))\" is listed in the genesis or admitted by governance.")
        }
        return JSON.response(try store.clerks(of: id).map { ClerkResponse(record: $0, genesis: genesis) })
    }
}

extension APIRoutes {
    /// `GET /v1/documents/{hash}/receipt`: the offline-verifiable receipt (docs/RECEIPTS.md).
    func receipt(_ text: String) throws -> Response {
        let hash = try Self.hash(text)
        guard let record = try store.document(hash) else {
            throw APIError(
                code: .documentUnknown,
                message: "No document with hash \(hash.hex) is anchored on chain \(genesis.chainId).")
        }
        guard record.supersedes == nil else {
            throw APIError(
                code: .receiptUnavailable,
                message:
                    "Receipts (version 1) cover documents anchored directly; this one was anchored by superseding \(record.supersedes!.hex). Verify it online."
            )
        }
        guard record.cosigner == nil else {
            throw APIError(
                code: .receiptUnavailable,
                message:
                    "Version-1 receipts prove one clerk's authorisation; this document was co-signed (four eyes). Save a status receipt instead (govchain receipt FILE --status)."
            )
        }
        // Version 1 proves the clerk's authorisation from the genesis alone: an authority
        // governance added, or a registration signed with a rotated authority key, needs the
        // state (a status receipt).
        let statusReceipt =
            "Save a status receipt instead (govchain receipt FILE --status), which proves the record the ledger holds."
        guard let authority = genesis.authority(record.authority) else {
            throw APIError(
                code: .receiptUnavailable,
                message:
                    "Version-1 receipts name authorities of the genesis; \(record.authority) was admitted by governance. \(statusReceipt)"
            )
        }
        let anchor = try inclusion(of: record.anchorTx)
        let authorisation: Receipt.ClerkAuthorisation
        if let clerk = try store.clerk(record.clerk), let registration = clerk.registrationTx {
            let inclusion = try inclusion(of: registration)
            guard let bytes = Hex.decode(inclusion.transaction), let signed = try? Transaction(decoding: bytes),
                signed.signer == authority.publicKey
            else {
                throw APIError(
                    code: .receiptUnavailable,
                    message:
                        "Version-1 receipts check a clerk's registration against the genesis key of its authority; this clerk was registered with the key governance gave \(authority.name). \(statusReceipt)"
                )
            }
            authorisation = .init(kind: "registration", registration: inclusion)
        } else {
            authorisation = .init(kind: "genesis", registration: nil)
        }
        // A verifier that holds only the genesis follows the set changes up to the anchor's block
        // (the registration, if any, came before it).
        let receipt = Receipt(
            chain_id: genesis.chainId.value, genesis_hash: genesis.hash.hex, document: hash.hex,
            anchor: anchor, clerk_authorisation: authorisation,
            validator_sets: try store.validatorSetChanges(upTo: record.anchoredHeight))
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: receipt.canonicalJSON)))
    }

    private func inclusion(of id: Hash32) throws -> Receipt.Inclusion {
        guard let location = try store.transactionLocation(id), let block = try store.block(at: location.height),
            let commit = try store.commit(at: location.height), Int(location.index) < block.transactions.count
        else {
            throw GovChainError(
                code: .storeCorrupt, message: "The ledger indexes transaction \(id.hex) but its block is missing.")
        }
        return Receipt.Inclusion(block: block, index: Int(location.index), commit: commit)
    }
}

extension APIRoutes {
    /// `GET /v1/documents/{hash}/proof[?height=H]` and `GET /v1/clerks/{key}/proof[?height=H]`:
    /// the record or its absence as of block H (default: the latest), with the state path, the
    /// header and the commit that signed it (`StateProof`; docs/RECEIPTS.md, version 2).
    func proof(_ kind: StateProof.Kind, _ text: String, height heightText: String?) throws -> Response {
        let answer = try stateProof(kind, text, height: heightText)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.canonicalJSON)))
    }

    /// The state proof of a document or clerk at `height` (default: the latest block).
    func stateProof(_ kind: StateProof.Kind, _ text: String, height heightText: String?) throws -> StateProof {
        let subject: [UInt8]
        let key: Hash32
        switch kind {
        case .document:
            let hash = try Self.hash(text)
            (subject, key) = (hash.bytes, LedgerStateTree.key(document: hash))
        case .clerk:
            guard let clerk = PublicKey(hex: text) else {
                throw APIError(
                    code: .invalidPublicKey,
                    message: "\"\(text.prefix(80))\" is not an Ed25519 public key (64 hex characters).")
            }
            (subject, key) = (clerk.bytes, LedgerStateTree.key(clerk: clerk))
        }
        let latest = store.height
        let height = try Self.height(heightText ?? "latest", latest: latest)
        // A pruned height throws `height_unavailable` from `stateProof` (the store owns retention).
        guard height.rawValue > 0, height <= latest, let header = try store.header(at: height),
            let commit = try store.commit(at: height)
        else {
            throw APIError(
                code: .heightUnavailable,
                message: latest.rawValue == 0
                    ? "The chain has no blocks yet, so there is no signed state to prove."
                    : "There is no block \(height) yet; the latest is \(latest).")
        }
        let found = try store.stateProof(key, root: header.stateRoot, height: height)
        var proof = StateProof(
            kind: kind, chainId: genesis.chainId, genesisHash: genesis.hash, subject: subject, header: header,
            commit: commit, proof: found.proof, record: found.record)
        proof.validator_sets = try store.validatorSetChanges(upTo: height)
        return proof
    }
}
