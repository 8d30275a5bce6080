import Foundation
import GovChainCore

extension Genesis {
    /// Reads and validates a genesis JSON file (the reading is I/O, so it lives here, not in Core).
    package static func load(contentsOf path: String) throws(GovChainError) -> Genesis {
        try loadWithBytes(contentsOf: path).genesis
    }

    /// `load`, keeping the file's bytes (the node serves them at `GET /v1/genesis`).
    package static func loadWithBytes(contentsOf path: String) throws(GovChainError) -> (genesis: Genesis, bytes: Data)
    {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw GovChainError(
                code: .genesisUnreadable, message: "Cannot read the genesis file \(path).",
                cause: error.localizedDescription)
        }
        return (try Genesis(json: data, source: path), data)
    }
}
