import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

/// Offline verification of a receipt: no network, only the receipt and the genesis file.
enum OfflineVerification {
    /// Returns the exit code: 0 valid, 2 unknown (an absence receipt), 3 revoked, superseded or
    /// expired, 4 invalid receipt, 5 older than `maxAgeSeconds`, 1 unreadable inputs.
    static func run(
        receiptPath: String, genesisPath: String, documentHash: Hash32, json: Bool, maxAgeSeconds: UInt64? = nil
    ) -> Int32 {
        let genesis: Genesis
        let receiptData: Data
        do {
            genesis = try Genesis(json: try Files.read(genesisPath, what: "genesis file"), source: genesisPath)
            receiptData = try Files.read(receiptPath, what: "receipt")
        } catch {
            Output.error(error)
            return Exit.other.rawValue
        }
        if isVersion2(receiptData) {
            return runVersion2(
                receiptData, genesis: genesis, documentHash: documentHash, json: json, maxAgeSeconds: maxAgeSeconds)
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

    /// A version-2 receipt (a state proof) says `"version":2`.
    static func isVersion2(_ data: Data) -> Bool {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["version"] as? Int == StateProof.version
    }

    static func runVersion2(
        _ data: Data, genesis: Genesis, documentHash: Hash32, json: Bool, maxAgeSeconds: UInt64?
    ) -> Int32 {
        let now = currentTime()
        let proven: ProvenState
        do throws(GovChainError) {
            let proof = try StateProof(json: data, canonical: true)
            guard proof.kind == .document, proof.subject == documentHash.hex else {
                throw GovChainError(code: .receiptInvalid, message: "The receipt is about another document.")
            }
            proven = try proof.verify(genesis: genesis)
        } catch {
            if json {
                Output.json(["status": "invalid", "reason": error.message])
            } else {
                print("INVALID: \(error.message)")
            }
            return Exit.invalid.rawValue
        }
        return ProvenReport.report(
            proven, document: documentHash, genesis: genesis, now: now, maxAgeSeconds: maxAgeSeconds, json: json,
            source: .receipt)
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
            "  signed by     \(proven.signers.joined(separator: ", ")) (\(proven.signedPower) of \(proven.totalPower) voting power)"
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

    @Flag(
        help:
            "A status receipt (version 2): anchored and not revoked or superseded as of the latest block, or never anchored."
    )
    var status = false

    @Option(help: "The salt printed when the document was anchored (32 hex characters), for a salted anchor.")
    var salt: String?

    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await Output.run {
            let hash = DocumentSalt.ledgerKey(
                document: try Files.documentHash(fileOrHash: document), salt: try Printing.salt(salt))
            if status {
                let proof = try await NodeClient(node.node).proof(.document, hash.hex)
                guard proof.kind == .document, proof.subject == hash.hex else {
                    throw GovChainError(
                        code: .proofInvalid, message: "The node answered with a proof about another document.")
                }
                try Files.create(out, String(decoding: proof.canonicalJSON, as: UTF8.self), mode: 0o644)
                let what = proof.record == nil ? "an absence receipt (never anchored)" : "a status receipt"
                print("Wrote \(what) for \(hash.hex) as of block \(proof.height) to \(out)")
                print("Check it offline: govchain verify --hash \(hash.hex) --receipt \(out) --genesis <genesis.json>")
                return
            }
            let receipt = try await NodeClient(node.node).receipt(hash)
            try Files.create(out, String(decoding: receipt.canonicalJSON, as: UTF8.self), mode: 0o644)
            print("Wrote the receipt for \(hash.hex) to \(out)")
            print("Check it offline: govchain verify --hash \(hash.hex) --receipt \(out) --genesis <genesis.json>")
        }
    }
}
