import CCairo
import CQRencode
import Foundation
import GovChainCore

/// A QR code for a printed document: the matrix from libqrencode, drawn as SVG (text) or PNG
/// (cairo). Error correction level M (15 %: survives a fold or a coffee stain).
package struct QRCode: Sendable, Equatable {
    /// Modules per side (21 for version 1, +4 per version).
    package let size: Int
    /// Row-major, `true` = dark.
    package let modules: [Bool]

    /// The longest text accepted: a verify URL is ~150 bytes; this bounds what a request can ask for.
    package static let textBytesMax = 1024

    package init(text: String) throws(GovChainError) {
        guard !text.isEmpty, text.utf8.count <= Self.textBytesMax else {
            throw GovChainError(
                code: .invalidArgument, message: "A QR code holds 1 to \(Self.textBytesMax) bytes of text.")
        }
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
            throw GovChainError(code: .invalidArgument, message: "libqrencode could not encode the text.")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    package func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// An SVG image: one path of unit squares, `border` quiet modules around (the standard asks 4).
    package func svg(border: Int = 4, title: String? = nil) -> String {
        let side = size + 2 * border
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while x + run < size, isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + border) \(y + border)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let label = title.map { "<title>\(Self.escapeXML($0))</title>" } ?? ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * 8)" height="\(side * 8)" shape-rendering="crispEdges" role="img">\(label)<rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>

            """
    }

    /// A PNG image, `scale` pixels per module.
    package func png(scale: Int = 8, border: Int = 4) throws(GovChainError) -> [UInt8] {
        let side = (size + 2 * border) * scale
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(side), Int32(side)) else {
            throw GovChainError(code: .invalidArgument, message: "cairo could not create an image.")
        }
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                cairo_rectangle(
                    cr, Double((x + border) * scale), Double((y + border) * scale), Double(scale), Double(scale))
            }
        }
        cairo_fill(cr)
        cairo_surface_flush(surface)
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, sink.context)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GovChainError(
                code: .invalidArgument,
                message: "cairo could not write the PNG: \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.bytes
    }

    static func escapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Collects what cairo writes to a stream (PNG, PDF). Used from one thread at a time.
final class ByteSink {
    var bytes: [UInt8] = []

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}
