import GovChainCore

/// Command-line values that must be codes (document types, authority ids): parsed once, with the
/// option named in the error.
enum CodeArguments {
    static func code(_ text: String, _ option: String) throws(GovChainError) -> Code {
        guard let code = Code(text) else {
            throw GovChainError(code: .invalidArgument, message: "\(option) \"\(text)\" may use only a-z, 0-9 and '-'.")
        }
        return code
    }

    /// A comma-separated list (blanks around entries ignored; an empty text is an empty list).
    static func codes(_ text: String, _ option: String) throws(GovChainError) -> [Code] {
        var codes: [Code] = []
        for part in text.split(separator: ",") {
            codes.append(try code(part.trimmingCharacters(in: .whitespaces), option))
        }
        return codes
    }
}
