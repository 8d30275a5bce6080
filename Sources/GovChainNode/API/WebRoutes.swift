import Foundation
import GovChainAPI
import GovChainCore
import GovChainPrint
import HTTPTypes
import Hummingbird
import NIOPosix

/// The verify page's files, read once at start-up from `Sources/GovChainNode/Resources/web`
/// (installed by SwiftPM as `GovChain_GovChainNode.resources/web` beside the executable).
struct WebAssets: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    let files: [String: File]

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "json": "application/json",
    ]

    /// The first directory that holds `index.html`: `$GOVCHAIN_WEB_DIR`, then the resource bundle
    /// beside the executable. Nil when there is none.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> WebAssets? {
        var candidates: [URL] = []
        if let dir = environment["GOVCHAIN_WEB_DIR"] { candidates.append(URL(fileURLWithPath: dir)) }
        let executableDir = Bundle.main.bundleURL
        candidates.append(executableDir.appendingPathComponent("GovChain_GovChainNode.resources/web"))
        for dir in candidates {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path),
                names.contains("index.html")
            else { continue }
            var files: [String: File] = [:]
            for name in names {
                guard let type = contentTypes[(name as NSString).pathExtension],
                    let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path)
                else { continue }
                files[name] = File(bytes: Array(data), contentType: type)
            }
            return WebAssets(files: files)
        }
        return nil
    }
}

extension APIRoutes {
    /// No script, style, font or connection from anywhere but this node; no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

    /// The verify page (`/`, `/verify`, and `/v`, where QR codes lead), its files, and the printed
    /// side of a check: QR codes and the German PDF report.
    func registerWeb(on router: Router<NodeRequestContext>) {
        for path in ["/", "/verify", "/v"] {
            router.get(RouterPath(path)) { _, _ in try page("index.html") }
        }
        router.get("/web/:file") { _, context in try page(context.parameters.get("file") ?? "") }
        router.get("/v1/documents/:hash/qr") { request, context in
            let (hash, query) = (context.parameters.get("hash") ?? "", request.uri.queryParameters)
            let host = request.head.authority
            return try await NIOThreadPool.singleton.runIfActive {
                try qr(hash, salt: query.get("salt"), format: query.get("format"), host: host)
            }
        }
        router.get("/v1/documents/:hash/report") { request, context in
            let (hash, salt) = (context.parameters.get("hash") ?? "", request.uri.queryParameters.get("salt"))
            return try await NIOThreadPool.singleton.runIfActive { try report(hash, salt: salt) }
        }
    }

    func page(_ name: String) throws -> Response {
        guard let web else {
            throw APIError(
                code: .notFound,
                message: "This node was installed without its verify page (GovChain_GovChainNode.resources).")
        }
        guard let file = web.files[name] else {
            throw APIError(code: .notFound, message: "There is no file \"\(name.prefix(80))\" on the verify page.")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: file.contentType, .contentSecurityPolicy: Self.contentSecurityPolicy,
                .xContentTypeOptions: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
                .cacheControl: "no-cache",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    /// The ledger key of a document hash and an optional `salt` query.
    func ledgerKey(_ text: String, salt: String?) throws -> (document: Hash32, salt: DocumentSalt?, key: Hash32) {
        let document = try Self.hash(text)
        let salt = try salt.map { text throws(GovChainError) in try DocumentSalt.parse(text, what: "salt ") }
        return (document, salt, DocumentSalt.ledgerKey(document: document, salt: salt))
    }

    /// `GET /v1/documents/{hash}/qr[?salt=S][&format=svg|png]`: the QR code of an anchored document's
    /// verify link (`<verify_base_url>/v#<hash>[.<salt>]`).
    func qr(_ text: String, salt: String?, format: String?, host: String?) throws -> Response {
        let (document, salt, key) = try ledgerKey(text, salt: salt)
        guard try store.document(key) != nil else {
            throw APIError(
                code: .documentUnknown,
                message:
                    "No document with hash \(document.hex)\(salt == nil ? "" : " and this salt") is anchored on chain \(genesis.chainId)."
            )
        }
        let base = verifyBaseURL ?? host.map { "http://\($0.prefix(253))" } ?? "http://127.0.0.1"
        let code = try QRCode(text: VerifyLink.url(base: base, document: document, salt: salt))
        switch format ?? "svg" {
        case "svg":
            return Response(
                status: .ok, headers: [.contentType: "image/svg+xml"],
                body: .init(byteBuffer: ByteBuffer(string: code.svg())))
        case "png":
            return Response(
                status: .ok, headers: [.contentType: "image/png"],
                body: .init(byteBuffer: ByteBuffer(bytes: try code.png())))
        default:
            throw APIError(code: .invalidRequest, message: "format must be svg or png.")
        }
    }

    /// `GET /v1/documents/{hash}/report[?salt=S]`: the German PDF report of this node's proof at the
    /// latest block, checked against the genesis first, the proof data in its appendix.
    func report(_ text: String, salt: String?) throws -> Response {
        let (document, salt, key) = try ledgerKey(text, salt: salt)
        let proof = try stateProof(.document, key.hex, height: nil)
        let proven = try proof.verify(genesis: genesis)
        let pdf = try ReportPDF.render(
            VerificationReport(
                .init(
                    proof: proof, proven: proven, genesis: genesis, document: document, salt: salt,
                    checkedAt: Node.systemClock(), source: "Knoten \(node.name) (Prüfbericht vom Knoten erstellt)")))
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf",
                .contentDisposition: "attachment; filename=\"pruefbericht-\(document.hex.prefix(12)).pdf\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
    }
}
