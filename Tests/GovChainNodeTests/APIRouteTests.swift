import Foundation
import GovChainAPI
import GovChainCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GovChainNode

/// The HTTP routes through Hummingbird's in-process test client, on a real single-validator node
/// with a LevelDB store (no sockets).
@Suite("API routes")
struct APIRouteTests {
    func withApp(_ body: @escaping @Sendable (any TestClientProtocol, Node) async throws -> Void) async throws {
        let chain = try TestChain()
        defer { chain.remove() }
        let node = try chain.node()
        let router = Router()
        var routes = APIRoutes(node: node, requestBytesMax: 64 << 10, commitWaitMsMax: 2_000)
        routes.genesisFile = Array("{}".utf8)
        routes.register(on: router)
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(client, node) }
    }

    func json<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
    }

    @Test("status names the chain and has no consensus part on a single validator")
    func status() async throws {
        try await withApp { client, node in
            let response = try await client.execute(uri: "/v1/status", method: .get)
            #expect(response.status == .ok)
            let status = try json(StatusResponse.self, response)
            #expect(status.chain_id == "node-test" && status.latest_height == 0 && status.consensus == nil)
            #expect(status.genesis_hash == node.genesis.hash.hex)
        }
    }

    @Test("transactions only as application/json or application/octet-stream: forms, text and look-alikes get 415")
    func exactContentTypes() async throws {
        try await withApp { client, _ in
            let bytes = TestChain.anchor("media").encoded
            for type in [
                "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/octet-stream-evil", "",
            ] {
                let response = try await client.execute(
                    uri: "/v1/transactions", method: .post, headers: type.isEmpty ? [:] : [.contentType: type],
                    body: ByteBuffer(bytes: bytes))
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(try json(ErrorBody.self, response).error.code == "unsupported_media_type", "\(type)")
            }
            let batch = try await client.execute(
                uri: "/v1/transactions/batch", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: bytes))
            #expect(batch.status == .unsupportedMediaType)
            // Parameters and case do not matter.
            let accepted = try await client.execute(
                uri: "/v1/transactions", method: .post,
                headers: [.contentType: "Application/Octet-Stream; charset=binary"], body: ByteBuffer(bytes: bytes))
            #expect(accepted.status == .accepted)
        }
    }

    @Test("a wrong method on a known path is 405 with Allow; every route in the table is registered")
    func methodNotAllowed() async throws {
        try await withApp { client, _ in
            let get = try await client.execute(uri: "/v1/transactions", method: .get)
            #expect(get.status == .methodNotAllowed)
            #expect(get.headers[.allow] == "POST")
            #expect(try json(ErrorBody.self, get).error.code == "method_not_allowed")
            let delete = try await client.execute(uri: "/v1/status", method: .delete)
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "GET")
            let nowhere = try await client.execute(uri: "/v1/nowhere", method: .get)
            #expect(nowhere.status == .notFound && nowhere.headers[.allow] == nil)
            for (pattern, method) in APIRoutes.routeTable {
                let path = pattern.split(separator: "/").map {
                    $0.hasPrefix(":") ? String(repeating: "ab", count: 32) : String($0)
                }
                let response = try await client.execute(
                    uri: "/" + path.joined(separator: "/"), method: method,
                    headers: [.contentType: "application/octet-stream"])
                let code = (try? json(ErrorBody.self, response))?.error.code
                #expect(code != "not_found" && code != "method_not_allowed", "\(method) \(pattern): \(response.status)")
            }
        }
    }

    @Test("a valid transaction is accepted; garbage and forged ones are refused with their codes")
    func submit() async throws {
        try await withApp { client, _ in
            let good = TestChain.anchor("api")
            let body = try JSONEncoder().encode(SubmitRequest(transaction: Data(good.encoded).base64EncodedString()))
            let accepted = try await client.execute(
                uri: "/v1/transactions", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: body))
            #expect(accepted.status == .accepted)
            #expect(try json(SubmitResponse.self, accepted).tx_hash == good.id.hex)
            let garbage = try await client.execute(
                uri: "/v1/transactions", method: .post, headers: [.contentType: "application/octet-stream"],
                body: ByteBuffer(bytes: [1, 2, 3]))
            #expect(garbage.status == .badRequest || garbage.status == .unprocessableContent)
            #expect(try json(ErrorBody.self, garbage).error.code == "malformed_transaction")
            let stale = TestChain.anchor("stale", time: Timestamp(rawValue: TestChain.now.rawValue - 3 * 86_400_000))
            let refused = try await client.execute(
                uri: "/v1/transactions", method: .post, headers: [.contentType: "application/octet-stream"],
                body: ByteBuffer(bytes: stale.encoded))
            #expect(try json(ErrorBody.self, refused).error.code == "transaction_time_outside_window")
        }
    }

    @Test("unknown things are 404 with a code; malformed paths are 400")
    func lookups() async throws {
        try await withApp { client, _ in
            let unknown = try await client.execute(uri: "/v1/documents/" + Hash32.sha256([9]).hex, method: .get)
            let unknownCode = try json(ErrorBody.self, unknown).error.code
            #expect(unknown.status == .notFound && unknownCode == "document_unknown")
            #expect(try await client.execute(uri: "/v1/documents/not-a-hash", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/v1/blocks/latest", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/v1/blocks/-1", method: .get).status == .badRequest)
            let peers = try await client.execute(uri: "/v1/peers", method: .get)
            let listed = try json(PeersResponse.self, peers).peers
            #expect(peers.status == .ok && listed.isEmpty)
        }
    }
}
