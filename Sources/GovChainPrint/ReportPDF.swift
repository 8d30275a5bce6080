import CCairo
import GovChainCore

/// Draws a `VerificationReport` as an A4 PDF with cairo. Text is set in DejaVu Sans (found by
/// fontconfig; Debian's fonts-dejavu-core), whose subsets cairo embeds, so umlauts and "§" print
/// the same everywhere.
package enum ReportPDF {
    package static func render(_ report: VerificationReport) throws(GovChainError) -> [UInt8] {
        let sink = ByteSink()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, sink.context, Page.width, Page.height)
        else { throw failure("could not create the PDF") }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, report.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "GovChain")
        let page = Page(surface: surface)
        page.draw(report)
        page.finish()
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw failure(String(cString: cairo_status_to_string(status)))
        }
        return sink.bytes
    }

    static func failure(_ why: String) -> GovChainError {
        GovChainError(code: .internalError, message: "The verification report could not be drawn: \(why).")
    }
}

/// One cairo context walking down A4 pages; starts a new page when the next line does not fit.
private final class Page {
    static let width = 595.28
    static let height = 841.89
    static let margin = 56.0
    static let labelWidth = 150.0
    static let sans = "DejaVu Sans"
    static let mono = "DejaVu Sans Mono"

    let cr: OpaquePointer
    var y = margin
    var number = 1

    init(surface: OpaquePointer) { cr = cairo_create(surface) }

    func finish() {
        footer()
        cairo_show_page(cr)
        cairo_destroy(cr)
    }

    func draw(_ report: VerificationReport) {
        line(report.title, size: 18, bold: true)
        y += 8
        banner(report.verdict, status: report.status)
        paragraph(report.reading, size: 10.5)
        for section in report.sections {
            y += 10
            ensure(40)
            line(section.title, size: 12.5, bold: true)
            y += 2
            for row in section.rows { self.row(row) }
            for text in section.paragraphs { paragraph(text, size: 9.5) }
        }
    }

    // MARK: Blocks

    func banner(_ text: String, status: String) {
        let height = 34.0
        ensure(height + 8)
        let (r, g, b) = Self.colour(status)
        cairo_set_source_rgb(cr, r, g, b)
        cairo_rectangle(cr, Self.margin, y, Self.width - 2 * Self.margin, height)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 1, 1, 1)
        font(size: 16, bold: true)
        cairo_move_to(cr, Self.margin + 12, y + 23)
        cairo_show_text(cr, "Ergebnis: \(text)")
        cairo_set_source_rgb(cr, 0, 0, 0)
        y += height + 10
    }

    func paragraph(_ text: String, size: Double) {
        font(size: size, bold: false)
        for line in wrap(text, width: Self.width - 2 * Self.margin, anywhere: false) {
            ensure(size * 1.45)
            cairo_move_to(cr, Self.margin, y + size)
            cairo_show_text(cr, line)
            y += size * 1.45
        }
        y += 4
    }

    func row(_ row: VerificationReport.Row) {
        let size = 9.0
        let valueWidth = Self.width - 2 * Self.margin - Self.labelWidth
        font(size: size, bold: false, mono: row.code)
        let lines = wrap(row.value, width: valueWidth, anywhere: row.code)
        ensure(size * 1.45 * Double(min(lines.count, 3)))
        font(size: size, bold: true)
        let labelLines = wrap(row.label, width: Self.labelWidth - 8, anywhere: false)
        for (i, label) in labelLines.enumerated() {
            cairo_move_to(cr, Self.margin, y + size + Double(i) * size * 1.45)
            cairo_show_text(cr, label)
        }
        font(size: size, bold: false, mono: row.code)
        var used = 0.0
        for line in lines {
            if y + used + size * 1.45 > Self.height - Self.margin {
                y += used
                used = 0
                newPage()
                font(size: size, bold: false, mono: row.code)
            }
            cairo_move_to(cr, Self.margin + Self.labelWidth, y + used + size)
            cairo_show_text(cr, line)
            used += size * 1.45
        }
        y += max(used, Double(labelLines.count) * size * 1.45) + 3
    }

    func line(_ text: String, size: Double, bold: Bool) {
        ensure(size * 1.5)
        font(size: size, bold: bold)
        cairo_move_to(cr, Self.margin, y + size)
        cairo_show_text(cr, text)
        y += size * 1.5
    }

    // MARK: Pages and text

    func ensure(_ height: Double) {
        if y + height > Self.height - Self.margin { newPage() }
    }

    func newPage() {
        footer()
        cairo_show_page(cr)
        number += 1
        y = Self.margin
    }

    func footer() {
        font(size: 8, bold: false)
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3)
        cairo_move_to(cr, Self.margin, Self.height - Self.margin / 2)
        cairo_show_text(cr, "GovChain – Prüfbericht zur Dokumentenverifikation – Seite \(number)")
        cairo_set_source_rgb(cr, 0, 0, 0)
    }

    func font(size: Double, bold: Bool, mono: Bool = false) {
        cairo_select_font_face(
            cr, mono ? Self.mono : Self.sans, CAIRO_FONT_SLANT_NORMAL,
            bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    func advance(_ text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    /// Lines no wider than `width` in the current font: at spaces, or (hex) at any character.
    func wrap(_ text: String, width: Double, anywhere: Bool) -> [String] {
        var lines: [String] = []
        var current = ""
        if anywhere {
            for character in text {
                if advance(current + String(character)) > width, !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                current.append(character)
            }
        } else {
            for word in text.split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if advance(candidate) > width, !current.isEmpty {
                    lines.append(current)
                    current = String(word)
                } else {
                    current = candidate
                }
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// Banner colours with white text at a contrast of at least 4.5 : 1.
    static func colour(_ status: String) -> (Double, Double, Double) {
        switch status {
        case "valid": (0.06, 0.42, 0.18)
        case "unknown": (0.33, 0.33, 0.38)
        default: (0.66, 0.09, 0.09)
        }
    }
}
