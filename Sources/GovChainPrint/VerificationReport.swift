import Foundation
import GovChainAPI
import GovChainCore

/// The content of the German "Prüfbericht zur Dokumentenverifikation": what was checked, the
/// verdict and its legal reading, who issued and who signed, and the proof data so anyone can
/// check again. Pure: built from a proof that has already been verified; `ReportPDF` draws it.
package struct VerificationReport: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        package var label: String
        package var value: String
        /// Hashes, keys and hex: drawn in a fixed-width font and broken anywhere.
        package var code: Bool = false
    }

    package struct Section: Sendable, Equatable {
        package var title: String
        package var rows: [Row] = []
        package var paragraphs: [String] = []
    }

    package var title = "Prüfbericht zur Dokumentenverifikation"
    /// `valid`, `revoked`, `superseded`, `expired`, `not_yet_valid` or `unknown`.
    package var status: String
    /// The verdict in capitals, e.g. "GÜLTIG".
    package var verdict: String
    /// What the verdict means, in plain German.
    package var reading: String
    package var sections: [Section]

    /// Everything a report needs; `proof` has been checked by `proof.verify(genesis:)`, giving `proven`.
    package struct Input: Sendable {
        package var proof: StateProof
        package var proven: ProvenState
        package var genesis: Genesis
        /// The SHA-256 of the document itself (before any salt).
        package var document: Hash32
        package var salt: DocumentSalt?
        package var checkedAt: Timestamp
        /// Who answered, e.g. "Knoten http://127.0.0.1:8080" or "Beleg (offline)".
        package var source: String

        package init(
            proof: StateProof, proven: ProvenState, genesis: Genesis, document: Hash32, salt: DocumentSalt?,
            checkedAt: Timestamp, source: String
        ) {
            (self.proof, self.proven, self.genesis, self.document) = (proof, proven, genesis, document)
            (self.salt, self.checkedAt, self.source) = (salt, checkedAt, source)
        }
    }

    package init(_ input: Input) {
        let genesis = input.genesis
        let key = DocumentSalt.ledgerKey(document: input.document, salt: input.salt)
        let height = input.proven.height.rawValue
        let record: DocumentRecord?
        if case .document(let found) = input.proven.record { record = found } else { record = nil }

        status = Self.status(record, now: input.checkedAt)
        verdict = Self.verdicts[status] ?? status.uppercased()
        reading = Self.reading(status, record: record, genesis: genesis, height: height)

        var checked = Section(title: "Geprüftes Dokument")
        checked.rows.append(Row(label: "SHA-256 des Dokuments", value: input.document.hex, code: true))
        if let salt = input.salt {
            checked.rows.append(Row(label: "Salt", value: salt.hex, code: true))
            checked.rows.append(
                Row(label: "Schlüssel im Register", value: key.hex + " = SHA-256(Salt ‖ Fingerabdruck)", code: true))
        }
        checked.rows.append(Row(label: "Geprüft am", value: Self.german(input.checkedAt)))
        checked.rows.append(Row(label: "Quelle des Nachweises", value: input.source))
        var sections = [checked]

        if let record {
            var issued = Section(title: "Ausstellung")
            let authorityName = genesis.authority(record.authority)?.name ?? record.authority.value
            issued.rows.append(
                Row(label: "Ausstellende Behörde", value: "\(authorityName) (\(record.authority.value))"))
            issued.rows.append(Row(label: "Dokumentart", value: record.documentType.value))
            issued.rows.append(Row(label: "Schlüssel der Sachbearbeitung", value: record.clerk.hex, code: true))
            if let cosigner = record.cosigner {
                issued.rows.append(Row(label: Self.cosignerLabel, value: cosigner.hex, code: true))
            }
            issued.rows.append(
                Row(
                    label: "Verankert",
                    value: "in Block \(record.anchoredHeight.rawValue) am \(Self.german(record.anchoredTime))"))
            issued.rows.append(Row(label: "Transaktion", value: record.anchorTx.hex, code: true))
            if let from = record.validFrom { issued.rows.append(Row(label: "Gültig ab", value: Self.german(from))) }
            if let until = record.validUntil { issued.rows.append(Row(label: "Gültig bis", value: Self.german(until))) }
            if let reference = record.reference {
                issued.rows.append(Row(label: "Aktenzeichen (SHA-256)", value: reference.hex, code: true))
            }
            if let old = record.supersedes {
                issued.rows.append(Row(label: "Ersetzt das Dokument", value: old.hex, code: true))
            }
            sections.append(issued)
            switch record.status {
            case .valid: break
            case .revoked(let reason, let effective, let at, let tx, let clerk):
                var revoked = Section(title: "Aufhebung")
                revoked.rows.append(Row(label: "Grund", value: reason.germanTerm))
                revoked.rows.append(Row(label: "Wirksam ab", value: Self.german(effective)))
                revoked.rows.append(Row(label: "Eingetragen in Block", value: "\(at.rawValue)"))
                revoked.rows.append(Row(label: "Transaktion", value: tx.hex, code: true))
                revoked.rows.append(Row(label: "Schlüssel der Sachbearbeitung", value: clerk.hex, code: true))
                if let cosigner = record.statusCosigner {
                    revoked.rows.append(Row(label: Self.cosignerLabel, value: cosigner.hex, code: true))
                }
                sections.append(revoked)
            case .superseded(let new, let effective, let at, let tx, let clerk):
                var replaced = Section(title: "Ersetzung")
                replaced.rows.append(Row(label: "Ersetzt durch", value: new.hex, code: true))
                replaced.rows.append(Row(label: "Wirksam ab", value: Self.german(effective)))
                replaced.rows.append(Row(label: "Eingetragen in Block", value: "\(at.rawValue)"))
                replaced.rows.append(Row(label: "Transaktion", value: tx.hex, code: true))
                replaced.rows.append(Row(label: "Schlüssel der Sachbearbeitung", value: clerk.hex, code: true))
                if let cosigner = record.statusCosigner {
                    replaced.rows.append(Row(label: Self.cosignerLabel, value: cosigner.hex, code: true))
                }
                sections.append(replaced)
            }
        }

        var proofSection = Section(title: "Nachweis")
        proofSection.rows.append(
            Row(label: "Nachgewiesener Stand", value: "Block \(height) vom \(Self.german(input.proven.time))"))
        let proven = input.proven
        proofSection.rows.append(
            Row(
                label: "Unterzeichnet von",
                value: proven.signers.isEmpty
                    ? "–"
                    : "\(proven.signers.joined(separator: ", ")) (\(proven.signedPower) von \(proven.totalPower) Stimmen)"
            ))
        proofSection.rows.append(Row(label: "Netz (chain id)", value: genesis.chainId.value))
        proofSection.rows.append(Row(label: "Genesis-Hash", value: genesis.hash.hex, code: true))
        proofSection.paragraphs.append(
            "Der Block wurde von Validatoren mit mehr als zwei Dritteln der Stimmen signiert (BFT-Konsens). Die Prüfung vertraut keinem einzelnen Knoten: Signaturen, Zustandspfad und Datensatz wurden gegen die Validatoren des Genesis-Blocks mit dem oben genannten Hash nachgerechnet."
        )
        sections.append(proofSection)

        var recheck = Section(title: "Unabhängig nachprüfen")
        recheck.paragraphs.append(
            "Vergleichen Sie den Genesis-Hash mit dem von den Kommunen veröffentlichten. Danach kann jede Person das Ergebnis selbst nachrechnen, ohne dem ausstellenden System zu vertrauen:"
        )
        let saltArgument = input.salt.map { " --salt \($0.hex)" } ?? ""
        recheck.rows.append(
            Row(
                label: "Online", value: "govchain verify DATEI\(saltArgument) --genesis genesis.json --node URL",
                code: true))
        recheck.rows.append(
            Row(
                label: "Offline",
                value: "govchain verify DATEI\(saltArgument) --receipt beleg.json --genesis genesis.json", code: true))
        recheck.paragraphs.append(
            "Der Nachweis im Anhang ist genau der Beleg (Version 2), den `govchain receipt DATEI --status` speichert; docs/RECEIPTS.md beschreibt, wie er Byte für Byte geprüft wird. Die Verifikationsseite jedes Knotens (/verify) prüft ihn ebenfalls im Browser."
        )
        sections.append(recheck)

        var appendix = Section(title: "Anhang: Nachweisdaten")
        appendix.rows.append(Row(label: "Art", value: input.proof.kind.rawValue))
        appendix.rows.append(Row(label: "Schlüssel (subject)", value: input.proof.subject, code: true))
        appendix.rows.append(Row(label: "Höhe", value: "\(input.proof.height)"))
        appendix.rows.append(Row(label: "Blockkopf", value: input.proof.block_header, code: true))
        appendix.rows.append(Row(label: "Commit", value: input.proof.commit, code: true))
        if let recordHex = input.proof.record {
            appendix.rows.append(Row(label: "Datensatz", value: recordHex, code: true))
        }
        if let leaf = input.proof.state_proof.leaf {
            appendix.rows.append(Row(label: "Blatt", value: "\(leaf.key) → \(leaf.value_hash)", code: true))
        }
        for (i, sibling) in input.proof.state_proof.siblings.enumerated() {
            appendix.rows.append(Row(label: "Geschwister \(i + 1)", value: sibling, code: true))
        }
        sections.append(appendix)
        self.sections = sections
    }

    static let verdicts = [
        "valid": "GÜLTIG", "revoked": "WIDERRUFEN", "superseded": "ERSETZT", "expired": "ABGELAUFEN",
        "not_yet_valid": "NOCH NICHT GÜLTIG", "unknown": "UNBEKANNT",
    ]

    static func status(_ record: DocumentRecord?, now: Timestamp) -> String {
        guard let record else { return "unknown" }
        switch record.status {
        case .revoked: return "revoked"
        case .superseded: return "superseded"
        case .valid:
            if let until = record.validUntil, now >= until { return "expired" }
            if let from = record.validFrom, now < from { return "not_yet_valid" }
            return "valid"
        }
    }

    static func reading(_ status: String, record: DocumentRecord?, genesis: Genesis, height: UInt64) -> String {
        guard let record else {
            return
                "Zu diesem Fingerabdruck ist bis einschließlich Block \(height) kein Dokument verankert; die Abwesenheit ist nachgewiesen. Trägt das Dokument einen QR-Code mit Salt, muss mit diesem Salt geprüft werden."
        }
        let authority = genesis.authority(record.authority)?.name ?? record.authority.value
        switch record.status {
        case .revoked(let reason, let effective, _, _, _):
            return
                "Das Dokument wurde von \(authority) ausgestellt und verankert, ist aber aufgehoben: \(reason.germanTerm), wirksam ab \(german(effective)). Ein aufgehobener Verwaltungsakt ist nicht mehr wirksam (§ 43 Abs. 2 VwVfG)."
        case .superseded(let new, let effective, _, _, _):
            return
                "Das Dokument wurde von \(authority) ausgestellt, aber mit Wirkung ab \(german(effective)) durch ein neues Dokument ersetzt (SHA-256 \(new.hex.prefix(16))…). Maßgeblich ist das neue Dokument."
        case .valid:
            switch status {
            case "expired":
                return
                    "Das Dokument wurde von \(authority) ausgestellt und nicht aufgehoben, seine Geltungsdauer endete aber am \(record.validUntil.map(german) ?? "–")."
            case "not_yet_valid":
                return
                    "Das Dokument wurde von \(authority) ausgestellt und verankert, gilt aber erst ab \(record.validFrom.map(german) ?? "–")."
            default:
                return
                    "Das Dokument mit diesem Fingerabdruck wurde von \(authority) ausgestellt und verankert und ist zum nachgewiesenen Stand (Block \(height)) weder aufgehoben noch ersetzt. Der Bericht belegt Herkunft und Bestand des Dokuments, nicht die inhaltliche Richtigkeit."
            }
        }
    }

    /// "01.12.2026, 17:30:05 MEZ (2026-12-01T16:30:05Z)": German local time and the exact UTC time.
    /// The row naming the second clerk of a four-eyes transaction.
    static let cosignerLabel = "Schlüssel der Zweitzeichnung (Vier-Augen-Prinzip)"

    package static func german(_ time: Timestamp) -> String {
        let date = Date(timeIntervalSince1970: Double(time.rawValue) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "de_DE")
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(secondsFromGMT: 3600)!
        formatter.dateFormat = "dd.MM.yyyy, HH:mm:ss zzz"
        return "\(formatter.string(from: date)) (\(time.rfc3339))"
    }
}
