import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

/// Offline verification of a receipt: no network, only the receipt and the genesis file.
enum OfflineVerification {
    /// Returns the exit code: 0 valid, 3 expired, 4 invalid receipt, 1 unreadable inputs.
    static func run(receiptPath: String, genesisPath: String, documentHash: Hash32?, json: Bool) -> Int32 {
        let genesis: Genesis
        let receiptData: Data
        do {
            genesis = try Genesis(json: try Files.read(genesisPath, what: "genesis file"), source: genesisPath)
            receiptData = try Files.read(receiptPath, what: "receipt")
        } catch {
            Output.error(error)
            return Exit.other.rawValue
        }
        switch check(receiptData, genesis: genesis, documentHash: documentHash) {
        case .success(let proven):
            let expired = proven.validUntil.map { currentTime() >= $0 } ?? false
            if json {
                Output.json(OfflineResult(proven, expired: expired))
            } else {
                describe(proven, expired: expired, genesis: genesis).forEach { print($0) }
            }
            return expired ? Exit.revokedOrSuperseded.rawValue : Exit.valid.rawValue
        case .failure(let error):
            if json {
                Output.json(["status": "invalid", "reason": error.message])
            } else {
                print("INVALID: \(error.message)")
            }
            return Exit.invalid.rawValue
        }
    }

    static func check(
        _ data: Data, genesis: Genesis, documentHash: Hash32?
    ) -> Result<ReceiptVerifier.Proven, GovChainError> {
        Result { () throws(GovChainError) in
            try ReceiptVerifier(genesis: genesis).verify(try Receipt(json: data), documentHash: documentHash)
        }
    }

    static func describe(_ proven: ReceiptVerifier.Proven, expired: Bool, genesis: Genesis) -> [String] {
        var lines = [
            "\(expired ? "EXPIRED" : "VALID") (offline receipt): \(proven.documentType) issued by \(proven.authority.name) (\(proven.authority.id))"
        ]
        lines.append("  document      \(proven.document.hex)")
        lines.append("  anchored      \(proven.blockTime.rfc3339) in block \(proven.height)")
        if let from = proven.validFrom { lines.append("  valid from    \(from.rfc3339)") }
        if let until = proven.validUntil { lines.append("  valid until   \(until.rfc3339)") }
        lines.append(
            "  signed by     \(proven.signers.joined(separator: ", ")) (\(proven.signedPower) of \(genesis.validators.totalPower) voting power)"
        )
        let authorisation =
            proven.clerkRegisteredAt.map { "registered by the authority in block \($0)" } ?? "authorised in the genesis"
        lines.append("  clerk         \(proven.clerk.hex.prefix(16))…, \(authorisation)")
        lines.append("  chain         \(genesis.chainId), genesis \(genesis.hash.hex.prefix(16))…")
        lines.append("  note          This receipt proves the document was anchored as of block \(proven.height).")
        lines.append(
            "                It cannot show a later revocation: check online with `govchain verify` for the current status."
        )
        return lines
    }

    struct OfflineResult: Encodable {
        var status: String
        var document: String
        var document_type: String
        var authority: AuthorityRef
        var height: UInt64
        var anchored_time: String
        var valid_from: String?
        var valid_until: String?
        var clerk: String
        var clerk_registered_height: UInt64?
        var signers: [String]
        var proves: String

        init(_ p: ReceiptVerifier.Proven, expired: Bool) {
            status = expired ? "expired" : "valid"
            document = p.document.hex
            document_type = p.documentType.value
            authority = AuthorityRef(id: p.authority.id.value, name: p.authority.name)
            height = p.height.rawValue
            anchored_time = p.blockTime.rfc3339
            valid_from = p.validFrom?.rfc3339
            valid_until = p.validUntil?.rfc3339
            clerk = p.clerk.hex
            clerk_registered_height = p.clerkRegisteredAt?.rawValue
            signers = p.signers
            proves = "anchored as of block \(p.height); later revocation is not covered"
        }
    }
}

struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "Fetch the offline-verifiable receipt of an anchored document.")

    @Argument(help: "The document file, or its SHA-256 as 64 hex characters.")
    var document: String

    @Option(help: "Where to write the receipt (never overwritten).")
    var out: String

    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await Output.run {
            let hash = try Files.documentHash(fileOrHash: document)
            let receipt = try await NodeClient(node.node).receipt(hash)
            try Files.create(out, String(decoding: receipt.canonicalJSON, as: UTF8.self), mode: 0o644)
            print("Wrote the receipt for \(hash.hex) to \(out)")
            print("Check it offline: govchain verify --hash \(hash.hex) --receipt \(out) --genesis <genesis.json>")
        }
    }
}
