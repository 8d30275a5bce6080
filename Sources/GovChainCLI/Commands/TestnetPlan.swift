import Foundation
import GovChainAPI
import GovChainCore
import GovChainFiles

/// Everything `govchain testnet init` writes, derived from names and a port. Pure up to `write()`.
struct TestnetPlan {
    static let modelMunicipalities = ["Aachen", "Gelsenkirchen", "Paderborn", "Soest", "Wuppertal"]
    static let documentTypes = [
        "birth-certificate", "business-registration", "building-permit",
        "residence-confirmation", "parking-permit",
    ]
    /// Templated documents (a few variable fields that anyone could guess): anchored salted by default.
    static let saltedDocumentTypes = ["residence-confirmation", "parking-permit"]

    /// One line of `DIR/nodes.json`.
    struct NodeEntry: Codable {
        var name: String
        var home: String
        var peer_address: String
        var api_url: String
    }

    let directory: String
    let validatorNames: [String]
    let authorityNames: [String]
    let basePort: Int
    let chainId: String
    let now: Timestamp

    init(
        directory: String, validatorNames: [String], authorityNames: [String]?, basePort: Int, chainId: String,
        now: Timestamp
    ) throws(GovChainError) {
        guard (1...10).contains(validatorNames.count) else {
            throw GovChainError(
                code: .invalidArgument, message: "--validators must name 1 to 10 validators, separated by commas.")
        }
        let authorities = authorityNames ?? validatorNames
        for name in validatorNames + authorities where Self.slug(name).isEmpty {
            throw GovChainError(
                code: .invalidArgument, message: "\"\(name)\" is not a usable name (use letters and digits).")
        }
        guard Set(validatorNames.map(Self.slug)).count == validatorNames.count,
            Set(authorities.map(Self.slug)).count == authorities.count
        else {
            throw GovChainError(code: .invalidArgument, message: "Names must be distinct.")
        }
        guard (1024...65000).contains(basePort) else {
            throw GovChainError(code: .invalidArgument, message: "--base-port must be between 1024 and 65000.")
        }
        guard ChainID(chainId) != nil else {
            throw GovChainError(code: .invalidArgument, message: "--chain-id may use only a-z, 0-9 and '-'.")
        }
        // Absolute, so nodes.json stays true wherever it is read from.
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.validatorNames = validatorNames
        self.authorityNames = authorities
        self.basePort = basePort
        self.chainId = chainId
        self.now = now
    }

    static func split(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `Gelsenkirchen` → `gelsenkirchen`, `Münster` → `muenster`: the authority id and folder name.
    static func slug(_ name: String) -> String {
        var out = ""
        for char in name.lowercased() {
            switch char {
            case "ä": out += "ae"
            case "ö": out += "oe"
            case "ü": out += "ue"
            case "ß": out += "ss"
            case "a"..."z", "0"..."9": out.append(char)
            default: if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(32))
    }

    func home(_ name: String) -> String { (directory as NSString).appendingPathComponent(Self.slug(name)) }

    /// Creates the whole network on disk; refuses to touch a directory that already holds one.
    func write() throws(GovChainError) -> [NodeEntry] {
        let genesisPath = (directory as NSString).appendingPathComponent("genesis.json")
        guard !FileManager.default.fileExists(atPath: genesisPath) else {
            throw GovChainError(
                code: .fileExists,
                message:
                    "\(directory) already holds a network (genesis.json exists). Choose another --dir or delete it.")
        }
        var validators: [GenesisFile.ValidatorEntry] = []
        var validatorKeys: [SigningKey] = []
        var nodes: [NodeEntry] = []
        for (i, name) in validatorNames.enumerated() {
            let key = SigningKey()
            validatorKeys.append(key)
            let peer = "127.0.0.1:\(basePort + 100 + i)"
            validators.append(.init(name: name, public_key: key.publicKey.hex, peer_address: peer, power: 1))
            nodes.append(
                NodeEntry(name: name, home: home(name), peer_address: peer, api_url: "http://127.0.0.1:\(basePort + i)")
            )
        }
        var authorities: [GenesisFile.AuthorityEntry] = []
        var clerks: [GenesisFile.ClerkEntry] = []
        var authorityKeys: [(String, SigningKey, SigningKey)] = []
        for name in authorityNames {
            let authorityKey = SigningKey()
            let clerkKey = SigningKey()
            authorityKeys.append((name, authorityKey, clerkKey))
            authorities.append(
                .init(
                    id: Self.slug(name), name: name, public_key: authorityKey.publicKey.hex,
                    document_types: Self.documentTypes, salted_document_types: Self.saltedDocumentTypes))
            clerks.append(
                .init(
                    authority: Self.slug(name), public_key: clerkKey.publicKey.hex, document_types: Self.documentTypes))
        }
        let file = GenesisFile(
            chain_id: chainId,
            genesis_time: Timestamp(millisecondsSince1970: now.rawValue / 1000 * 1000).rfc3339Seconds,
            consensus: .init(), validators: validators, authorities: authorities, initial_clerks: clerks)
        let genesisJSON = file.jsonData()
        _ = try Genesis(json: genesisJSON)  // What we write must load.

        try Self.makeDirectory(directory)
        try Self.writeFile(genesisPath, genesisJSON)
        for (i, name) in validatorNames.enumerated() {
            let home = home(name)
            try Self.makeDirectory(home + "/config")
            try Self.writeFile(home + "/config/genesis.json", genesisJSON)
            try Files.create(home + "/config/validator.key", validatorKeys[i].pem + "\n", mode: 0o600)
            try Self.writeNodeConfig(name: name, apiPort: basePort + i, home: home)
        }
        for (name, authorityKey, clerkKey) in authorityKeys {
            let keys = home(name) + "/keys"
            try Self.makeDirectory(keys)
            try KeyWriter.write(authorityKey, to: keys + "/authority.key")
            try KeyWriter.write(clerkKey, to: keys + "/clerk.key")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try Self.writeFile(
            (directory as NSString).appendingPathComponent("nodes.json"), (try? encoder.encode(nodes)) ?? Data())
        return nodes
    }

    private static func writeNodeConfig(name: String, apiPort: Int, home: String) throws(GovChainError) {
        try NodeConfig(name: name, api_address: "127.0.0.1:\(apiPort)").write(home: home)
    }

    static func makeDirectory(_ path: String) throws(GovChainError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw GovChainError(
                code: .fileWriteFailed, message: "Cannot create the directory \(path).",
                cause: error.localizedDescription)
        }
    }

    static func writeFile(_ path: String, _ data: Data) throws(GovChainError) {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw GovChainError(
                code: .fileWriteFailed, message: "Cannot write \(path).", cause: error.localizedDescription)
        }
    }
}

extension Timestamp {
    /// RFC 3339 without fractional seconds, e.g. `2026-11-21T09:30:00Z`.
    var rfc3339Seconds: String {
        Date(timeIntervalSince1970: Double(rawValue) / 1000).formatted(.iso8601)
    }
}
