import Foundation

/// A proof of what the ledger says about one document or clerk as of block `height`: the record
/// (or its absence), its path in the state tree, the block header whose `stateRoot` the path
/// ends in, and the commit of more than two thirds of the voting power that signed that header.
///
/// One format, three uses: the answer of `GET /v1/documents/{hash}/proof` (and clerks), what
/// `govchain verify` checks online, and — saved to a file — a version-2 receipt (a status receipt
/// when `record` is present, an absence receipt when it is not). docs/RECEIPTS.md specifies it
/// byte by byte; the file form is canonical JSON like version 1 (`Receipt`).
package struct StateProof: Codable, Sendable, Equatable {
    package static let version = 2

    /// One side of the path: the leaf the path ends in, if any.
    package struct Leaf: Codable, Sendable, Equatable {
        /// The state key of the leaf, hex (the queried key's own, or another that shares the path).
        package var key: String
        /// SHA-256 of the record the leaf commits to, hex.
        package var value_hash: String

        package init(key: String, value_hash: String) {
            self.key = key
            self.value_hash = value_hash
        }
    }

    package struct Path: Codable, Sendable, Equatable {
        /// Sibling hashes from the root down, hex.
        package var siblings: [String]
        /// The leaf the path ends in; absent when it ends in an empty subtree.
        package var leaf: Leaf?

        package init(siblings: [String], leaf: Leaf?) {
            self.siblings = siblings
            self.leaf = leaf
        }
    }

    /// What a proof is about.
    package enum Kind: String, Codable, Sendable {
        case document
        case clerk
    }

    package var version: Int
    package var kind: Kind
    package var chain_id: String
    package var genesis_hash: String
    /// The document hash or the clerk's public key, hex.
    package var subject: String
    package var height: UInt64
    /// The record's canonical encoding (docs/PROTOCOL.md, "Records"), hex; absent: not on the ledger.
    package var record: String?
    package var state_proof: Path
    /// The encoded block header (version 2), hex.
    package var block_header: String
    /// The encoded commit of that block, hex.
    package var commit: String
    /// The validator set changes up to `height`, when governance changed the set (absent
    /// otherwise; docs/RECEIPTS.md, "Validator set changes").
    package var validator_sets: [ValidatorSetChange]?

    package init(
        kind: Kind, chainId: ChainID, genesisHash: Hash32, subject: [UInt8], header: BlockHeader, commit: Commit,
        proof: SparseMerkleProof, record: [UInt8]?
    ) {
        version = Self.version
        self.kind = kind
        chain_id = chainId.value
        genesis_hash = genesisHash.hex
        self.subject = Hex.encode(subject)
        height = header.height.rawValue
        self.record = record.map { Hex.encode($0) }
        var leaf: Leaf?
        if case .leaf(let key, let valueHash)? = proof.terminal {
            leaf = Leaf(key: key.hex, value_hash: valueHash.hex)
        }
        state_proof = Path(siblings: proof.siblings.map(\.hex), leaf: leaf)
        block_header = Hex.encode(header.encoded)
        self.commit = Hex.encode(commit.encoded)
    }

    /// The canonical file bytes (compact, sorted keys, one trailing newline): what `JSONEncoder`
    /// with sorted keys and unescaped slashes writes. Written directly when every string is plain
    /// printable ASCII without quote or backslash (every proof a node makes: hex, codes, numbers),
    /// where both writers agree byte for byte (`StateProofTests`); JSONEncoder otherwise. A node
    /// serves thousands of proofs a second, and the encoder was most of the time of each.
    package var canonicalJSON: Data {
        if let bytes = plainCanonicalJSON() { return Data(bytes) }
        return encodedCanonicalJSON
    }

    /// The reference form, by `JSONEncoder`.
    package var encodedCanonicalJSON: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// The canonical bytes written field by field, keys in sorted order; nil when a string needs
    /// escaping.
    package func plainCanonicalJSON() -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(
            256 + block_header.utf8.count + commit.utf8.count + (record?.utf8.count ?? 0)
                + state_proof.siblings.count * 67)
        func plain(_ text: String) -> Bool {
            text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        func string(_ text: String) {
            out.append(UInt8(ascii: "\""))
            out += text.utf8
            out.append(UInt8(ascii: "\""))
        }
        func key(_ name: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out += UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            out += Array("\":".utf8)
        }
        // Set changes are rare: their proofs take the encoder's path.
        guard validator_sets == nil else { return nil }
        let strings =
            [block_header, chain_id, commit, genesis_hash, kind.rawValue, subject] + state_proof.siblings
            + [record, state_proof.leaf?.key, state_proof.leaf?.value_hash].compactMap { $0 }
        guard strings.allSatisfy(plain) else { return nil }
        out.append(UInt8(ascii: "{"))
        key("block_header", first: true)
        string(block_header)
        key("chain_id")
        string(chain_id)
        key("commit")
        string(commit)
        key("genesis_hash")
        string(genesis_hash)
        key("height")
        out += String(height).utf8
        key("kind")
        string(kind.rawValue)
        if let record {
            key("record")
            string(record)
        }
        key("state_proof")
        out.append(UInt8(ascii: "{"))
        if let leaf = state_proof.leaf {
            key("leaf", first: true)
            out.append(UInt8(ascii: "{"))
            key("key", first: true)
            string(leaf.key)
            key("value_hash")
            string(leaf.value_hash)
            out.append(UInt8(ascii: "}"))
            key("siblings")
        } else {
            key("siblings", first: true)
        }
        out.append(UInt8(ascii: "["))
        for (i, sibling) in state_proof.siblings.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(sibling)
        }
        out += Array("]}".utf8)
        key("subject")
        string(subject)
        key("version")
        out += String(version).utf8
        out += Array("}\n".utf8)
        return out
    }

    /// Parses a proof, refusing unknown keys and (with `canonical`) anything but the canonical form.
    package init(json data: Data, canonical: Bool) throws(GovChainError) {
        do {
            self = try JSONDecoder().decode(StateProof.self, from: data)
        } catch {
            throw GovChainError(code: .proofInvalid, message: "The proof is not a GovChain state proof: \(error).")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw GovChainError(code: .proofInvalid, message: "The proof is not a JSON object.")
        }
        let known: Set<String> = [
            "version", "kind", "chain_id", "genesis_hash", "subject", "height", "record", "state_proof",
            "block_header", "commit", "validator_sets",
        ]
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw GovChainError(code: .proofInvalid, message: "The proof has an unknown field \"\(unknown)\".")
        }
        if canonical, data != canonicalJSON {
            throw GovChainError(
                code: .receiptInvalid,
                message: "The receipt is not in canonical form (compact JSON, sorted keys, one trailing newline).")
        }
    }
}

/// What a verified `StateProof` shows, with nothing taken on trust but the genesis.
package struct ProvenState: Sendable, Equatable {
    package enum Record: Sendable, Equatable {
        case document(DocumentRecord)
        case clerk(ClerkRecord)
        case absent
    }

    package var record: Record
    /// The block whose commit proves it, and that block's time (how fresh the proof is).
    package var height: Height
    package var time: Timestamp
    package var blockHash: Hash32
    /// Names of the validators whose signatures the commit carries, their power, and the power
    /// of the set signing that height.
    package var signers: [String] = []
    package var signedPower: UInt64 = 0
    package var totalPower: UInt64 = 0
}

extension StateProof {
    /// Checks everything against `genesis`: the chain and genesis hash, the header (version 2,
    /// the genesis validator set), the commit (more than two thirds of the power, signatures for
    /// this chain), the path to the header's state root, and the record against the leaf.
    package func verify(genesis: Genesis) throws(GovChainError) -> ProvenState {
        func invalid(_ why: String) -> GovChainError {
            GovChainError(code: .proofInvalid, message: "The proof does not hold: \(why).")
        }
        guard version == Self.version else { throw invalid("version \(version) is not a state proof (2)") }
        guard chain_id == genesis.chainId.value, genesis_hash == genesis.hash.hex else {
            throw GovChainError(
                code: .genesisPinMismatch,
                message:
                    "The proof is for chain \"\(chain_id.prefix(64))\" with genesis \(genesis_hash.prefix(16))…, not the pinned \(genesis.chainId) (\(genesis.hash.hex.prefix(16))…)."
            )
        }
        guard let headerBytes = Hex.decode(block_header), let header = try? BlockHeader(decoding: headerBytes) else {
            throw invalid("the block header cannot be decoded")
        }
        guard header.version == BlockHeader.currentVersion else {
            throw invalid("the header is version \(header.version), which carries no state root")
        }
        let validators = try ValidatorSetChain.set(
            at: header.height, changes: validator_sets ?? [], genesis: genesis, code: .proofInvalid)
        guard header.chainId == genesis.chainId, header.validatorsHash == validators.hash else {
            throw invalid(
                "the header is not for this chain's validator set (the genesis set, or the set changes it carries)")
        }
        guard header.height.rawValue == height else { throw invalid("the header is for another height") }
        guard let commitBytes = Hex.decode(commit), let commit = try? Commit(decoding: commitBytes) else {
            throw invalid("the commit cannot be decoded")
        }
        do {
            try commit.verify(
                blockHash: header.hash, height: header.height, validators: validators,
                chainId: genesis.chainId)
        } catch {
            throw invalid("the commit does not sign this header (\(error.message))")
        }
        guard let subjectBytes = Hex.decode(subject) else { throw invalid("the subject is not hex") }
        let key: Hash32
        switch kind {
        case .document:
            guard let hash = Hash32(subjectBytes) else { throw invalid("the subject is not a document hash") }
            key = LedgerStateTree.key(document: hash)
        case .clerk:
            guard let clerk = PublicKey(subjectBytes) else { throw invalid("the subject is not a public key") }
            key = LedgerStateTree.key(clerk: clerk)
        }
        var siblings: [Hash32] = []
        for text in state_proof.siblings {
            guard let hash = Hash32(hex: text) else { throw invalid("a sibling is not a hash") }
            siblings.append(hash)
        }
        var terminal: SparseMerkleTree.Node?
        if let leaf = state_proof.leaf {
            guard let leafKey = Hash32(hex: leaf.key), let valueHash = Hash32(hex: leaf.value_hash) else {
                throw invalid("the leaf is not two hashes")
            }
            terminal = .leaf(key: leafKey, valueHash: valueHash)
        }
        let signed = commit.signatures.compactMap { validators[$0.validator] }
        let proven = ProvenState(
            record: .absent, height: header.height, time: header.time, blockHash: header.hash,
            signers: signed.map(\.name), signedPower: signed.reduce(0) { $0 + $1.power },
            totalPower: validators.totalPower)
        switch SparseMerkleProof(siblings: siblings, terminal: terminal).verify(key: key, root: header.stateRoot) {
        case nil:
            throw invalid("the state path does not lead to the header's state root")
        case .absent:
            guard record == nil else { throw invalid("it shows a record for a key it proves absent") }
            return proven
        case .present(let valueHash):
            guard let text = record, let bytes = Hex.decode(text) else {
                throw invalid("the key is present but the record is missing")
            }
            guard LedgerStateTree.valueHash(bytes) == valueHash else {
                throw invalid("the record is not the one the state tree holds")
            }
            var result = proven
            switch kind {
            case .document:
                guard let record = try? DocumentRecord(decoding: bytes), record.document.bytes == subjectBytes else {
                    throw invalid("the record is not this document's")
                }
                result.record = .document(record)
            case .clerk:
                guard let record = try? ClerkRecord(decoding: bytes), record.key.bytes == subjectBytes else {
                    throw invalid("the record is not this clerk's")
                }
                result.record = .clerk(record)
            }
            return result
        }
    }
}
