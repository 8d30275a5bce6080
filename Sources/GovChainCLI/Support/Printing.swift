import Foundation
import GovChainCore
import GovChainPrint

/// QR codes and reports written by the CLI (`anchor --qr`, `qr`, `report`).
enum Printing {
    /// Writes a QR code of `link` to `path`, as SVG or PNG by the file's extension.
    static func writeQR(_ link: String, to path: String) throws(GovChainError) {
        let code = try QRCode(text: link)
        switch (path as NSString).pathExtension.lowercased() {
        case "svg": try Files.create(path, code.svg(title: link), mode: 0o644)
        case "png": try Files.create(path, bytes: try code.png(), mode: 0o644)
        default:
            throw GovChainError(
                code: .invalidArgument, message: "--qr \(path): the file name must end in .svg or .png.")
        }
    }

    /// The salt a command was given (`--salt HEX`), if any.
    static func salt(_ text: String?) throws(GovChainError) -> DocumentSalt? {
        guard let text else { return nil }
        return try DocumentSalt.parse(text, what: "--salt ")
    }
}
