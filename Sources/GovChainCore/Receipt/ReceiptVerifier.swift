/// Checks a receipt against a genesis, offline: every signature, every proof, the commit's voting
/// power, and the clerk's authorisation chain (docs/RECEIPTS.md, "Verification algorithm").
/// Pure: no network, no clock (`now` only decides "expired").
package struct ReceiptVerifier: Sendable {
    /// What a valid receipt proves.
    package struct Proven: Sendable, Equatable {
        package var document: Hash32
        package var documentType: Code
        package var authority: Genesis.Authority
        package var clerk: PublicKey
        package var height: Height
        package var blockTime: Timestamp
        package var validFrom: Timestamp?
        package var validUntil: Timestamp?
        /// Names of the validators whose precommits finalised the block.
        package var signers: [String]
        package var signedPower: UInt64
        /// The power of the set that signed the block.
        package var totalPower: UInt64
        /// Nil for a clerk listed in the genesis; else the height of its registration.
        package var clerkRegisteredAt: Height?
    }

    package let genesis: Genesis

    package init(genesis: Genesis) { self.genesis = genesis }

    /// Verifies `receipt`; `documentHash`, when given (e.g. from a file), must be the receipt's document.
    package func verify(_ receipt: Receipt, documentHash: Hash32? = nil) throws(GovChainError) -> Proven {
        guard receipt.chain_id == genesis.chainId.value else {
            throw Receipt.invalid("receipt is for chain \(receipt.chain_id), genesis is for chain \(genesis.chainId)")
        }
        guard receipt.genesis_hash == genesis.hash.hex else {
            throw Receipt.invalid(
                "receipt was made for a different genesis of chain \(genesis.chainId) (genesis hash differs)")
        }
        let document = try hash(receipt.document, "the document hash")
        if let documentHash, documentHash != document {
            throw Receipt.invalid(
                "the file's SHA-256 (\(documentHash.hex)) is not the document this receipt is for (\(document.hex))")
        }
        let changes = receipt.validator_sets ?? []
        let (transaction, header, commit, validators) = try included(receipt.anchor, what: "anchor", changes: changes)
        // Only plain anchors carry a receipt in version 1: a supersede transaction anchors its new
        // document with the old one's type and authority, which a receipt cannot see.
        guard case .anchorDocument(let anchored) = transaction.body else {
            throw Receipt.invalid("the receipt's transaction does not anchor a document")
        }
        guard transaction.cosignature == nil else {
            throw Receipt.invalid(
                "the receipt's anchor is co-signed (four eyes), which a version-1 receipt cannot prove; use a status receipt (version 2)"
            )
        }
        guard anchored.document == document else {
            throw Receipt.invalid("the receipt's transaction anchors \(anchored.document.hex), not \(document.hex)")
        }
        let clerkRegisteredAt = try checkClerk(
            receipt.clerk_authorisation, clerk: transaction.signer, authority: anchored.authority,
            documentType: anchored.documentType, anchorHeight: header.height, anchorIndex: receipt.anchor.tx_index,
            changes: changes)
        guard let authority = genesis.authority(anchored.authority) else {
            throw Receipt.invalid("authority \(anchored.authority) is not listed in the genesis")
        }
        let signers = commit.signatures.compactMap { validators[$0.validator] }
        return Proven(
            document: document, documentType: anchored.documentType, authority: authority, clerk: transaction.signer,
            height: header.height, blockTime: header.time, validFrom: anchored.validFrom,
            validUntil: anchored.validUntil,
            signers: signers.map(\.name), signedPower: signers.reduce(0) { $0 + $1.power },
            totalPower: validators.totalPower,
            clerkRegisteredAt: clerkRegisteredAt)
    }

    // MARK: - Steps

    /// Decodes and checks one proven transaction: header of this chain and validator set, commit
    /// with > 2/3 power, transaction signature, inclusion proof up to txRoot. Returns the set
    /// that signed the block too.
    func included(
        _ inclusion: Receipt.Inclusion, what: String, changes: [ValidatorSetChange] = []
    ) throws(GovChainError) -> (Transaction, BlockHeader, Commit, ValidatorSet) {
        let header: BlockHeader
        let headerBytes = try bytes(inclusion.block_header, "the \(what) block header")
        do { header = try BlockHeader(decoding: headerBytes) } catch {
            throw Receipt.invalid("the \(what) block header cannot be decoded: \(error)")
        }
        guard header.chainId == genesis.chainId else {
            throw Receipt.invalid(
                "the \(what) block header is for chain \(header.chainId), genesis is for chain \(genesis.chainId)")
        }
        // The genesis set, or the set the receipt's chain of set changes proves for this height.
        let validators = try ValidatorSetChain.set(at: header.height, changes: changes, genesis: genesis)
        guard header.validatorsHash == validators.hash else {
            throw Receipt.invalid(
                "the \(what) block names a validator set other than the one proven for height \(header.height) (the genesis set, or the set changes the receipt carries)"
            )
        }
        let commit: Commit
        let commitBytes = try bytes(inclusion.commit, "the \(what) commit")
        do { commit = try Commit(decoding: commitBytes) } catch {
            throw Receipt.invalid("the \(what) commit cannot be decoded: \(error)")
        }
        do {
            try commit.verify(
                blockHash: header.hash, height: header.height, validators: validators, chainId: genesis.chainId)
        } catch {
            throw Receipt.invalid("\(what) block \(header.height): \(error.message)")
        }
        let transaction: Transaction
        let encoded = try bytes(inclusion.transaction, "the \(what) transaction")
        do { transaction = try Transaction(decoding: encoded) } catch {
            throw Receipt.invalid("the \(what) transaction cannot be decoded: \(error)")
        }
        guard transaction.hasValidSignature(chainId: genesis.chainId) else {
            throw Receipt.invalid("the \(what) transaction's signature is invalid")
        }
        var proof: [Hash32] = []
        for (i, text) in inclusion.proof.enumerated() {
            proof.append(try hash(text, "proof entry \(i) of the \(what)"))
        }
        guard
            MerkleTree.verifyInclusion(
                leafHash: MerkleTree.leafHash(encoded), index: UInt64(inclusion.tx_index),
                treeSize: UInt64(header.txCount), proof: proof, root: header.txRoot)
        else {
            throw Receipt.invalid("the \(what) inclusion proof does not reach the block's txRoot")
        }
        return (transaction, header, commit, validators)
    }

    /// The clerk was authorised for this authority and type by the genesis or by a registration
    /// that the authority signed and that was committed before the anchor.
    func checkClerk(
        _ authorisation: Receipt.ClerkAuthorisation, clerk: PublicKey, authority: Code, documentType: Code,
        anchorHeight: Height, anchorIndex: UInt32, changes: [ValidatorSetChange] = []
    ) throws(GovChainError) -> Height? {
        switch authorisation.kind {
        case "genesis":
            guard authorisation.registration == nil else {
                throw Receipt.invalid("a genesis clerk authorisation carries no registration")
            }
            guard let entry = genesis.initialClerks.first(where: { $0.publicKey == clerk }) else {
                throw Receipt.invalid("the clerk key \(clerk.hex.prefix(16))… is not an initial clerk in the genesis")
            }
            guard entry.authority == authority, entry.documentTypes.contains(documentType) else {
                throw Receipt.invalid(
                    "the genesis authorises this clerk for \(entry.authority) (\(entry.documentTypes.map(\.value).joined(separator: ", "))), not for \(documentType) of \(authority)"
                )
            }
            return nil
        case "registration":
            guard let registration = authorisation.registration else {
                throw Receipt.invalid("the clerk registration is missing")
            }
            let (transaction, header, _, _) = try included(registration, what: "clerk registration", changes: changes)
            guard case .registerClerk(let body) = transaction.body, body.clerk == clerk else {
                throw Receipt.invalid("the clerk registration does not register the key that signed the anchor")
            }
            guard let owner = genesis.authority(body.authority), owner.publicKey == transaction.signer else {
                throw Receipt.invalid(
                    "the clerk registration is not signed by the authority key of \(body.authority) in the genesis")
            }
            guard body.authority == authority, body.documentTypes.contains(documentType) else {
                throw Receipt.invalid(
                    "the clerk is registered for \(body.authority) (\(body.documentTypes.map(\.value).joined(separator: ", "))), not for \(documentType) of \(authority)"
                )
            }
            guard header.height < anchorHeight || (header.height == anchorHeight && registration.tx_index < anchorIndex)
            else {
                throw Receipt.invalid("the clerk registration comes after the anchor")
            }
            return header.height
        default:
            throw Receipt.invalid("unknown clerk authorisation kind \"\(authorisation.kind)\"")
        }
    }

    private func bytes(_ text: String, _ what: String) throws(GovChainError) -> [UInt8] {
        guard text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }), let bytes = Hex.decode(text)
        else {
            throw Receipt.invalid("\(what) is not lower-case hex")
        }
        return bytes
    }

    private func hash(_ text: String, _ what: String) throws(GovChainError) -> Hash32 {
        guard let hash = Hash32(try bytes(text, what)) else { throw Receipt.invalid("\(what) is not a 32-byte hash") }
        return hash
    }
}
