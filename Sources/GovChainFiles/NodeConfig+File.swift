import Foundation
import GovChainAPI
import GovChainCore

extension NodeConfig {
    /// Reads `HOME/config/node.json`.
    package static func load(home: String) throws(GovChainError) -> NodeConfig {
        let path = (home as NSString).appendingPathComponent("config/node.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GovChainError(
                code: .configMissing,
                message:
                    "No node configuration at \(path). Create a home with `govchain testnet init` or see docs/OPERATIONS.md."
            )
        }
        return try NodeConfig(json: data, path: path)
    }

    /// Writes `HOME/config/node.json`.
    package func write(home: String) throws(GovChainError) {
        let path = (home as NSString).appendingPathComponent("config/node.json")
        do {
            try jsonData.write(to: URL(fileURLWithPath: path))
        } catch {
            throw GovChainError(code: .configWriteFailed, message: "Cannot write \(path).", underlying: error)
        }
    }
}
