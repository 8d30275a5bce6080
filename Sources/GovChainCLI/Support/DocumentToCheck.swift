import ArgumentParser
import GovChainCore

/// The document `verify` and `report` check: a FILE or `--hash`, and the salt of a salted anchor.
struct DocumentToCheck: ParsableArguments {
    @Argument(help: "The document file to check.")
    var file: String?

    @Option(help: "The document's SHA-256 as 64 hex characters, instead of a file.")
    var hash: String?

    @Option(
        help:
            "The salt of a salted anchor (32 hex characters, on the document's QR code or from the clerk): the ledger holds SHA-256(salt ‖ document hash)."
    )
    var salt: String?

    func validate() throws {
        guard (file == nil) != (hash == nil) else {
            throw ValidationError("Give either a document FILE or --hash HEX (exactly one).")
        }
    }

    /// The SHA-256 of FILE or --hash, the salt, and the ledger key they give.
    func resolve() throws(GovChainError) -> (document: Hash32, salt: DocumentSalt?, ledgerKey: Hash32) {
        let document: Hash32
        if let file {
            document = try Files.sha256(file)
        } else {
            document = try Hash32.parse(hash ?? "", what: "--hash ")
        }
        let salt = try Printing.salt(salt)
        return (document, salt, DocumentSalt.ledgerKey(document: document, salt: salt))
    }
}
