import Foundation
import GovChainAPI
import GovChainCore
import NIOHTTP1

/// Typed calls to a node's HTTP API. A 4xx/5xx answer becomes a `GovChainError` carrying the
/// node's own code and message.
struct NodeClient {
    let baseURL: String

    init(_ url: String) {
        baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    func status() async throws(GovChainError) -> StatusResponse { try await get("/v1/status") }

    /// Nil when the node does not know the document (404 document_unknown).
    func document(_ hash: Hash32) async throws(GovChainError) -> DocumentResponse? {
        do {
            return try await get("/v1/documents/\(hash.hex)")
        } catch  where error.code == "document_unknown" {
            return nil
        }
    }

    /// The canonical receipt bytes of a document, checked to parse.
    func receipt(_ hash: Hash32) async throws(GovChainError) -> Receipt {
        try Receipt(json: try await getBytes("/v1/documents/\(hash.hex)/receipt"))
    }

    /// The node's state proof for a document (or clerk) at `height` (nil: latest); not yet verified.
    func proof(
        _ kind: StateProof.Kind, _ subject: String, height: UInt64? = nil
    ) async throws(GovChainError)
        -> StateProof
    {
        let path = kind == .document ? "/v1/documents/\(subject)/proof" : "/v1/clerks/\(subject)/proof"
        return try StateProof(
            json: try await getBytes(path + (height.map { "?height=\($0)" } ?? "")), canonical: false)
    }

    /// The genesis file the node runs (for pinning on first use).
    func genesisFile() async throws(GovChainError) -> Data { try await getBytes("/v1/genesis") }

    func block(_ height: String) async throws(GovChainError) -> BlockResponse { try await get("/v1/blocks/\(height)") }

    func clerk(_ key: PublicKey) async throws(GovChainError) -> ClerkResponse { try await get("/v1/clerks/\(key.hex)") }

    func authority(_ id: Code) async throws(GovChainError) -> AuthorityResponse {
        try await get("/v1/authorities/\(id.value)")
    }

    func clerks(of authority: String) async throws(GovChainError) -> [ClerkResponse] {
        try await get("/v1/authorities/\(authority)/clerks")
    }

    /// Submits `transaction` (by default waiting for its commit). A node at capacity answers 503 with `Retry-After`; the transaction
    /// was not taken, so it is sent again after the time named (at least 1 s, doubling each time,
    /// at most 30 s), up to `attempts` tries in all, each wait reported to `onRetry` (the error,
    /// the seconds, the attempt that failed).
    func submit(
        _ transaction: Transaction, waitForCommit: Bool = true, attempts: Int = 1,
        onRetry: (GovChainError, Int, Int) -> Void = { _, _, _ in }
    ) async throws(GovChainError) -> SubmitResponse {
        let body = try encodeJSON(SubmitRequest(transaction: Data(transaction.encoded).base64EncodedString()))
        let path = waitForCommit ? "/v1/transactions?wait=commit" : "/v1/transactions"
        var attempt = 1
        while true {
            let reply = try await HTTPClient.request(.POST, baseURL + path, body: body, contentType: "application/json")
            guard reply.status == 503, attempt < attempts else { return try decode(reply) }
            let seconds = min(30, max(reply.retryAfterSeconds ?? 1, 1 << min(attempt - 1, 5)))
            onRetry(Self.refusal(reply), seconds, attempt)
            try? await Task.sleep(for: .seconds(seconds))
            attempt += 1
        }
    }

    /// The body of a successful GET, as bytes (for answers checked byte by byte); a 4xx/5xx
    /// answer throws the node's error.
    func getBytes(_ path: String) async throws(GovChainError) -> Data {
        let reply = try await HTTPClient.request(.GET, baseURL + path)
        guard (200..<300).contains(reply.status) else { throw Self.refusal(reply) }
        return Data(reply.body)
    }

    func get<T: Decodable>(_ path: String) async throws(GovChainError) -> T {
        try decode(try await HTTPClient.request(.GET, baseURL + path))
    }

    /// The node's error for a 4xx/5xx answer: its code and message, or the bare status.
    private static func refusal(_ reply: HTTPClient.Reply) -> GovChainError {
        guard let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(reply.body)) else {
            return GovChainError(code: .nodeError, message: "The node answered HTTP \(reply.status).")
        }
        return GovChainError(code: .fromServer(error.error.code), message: error.error.message)
    }

    private func decode<T: Decodable>(_ reply: HTTPClient.Reply) throws(GovChainError) -> T {
        guard (200..<300).contains(reply.status) else { throw Self.refusal(reply) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(reply.body))
        } catch {
            throw GovChainError(
                code: .nodeBadAnswer,
                message: "The node's answer is not what this CLI expects (is it a GovChain node of the same version?).",
                underlying: error
            )
        }
    }

    private func encodeJSON<T: Encodable>(_ value: T) throws(GovChainError) -> [UInt8] {
        do { return Array(try JSONEncoder().encode(value)) } catch {
            throw GovChainError(code: .internalError, message: "Cannot encode the request.", underlying: error)
        }
    }
}
