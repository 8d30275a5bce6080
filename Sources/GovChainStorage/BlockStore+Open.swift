import Foundation
import GovChainCore

extension BlockStore {
    /// True when `directory` does not exist yet (a new store is created); refuses a directory
    /// that holds something other than a LevelDB database.
    static func checkDirectory(_ directory: String) throws(GovChainError) -> Bool {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            do {
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw GovChainError(
                    code: .storeCreateFailed, message: "Cannot create the ledger directory \(directory).",
                    cause: error.localizedDescription)
            }
            return true
        }
        guard isDirectory.boolValue else {
            throw GovChainError(
                code: .storeNotGovchain, message: "\(directory) is a file, not a GovChain ledger directory.")
        }
        let contents = ((try? files.contentsOfDirectory(atPath: directory)) ?? []).filter { $0 != "GOVCHAIN.LOCK" }
        if contents.isEmpty { return true }
        guard contents.contains("CURRENT") else {
            throw GovChainError(
                code: .storeNotGovchain,
                message: "\(directory) is not a GovChain ledger (it holds other files and no LevelDB database).")
        }
        return false
    }

    /// Writes the identity of the chain and the genesis state in one synced batch.
    static func initialise(_ db: LevelDB, genesis: Genesis) throws(GovChainError) {
        var batch = WriteBatch()
        batch.put(StoreKey.chainId, Array(genesis.chainId.value.utf8))
        batch.put(StoreKey.schema, StoreKey.bigEndian(UInt64(schemaVersion)))
        batch.put(StoreKey.genesisHash, genesis.hash.bytes)
        batch.put(StoreKey.head, StoreKey.bigEndian(0))
        addChanges(LedgerRules(genesis: genesis).genesisState(), to: &batch)
        let state = LedgerStateTree.genesis(genesis)
        addState(state, to: &batch)
        batch.put(StoreKey.genesisStateRoot, state.root.bytes)
        try db.write(batch, sync: true)
    }

    static func checkIdentity(_ db: LevelDB, genesis: Genesis, directory: String) throws(GovChainError) {
        let storedChain = String(decoding: try db.get(StoreKey.chainId) ?? [], as: UTF8.self)
        guard storedChain == genesis.chainId.value else {
            throw GovChainError(
                code: .storeWrongChain,
                message:
                    "The ledger in \(directory) belongs to chain \"\(storedChain)\", but the genesis is for \"\(genesis.chainId)\"."
            )
        }
        let schema = try decodeHeight(try db.get(StoreKey.schema) ?? [], "schema version").rawValue
        guard schema == UInt64(schemaVersion) else {
            throw GovChainError(
                code: .storeSchema,
                message:
                    "The ledger in \(directory) has schema version \(schema); this build reads version \(schemaVersion). Move the directory aside and start the node again: it fetches the chain from its peers and verifies every block (docs/OPERATIONS.md, \"Upgrading the ledger schema\")."
            )
        }
        guard try db.get(StoreKey.genesisHash) == genesis.hash.bytes else {
            throw GovChainError(
                code: .storeWrongGenesis,
                message:
                    "The ledger in \(directory) was created from a different genesis file for chain \"\(storedChain)\"."
            )
        }
    }

    func loadHead() throws(GovChainError) -> Head? {
        let height = try Self.decodeHeight(try db.get(StoreKey.head) ?? [], "head")
        guard height.rawValue > 0 else { return nil }
        guard let block = try block(at: height) else {
            throw GovChainError(
                code: .storeCorrupt, message: "The ledger says its head is block \(height), but that block is missing.")
        }
        return Head(block.header)
    }

    static func decodeHeight(_ bytes: [UInt8], _ what: String) throws(GovChainError) -> Height {
        var reader = ByteReader(bytes)
        do {
            let value = try reader.u64(what)
            try reader.finish()
            return Height(value)
        } catch {
            throw corrupt(what, error)
        }
    }

    static func corrupt(_ what: String, _ error: CodecError) -> GovChainError {
        GovChainError(
            code: .storeCorrupt, message: "The stored \(what) cannot be decoded; the ledger database is damaged.",
            cause: error.description)
    }
}
