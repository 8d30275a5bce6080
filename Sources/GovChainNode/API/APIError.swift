import Foundation
import GovChainAPI
import GovChainCore
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered as `{"error": {"code", "message"}}` with a fitting status.
/// Domain errors (`GovChainError`) are mapped to HTTP here and only here.
struct APIError: HTTPResponseError {
    let code: GovChainError.Code
    let message: String
    /// Sent as `Retry-After` (a 503 under load says when to come back).
    var retryAfterSeconds: Int?
    /// Answered with `Connection: close` (a client that sent its body too slowly).
    var closeConnection = false

    /// The status belongs to the code (`GovChainError.Code.httpStatus`), documented beside it.
    var status: HTTPResponse.Status { HTTPResponse.Status(code: code.httpStatus) }

    init(code: GovChainError.Code, message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: GovChainError) {
        self.init(code: error.code, message: error.message)
        retryAfterSeconds = error.retryAfterSeconds
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSON.response(ErrorBody(code: code.rawValue, message: message), status: status)
        if let retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        if closeConnection { response.headers[.connection] = "close" }
        return response
    }
}

enum JSON {
    /// `value` as the body, sorted keys and unescaped slashes; the routes read most write their
    /// bytes directly (`JSONBytesEncodable`, the same bytes).
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let body: ByteBuffer
        if let direct = value as? any JSONBytesEncodable {
            body = ByteBuffer(bytes: direct.jsonBytes)
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            body = ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data("{}".utf8))
        }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}

/// Turns every error a route throws into the JSON error shape, so a client never has to parse
/// an empty or HTML body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// 405 with `Allow` when the router found no route but the path is served with other methods.
    static func methodNotAllowed(_ request: Request) -> Response? {
        let allowed = APIRoutes.allowedMethods(request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method) else { return nil }
        let allow = Set(allowed.map(\.rawValue)).sorted().joined(separator: ", ")
        var response = JSON.response(
            ErrorBody(
                code: GovChainError.Code.methodNotAllowed.rawValue,
                message: "\(request.uri.path) answers \(allow), not \(request.method.rawValue)."),
            status: .methodNotAllowed)
        response.headers[.allow] = allow
        return response
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as GovChainError {
            return try APIError(error).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return JSON.response(
                ErrorBody(
                    code: GovChainError.Code.requestTooLarge.rawValue,
                    message: "The request body is larger than this node accepts."),
                status: .contentTooLarge)
        } catch let error as HTTPError {
            if error.status == .notFound, let wrongMethod = Self.methodNotAllowed(request) { return wrongMethod }
            let code = error.status == .notFound ? GovChainError.Code.notFound.rawValue : "http_\(error.status.code)"
            return JSON.response(
                ErrorBody(code: code, message: error.body ?? error.status.reasonPhrase), status: error.status)
        } catch {
            return JSON.response(
                ErrorBody(
                    code: GovChainError.Code.internalError.rawValue, message: "The node could not handle this request."),
                status: .internalServerError)
        }
    }
}
