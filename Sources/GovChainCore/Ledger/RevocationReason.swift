/// Why a document was revoked, in the terms German administrative law uses.
///
/// A closed list of codes rather than free text, so a revocation can never carry personal data.
/// Wire values are fixed and never reused.
package enum RevocationReason: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Widerruf of a lawful administrative act (§ 49 VwVfG).
    case withdrawal = 1
    /// Rücknahme of an unlawful administrative act (§ 48 VwVfG).
    case annulment = 2
    /// Berichtigung: an obvious error in the document was corrected (§ 42 VwVfG).
    case correction = 3
    /// The document was issued in error (wrong person, duplicate issue).
    case issuedInError = 4
    /// Erledigung: the act expired or was otherwise settled (§ 43 (2) VwVfG).
    case settled = 5

    /// The code used on the command line and in JSON.
    package var code: String {
        switch self {
        case .withdrawal: "withdrawal"
        case .annulment: "annulment"
        case .correction: "correction"
        case .issuedInError: "issued-in-error"
        case .settled: "settled"
        }
    }

    package init?(code: String) {
        guard let match = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = match
    }

    /// German legal term, for people who read the verifier output.
    package var description: String {
        switch self {
        case .withdrawal: "withdrawal (Widerruf, § 49 VwVfG)"
        case .annulment: "annulment (Rücknahme, § 48 VwVfG)"
        case .correction: "correction (Berichtigung)"
        case .issuedInError: "issued in error"
        case .settled: "expired or settled (Erledigung)"
        }
    }
}

extension RevocationReason {
    /// The legal term in German, as a verification report and the verify page print it.
    package var germanTerm: String {
        switch self {
        case .withdrawal: "Widerruf (§ 49 VwVfG)"
        case .annulment: "Rücknahme (§ 48 VwVfG)"
        case .correction: "Berichtigung (§ 42 VwVfG)"
        case .issuedInError: "irrtümlich ausgestellt"
        case .settled: "Erledigung (§ 43 Abs. 2 VwVfG)"
        }
    }
}
