import Foundation

/// Everything a third party needs to check an anchor offline with only the genesis file
/// (design §5, docs/RECEIPTS.md): the anchoring transaction, its RFC 9162 inclusion proof, the
/// block header, the commit that finalised it, and the clerk's authorisation.
///
/// The file form is **canonical JSON**: compact, keys sorted, binary fields as lower-case hex,
/// one trailing newline. `Receipt(json:)` rejects anything else, so a changed byte can never
/// leave a receipt "the same": it either fails to parse, fails the canonical check, or changes
/// a value that a signature or hash covers.
package struct Receipt: Codable, Sendable, Equatable {
    package static let currentVersion = 1

    /// A transaction proven to be in a committed block.
    package struct Inclusion: Codable, Sendable, Equatable {
        /// The encoded transaction (docs/PROTOCOL.md), hex.
        package var transaction: String
        /// Position of the transaction in its block (0-based).
        package var tx_index: UInt32
        /// RFC 9162 audit path from the transaction's leaf to the header's txRoot, hex hashes.
        package var proof: [String]
        /// The encoded block header, hex.
        package var block_header: String
        /// The encoded commit of that block, hex.
        package var commit: String

        package init(transaction: String, tx_index: UInt32, proof: [String], block_header: String, commit: String) {
            self.transaction = transaction
            self.tx_index = tx_index
            self.proof = proof
            self.block_header = block_header
            self.commit = commit
        }
    }

    /// How the clerk who signed the anchor was authorised.
    package struct ClerkAuthorisation: Codable, Sendable, Equatable {
        /// `genesis` (listed in initial_clerks) or `registration` (a register-clerk transaction).
        package var kind: String
        package var registration: Inclusion?

        package init(kind: String, registration: Inclusion?) {
            self.kind = kind
            self.registration = registration
        }
    }

    package var version: Int
    package var chain_id: String
    package var genesis_hash: String
    /// SHA-256 of the document, hex.
    package var document: String
    package var anchor: Inclusion
    package var clerk_authorisation: ClerkAuthorisation
    /// The validator set changes up to the receipt's blocks, when governance changed the set
    /// after the genesis (absent otherwise, so receipts of a chain without changes are as before).
    package var validator_sets: [ValidatorSetChange]?

    package init(
        chain_id: String, genesis_hash: String, document: String, anchor: Inclusion,
        clerk_authorisation: ClerkAuthorisation, validator_sets: [ValidatorSetChange]? = nil
    ) {
        version = Self.currentVersion
        self.chain_id = chain_id
        self.genesis_hash = genesis_hash
        self.document = document
        self.anchor = anchor
        self.clerk_authorisation = clerk_authorisation
        self.validator_sets = validator_sets
    }

    /// The canonical file bytes.
    package var canonicalJSON: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings and integers always encode.
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// Parses a receipt file, refusing anything that is not its canonical form.
    package init(json data: Data) throws(GovChainError) {
        guard !data.isEmpty else { throw Self.invalid("the receipt file is empty") }
        let decoded: Receipt
        do {
            decoded = try JSONDecoder().decode(Receipt.self, from: data)
        } catch {
            throw Self.invalid("the receipt is not valid receipt JSON (truncated or damaged?)", underlying: error)
        }
        if let unknown = Self.unknownField(in: data) {
            throw Self.invalid("the receipt has a field this verifier does not know: \"\(unknown)\"")
        }
        guard decoded.version == Self.currentVersion else {
            throw Self.invalid(
                "receipt version \(decoded.version) is not supported (this verifier reads version \(Self.currentVersion))"
            )
        }
        guard decoded.canonicalJSON == data else {
            throw Self.invalid("the receipt is not in canonical form (a field, a key or the layout was changed)")
        }
        self = decoded
    }

    /// The first key (by path) that version 1 does not define; a verifier must refuse a field it
    /// does not understand rather than ignore it.
    static func unknownField(in data: Data) -> String? {
        let inclusion: Set<String> = ["transaction", "tx_index", "proof", "block_header", "commit"]
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        let top: Set<String> = [
            "version", "chain_id", "genesis_hash", "document", "anchor", "clerk_authorisation", "validator_sets",
        ]
        if let key = object.keys.sorted().first(where: { !top.contains($0) }) { return key }
        let change: Set<String> = ["height", "validators", "block_header", "commit"]
        for (i, entry) in ((object["validator_sets"] as? [Any]) ?? []).enumerated() {
            if let entry = entry as? [String: Any], let key = entry.keys.sorted().first(where: { !change.contains($0) })
            {
                return "validator_sets[\(i)].\(key)"
            }
        }
        if let anchor = object["anchor"] as? [String: Any],
            let key = anchor.keys.sorted().first(where: { !inclusion.contains($0) })
        {
            return "anchor.\(key)"
        }
        if let authorisation = object["clerk_authorisation"] as? [String: Any] {
            if let key = authorisation.keys.sorted().first(where: { !["kind", "registration"].contains($0) }) {
                return "clerk_authorisation.\(key)"
            }
            if let registration = authorisation["registration"] as? [String: Any],
                let key = registration.keys.sorted().first(where: { !inclusion.contains($0) })
            {
                return "clerk_authorisation.registration.\(key)"
            }
        }
        return nil
    }

    static func invalid(_ reason: String, cause: String? = nil) -> GovChainError {
        GovChainError(code: .receiptInvalid, message: reason, cause: cause)
    }

    static func invalid(_ reason: String, underlying: any Error) -> GovChainError {
        GovChainError(code: .receiptInvalid, message: reason, underlying: underlying)
    }
}

extension Receipt.Inclusion {
    /// Builds the inclusion of the transaction at `index` in `block`, finalised by `commit`.
    package init(block: Block, index: Int, commit: Commit) {
        let leaves = block.transactions.map { MerkleTree.leafHash($0.encoded) }
        self.init(
            transaction: Hex.encode(block.transactions[index].encoded), tx_index: UInt32(index),
            proof: MerkleTree.inclusionProof(index: index, leafHashes: leaves).map(\.hex),
            block_header: Hex.encode(block.header.encoded), commit: Hex.encode(commit.encoded))
    }
}
