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
        let router = Router(context: NodeRequestContext.self)
        var routes = APIRoutes(node: node, requestBytesMax: 64 << 10, commitWaitMsMax: 2_000)
        routes.genesisFile = Array("{}".utf8)
        routes.web = WebAssets.load(environment: ["GOVCHAIN_WEB_DIR": Self.webDirectory])
        routes.register(on: router)
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(client, node) }
    }

    static let webDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/GovChainNode/Resources/web").path

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
            // A literal segment wins over a parameter, as in the router: batch is POST only.
            let batch = try await client.execute(uri: "/v1/transactions/batch", method: .get)
            #expect(batch.status == .methodNotAllowed && batch.headers[.allow] == "POST")
            let nowhere = try await client.execute(uri: "/v1/nowhere", method: .get)
            #expect(nowhere.status == .notFound && nowhere.headers[.allow] == nil)
            for (pattern, method) in APIRoutes.routeTable {
                let path = pattern.split(separator: "/").map {
                    $0 == ":file" ? "app.js" : $0.hasPrefix(":") ? String(repeating: "ab", count: 32) : String($0)
                }
                let response = try await client.execute(
                    uri: "/" + path.joined(separator: "/"), method: method,
                    headers: [.contentType: "application/octet-stream"])
                let code = (try? json(ErrorBody.self, response))?.error.code
                #expect(code != "not_found" && code != "method_not_allowed", "\(method) \(pattern): \(response.status)")
            }
        }
    }

    @Test("the verify page and its files are served with a strict Content-Security-Policy; nothing else is")
    func verifyPage() async throws {
        try await withApp { client, _ in
            for path in ["/", "/verify", "/v"] {
                let page = try await client.execute(uri: path, method: .get)
                #expect(page.status == .ok, "\(path)")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.headers[.contentSecurityPolicy] == APIRoutes.contentSecurityPolicy)
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(String(buffer: page.body).contains("/web/app.js"))
            }
            let script = try await client.execute(uri: "/web/govchain-verify.js", method: .get)
            #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
            for missing in ["/web/nothing.js", "/web/..%2Fconfig", "/web/.hidden"] {
                #expect(try await client.execute(uri: missing, method: .get).status == .notFound, "\(missing)")
            }
        }
    }

    @Test("QR codes and the PDF report exist for anchored documents only, salted or not")
    func qrAndReport() async throws {
        try await withApp { client, node in
            let anchor = TestChain.anchor("printed permit")
            try await node.chain.produce(candidates: [anchor])
            let hash = Hash32.sha256(Array("printed permit".utf8)).hex
            let svg = try await client.execute(uri: "/v1/documents/\(hash)/qr", method: .get)
            #expect(svg.status == .ok && svg.headers[.contentType] == "image/svg+xml")
            #expect(String(buffer: svg.body).contains("<svg"))
            let png = try await client.execute(uri: "/v1/documents/\(hash)/qr?format=png", method: .get)
            #expect(png.status == .ok && Array(buffer: png.body).starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let gif = try await client.execute(uri: "/v1/documents/\(hash)/qr?format=gif", method: .get)
            #expect(gif.status == .badRequest)
            let unknown = try await client.execute(
                uri: "/v1/documents/\(String(repeating: "cd", count: 32))/qr", method: .get)
            #expect(unknown.status == .notFound)
            #expect(try json(ErrorBody.self, unknown).error.code == "document_unknown")
            // With a salt the key is SHA-256(salt ‖ hash): this document was anchored unsalted.
            let salted = try await client.execute(
                uri: "/v1/documents/\(hash)/qr?salt=000102030405060708090a0b0c0d0e0f", method: .get)
            #expect(salted.status == .notFound)
            let badSalt = try await client.execute(uri: "/v1/documents/\(hash)/qr?salt=xyz", method: .get)
            #expect(badSalt.status == .badRequest)
            #expect(try json(ErrorBody.self, badSalt).error.code == "invalid_salt")
            let report = try await client.execute(uri: "/v1/documents/\(hash)/report", method: .get)
            #expect(report.status == .ok && report.headers[.contentType] == "application/pdf")
            #expect(Array(buffer: report.body).starts(with: Array("%PDF-".utf8)))
            // A never-anchored hash has a report too: its absence is proven.
            let absent = try await client.execute(
                uri: "/v1/documents/\(String(repeating: "cd", count: 32))/report", method: .get)
            #expect(absent.status == .ok)
        }
    }

    @Test(
        "version-1 receipts only where the genesis proves the clerk: a clerk of a rotated authority key and a co-signed anchor get receipt_unavailable, and a status receipt"
    )
    func receiptsNeedTheGenesisChain() async throws {
        try await withApp { client, node in
            let chainId = ChainID("node-test")!
            let (aachen, birth) = (Code("aachen")!, Code("birth-certificate")!)
            let newAuthority = try SigningKey(seed: [UInt8](repeating: 42, count: 32))
            let newClerk = try SigningKey(seed: [UInt8](repeating: 43, count: 32))
            let validator = try SigningKey(seed: [UInt8](repeating: 50, count: 32))
            func tx(_ body: TransactionBody, _ key: SigningKey, _ nonce: UInt64) -> Transaction {
                Transaction(body: body, time: TestChain.now, nonce: nonce, chainId: chainId, key: key)
            }
            func anchor(_ text: String) -> TransactionBody {
                .anchorDocument(
                    .init(document: Hash32.sha256(Array(text.utf8)), documentType: birth, authority: aachen))
            }
            // The only validator rotates Aachen's authority key (passes at once); the new key registers a clerk.
            let rotate = GovernanceAction.rotateAuthorityKey(aachen, new: newAuthority.publicKey)
            try await node.chain.produce(candidates: [
                tx(.proposeGovernance(.init(action: rotate, expiresAt: 100)), validator, 1)
            ])
            try await node.chain.produce(candidates: [
                tx(
                    .registerClerk(.init(authority: aachen, clerk: newClerk.publicKey, documentTypes: [birth])),
                    newAuthority, 2)
            ])
            let cosigned = Transaction.Pending(
                body: anchor("two clerks"), time: TestChain.now, nonce: 4, chainId: chainId, key: TestChain.clerk
            ).cosigned(chainId: chainId, key: newClerk)
            try await node.chain.produce(candidates: [
                tx(anchor("new clerk"), newClerk, 3), cosigned, TestChain.anchor("genesis clerk"),
            ])
            // The authority as in force: the rotated key, from the ledger; an unknown id is 404.
            let authority = try json(
                AuthorityResponse.self, try await client.execute(uri: "/v1/authorities/aachen", method: .get))
            #expect(authority.public_key == newAuthority.publicKey.hex && authority.source == "ledger")
            #expect(authority.four_eyes_document_types.isEmpty && authority.document_types == ["birth-certificate"])
            let unknown = try await client.execute(uri: "/v1/authorities/koeln", method: .get)
            #expect(unknown.status == .notFound)
            #expect(try json(ErrorBody.self, unknown).error.code == "authority_unknown")
            for (text, available) in [("new clerk", false), ("two clerks", false), ("genesis clerk", true)] {
                let hash = Hash32.sha256(Array(text.utf8)).hex
                let receipt = try await client.execute(uri: "/v1/documents/\(hash)/receipt", method: .get)
                if available {
                    #expect(receipt.status == .ok, "\(text)")
                } else {
                    #expect(receipt.status == .unprocessableContent, "\(text)")
                    #expect(try json(ErrorBody.self, receipt).error.code == "receipt_unavailable", "\(text)")
                    #expect(try json(ErrorBody.self, receipt).error.message.contains("status receipt"), "\(text)")
                }
                let proof = try await client.execute(uri: "/v1/documents/\(hash)/proof", method: .get)
                #expect(proof.status == .ok, "\(text)")
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
