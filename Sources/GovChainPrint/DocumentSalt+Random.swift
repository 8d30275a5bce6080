import GovChainCore

extension DocumentSalt {
    /// A fresh salt from the system's random generator (here, not in Core: Core reads no randomness).
    package static func random() -> DocumentSalt {
        var generator = SystemRandomNumberGenerator()
        return DocumentSalt((0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) })!
    }
}
