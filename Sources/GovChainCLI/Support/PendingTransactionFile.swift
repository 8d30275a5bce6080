import Foundation
import GovChainCore

/// The file `govchain anchor|revoke|supersede … --out FILE` writes and `govchain cosign FILE`
/// reads: a document transaction its first clerk signed, waiting for a second clerk (four eyes).
/// JSON, keys sorted (docs/PROTOCOL.md, "Co-signed transactions"):
/// `{"chain_id": …, "format": "govchain-pending-transaction", "transaction": hex(pending), "version": 1}`.
struct PendingTransactionFile: Codable, Equatable {
    static let format = "govchain-pending-transaction"

    var chain_id: String
    var format: String
    /// `Transaction.Pending.encoded`, lower-case hex.
    var transaction: String
    var version: Int

    /// Writes `pending` for chain `chainId` to a new file `path` (readable by the owner and group:
    /// the supervisor who co-signs may be another account of the same office).
    static func write(_ pending: Transaction.Pending, chainId: ChainID, to path: String) throws(GovChainError) {
        let file = PendingTransactionFile(
            chain_id: chainId.value, format: format, transaction: Hex.encode(pending.encoded), version: 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(file) else {
            throw GovChainError(code: .internalError, message: "Cannot encode the pending transaction.")
        }
        try Files.create(path, bytes: Array(data) + [0x0A], mode: 0o640)
    }

    /// Reads and decodes `path`; the first clerk's signature is checked for the file's chain.
    static func read(_ path: String) throws(GovChainError) -> (Transaction.Pending, ChainID) {
        let data = try Files.read(path, what: "pending transaction")
        func invalid(_ reason: String) -> GovChainError {
            GovChainError(
                code: .pendingTransactionInvalid, message: "\(path) is not a usable pending transaction: \(reason).")
        }
        guard let file = try? JSONDecoder().decode(PendingTransactionFile.self, from: data) else {
            throw invalid("it is not the JSON `govchain anchor|revoke|supersede --out` writes")
        }
        guard file.format == format, file.version == 1 else {
            throw invalid("format \"\(file.format)\" version \(file.version) is not \(format) version 1")
        }
        guard let chainId = ChainID(file.chain_id) else { throw invalid("\"\(file.chain_id)\" is not a chain id") }
        guard let bytes = Hex.decode(file.transaction) else { throw invalid("\"transaction\" is not hex") }
        let pending: Transaction.Pending
        do { pending = try Transaction.Pending(decoding: bytes) } catch { throw invalid("\(error)") }
        guard pending.hasValidSignature(chainId: chainId) else {
            throw invalid("the first clerk's signature does not verify for chain \(chainId) (was the file changed?)")
        }
        return (pending, chainId)
    }

    /// What the second clerk is asked to sign, in words.
    static func describe(_ pending: Transaction.Pending) -> [String] {
        var lines: [String] = []
        switch pending.body {
        case .anchorDocument(let body):
            lines.append("  action        anchor a \(body.documentType) document of \(body.authority)")
            lines.append("  document      \(body.document.hex)")
            if let from = body.validFrom { lines.append("  valid from    \(from.rfc3339)") }
            if let until = body.validUntil { lines.append("  valid until   \(until.rfc3339)") }
        case .revokeDocument(let body):
            lines.append("  action        revoke: \(body.reason.description), effective \(body.effective.rfc3339)")
            lines.append("  document      \(body.document.hex)")
        case .supersedeDocument(let body):
            lines.append("  action        supersede, effective \(body.effective.rfc3339)")
            lines.append("  old document  \(body.old.hex)")
            lines.append("  new document  \(body.new.hex)")
        default:
            lines.append("  action        \(pending.body.kind)")
        }
        lines.append("  first clerk   \(pending.signer.hex)")
        lines.append("  signed at     \(pending.time.rfc3339)")
        return lines
    }
}
