import Foundation
import GovChainAPI
import GovChainCore
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered as `{"error": {"code", "message"}}` with a fitting status.
/// Domain errors (`GovChainError`) are mapped to HTTP here and only here.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    init(_ error: GovChainError) {
        self.init(Self.status(for: error.code), code: error.code, message: error.message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSON.response(ErrorBody(code: code, message: message), status: status)
    }

    /// Which HTTP status a domain refusal gets.
    static func status(for code: String) -> HTTPResponse.Status {
        switch code {
        case "malformed_transaction", "malformed_encoding", "invalid_hash", "invalid_height", "invalid_request": .badRequest
        case "document_unknown", "block_unknown", "transaction_unknown", "not_found": .notFound
        case "transaction_pending", "transaction_already_applied", "document_already_anchored",
             "document_already_revoked", "document_already_superseded", "clerk_already_registered", "clerk_already_revoked": .conflict
        case "mempool_full": .serviceUnavailable
        case "commit_timeout": .gatewayTimeout
        case "storage_error", "store_corrupt": .internalServerError
        default: .unprocessableContent
        }
    }
}

enum JSON {
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error a route throws into the JSON error shape, so a client never has to parse
/// an empty or HTML body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as GovChainError {
            return try APIError(error).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return JSON.response(ErrorBody(code: "request_too_large", message: "The request body is larger than this node accepts."), status: .contentTooLarge)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : "http_\(error.status.code)"
            return JSON.response(ErrorBody(code: code, message: error.body ?? error.status.reasonPhrase), status: error.status)
        } catch {
            return JSON.response(ErrorBody(code: "internal_error", message: "The node could not handle this request."), status: .internalServerError)
        }
    }
}
