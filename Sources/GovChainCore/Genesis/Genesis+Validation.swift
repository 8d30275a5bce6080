import Foundation

extension Genesis {
    /// Validates every field of a decoded file and names the first that is wrong.
    package init(validating file: GenesisFile) throws(GovChainError) {
        func fail(_ field: String, _ problem: String) -> GovChainError {
            GovChainError(code: .genesisInvalid, message: "genesis field \(field): \(problem)")
        }
        func key(_ text: String?, _ field: String) throws(GovChainError) -> PublicKey {
            guard let text else { throw fail(field, "is missing") }
            guard let key = PublicKey(hex: text) else {
                throw fail(field, "must be 64 hex characters of an Ed25519 public key")
            }
            return key
        }
        func codes(_ list: [String]?, _ field: String) throws(GovChainError) -> [Code] {
            guard let list, !list.isEmpty else { throw fail(field, "must list at least one document type") }
            var result: [Code] = []
            for (i, text) in list.enumerated() {
                guard let code = Code(text) else {
                    throw fail("\(field)[\(i)]", "\"\(text)\" must use only a-z, 0-9 and '-', 1 to 32 characters")
                }
                result.append(code)
            }
            return result
        }

        guard let chainText = file.chain_id else { throw fail("chain_id", "is missing") }
        guard let chainId = ChainID(chainText) else {
            throw fail("chain_id", "\"\(chainText)\" must use only a-z, 0-9 and '-', 1 to 50 characters")
        }
        guard let timeText = file.genesis_time else { throw fail("genesis_time", "is missing") }
        guard let genesisTime = Timestamp(rfc3339: timeText) else {
            throw fail("genesis_time", "\"\(timeText)\" is not an RFC 3339 time such as 2026-11-21T00:00:00Z")
        }

        guard let validatorEntries = file.validators, !validatorEntries.isEmpty else {
            throw fail("validators", "must list at least one validator")
        }
        guard validatorEntries.count <= ValidatorSet.countMax else {
            throw fail("validators", "at most \(ValidatorSet.countMax) are allowed")
        }
        var validators: [Validator] = []
        for (i, entry) in validatorEntries.enumerated() {
            let field = "validators[\(i)]"
            guard let name = entry.name, !name.isEmpty, name.utf8.count <= 64 else {
                throw fail("\(field).name", "must be 1 to 64 bytes of UTF-8")
            }
            let publicKey = try key(entry.public_key, "\(field).public_key")
            guard !validators.contains(where: { $0.publicKey == publicKey }) else {
                throw fail("\(field).public_key", "is the same key as another validator")
            }
            guard !validators.contains(where: { $0.name == name }) else {
                throw fail("\(field).name", "\"\(name)\" is used twice")
            }
            guard let address = entry.peer_address, Self.isHostPort(address) else {
                throw fail("\(field).peer_address", "must be host:port, e.g. 127.0.0.1:26656")
            }
            guard let power = entry.power, power >= 1,
                power <= ValidatorSet.totalPowerMax / UInt64(ValidatorSet.countMax)
            else {
                throw fail(
                    "\(field).power",
                    "must be a whole number from 1 to \(ValidatorSet.totalPowerMax / UInt64(ValidatorSet.countMax))")
            }
            validators.append(Validator(name: name, publicKey: publicKey, peerAddress: address, power: power))
        }

        guard let authorityEntries = file.authorities, !authorityEntries.isEmpty else {
            throw fail("authorities", "must list at least one authority")
        }
        var authorities: [Authority] = []
        for (i, entry) in authorityEntries.enumerated() {
            let field = "authorities[\(i)]"
            guard let idText = entry.id, let id = Code(idText) else {
                throw fail("\(field).id", "must use only a-z, 0-9 and '-', 1 to 32 characters")
            }
            guard !authorities.contains(where: { $0.id == id }) else {
                throw fail("\(field).id", "\"\(id)\" is used twice")
            }
            guard let name = entry.name, !name.isEmpty, name.utf8.count <= 200 else {
                throw fail("\(field).name", "must be 1 to 200 bytes of UTF-8")
            }
            let publicKey = try key(entry.public_key, "\(field).public_key")
            guard !authorities.contains(where: { $0.publicKey == publicKey }) else {
                throw fail("\(field).public_key", "is the same key as another authority")
            }
            let types = try codes(entry.document_types, "\(field).document_types")
            var salted: [Code] = []
            if let list = entry.salted_document_types, !list.isEmpty {
                salted = try codes(list, "\(field).salted_document_types")
            }
            for type in salted where !types.contains(type) {
                throw fail(
                    "\(field).salted_document_types", "\"\(type)\" is not one of this authority's document_types")
            }
            authorities.append(
                Authority(
                    id: id, name: name, publicKey: publicKey, documentTypes: Set(types),
                    saltedDocumentTypes: Set(salted)))
        }

        var clerks: [InitialClerk] = []
        for (i, entry) in (file.initial_clerks ?? []).enumerated() {
            let field = "initial_clerks[\(i)]"
            guard let idText = entry.authority, let id = Code(idText),
                let authority = authorities.first(where: { $0.id == id })
            else {
                throw fail("\(field).authority", "must be the id of an authority listed in this genesis")
            }
            let publicKey = try key(entry.public_key, "\(field).public_key")
            guard !clerks.contains(where: { $0.publicKey == publicKey }) else {
                throw fail("\(field).public_key", "is registered twice")
            }
            guard !authorities.contains(where: { $0.publicKey == publicKey }) else {
                throw fail("\(field).public_key", "is an authority key; clerks need keys of their own")
            }
            let types = try codes(entry.document_types, "\(field).document_types")
            guard types.count <= TransactionBody.RegisterClerk.documentTypesMax else {
                throw fail("\(field).document_types", "at most \(TransactionBody.RegisterClerk.documentTypesMax)")
            }
            for type in types where !authority.documentTypes.contains(type) {
                throw fail("\(field).document_types", "\(authority.id) does not issue \"\(type)\"")
            }
            clerks.append(InitialClerk(authority: id, publicKey: publicKey, documentTypes: Array(Set(types)).sorted()))
        }

        var parameters = ConsensusParameters()
        if let c = file.consensus {
            if let v = c.max_block_txs {
                guard (1...Block.transactionsMax).contains(v) else {
                    throw fail("consensus.max_block_txs", "must be 1 to \(Block.transactionsMax)")
                }
                parameters.blockTxsMax = v
            }
            if let v = c.max_block_bytes {
                guard (4096...ConsensusParameters.blockBytesLimit).contains(v) else {
                    throw fail(
                        "consensus.max_block_bytes",
                        "must be 4096 to \(ConsensusParameters.blockBytesLimit) (a full block must fit in one 8 MiB peer frame)"
                    )
                }
                parameters.blockBytesMax = v
            }
            for (name, value) in [
                ("timeout_propose_ms", c.timeout_propose_ms), ("timeout_prevote_ms", c.timeout_prevote_ms),
                ("timeout_precommit_ms", c.timeout_precommit_ms), ("timeout_delta_ms", c.timeout_delta_ms),
            ] {
                if let value, !(1...600_000).contains(value) {
                    throw fail("consensus.\(name)", "must be 1 to 600000 milliseconds")
                }
            }
            parameters.timeoutProposeMs = c.timeout_propose_ms ?? parameters.timeoutProposeMs
            parameters.timeoutPrevoteMs = c.timeout_prevote_ms ?? parameters.timeoutPrevoteMs
            parameters.timeoutPrecommitMs = c.timeout_precommit_ms ?? parameters.timeoutPrecommitMs
            parameters.timeoutDeltaMs = c.timeout_delta_ms ?? parameters.timeoutDeltaMs
            if let v = c.empty_block_interval_ms {
                guard v <= 86_400_000 else {
                    throw fail("consensus.empty_block_interval_ms", "must be 0 (off) to 86400000")
                }
                parameters.emptyBlockIntervalMs = v
            }
            if let v = c.max_clock_drift_ms {
                guard (100...600_000).contains(v) else {
                    throw fail("consensus.max_clock_drift_ms", "must be 100 to 600000 milliseconds")
                }
                parameters.clockDriftMsMax = v
            }
            if let v = c.tx_time_window_ms {
                guard (60_000...(30 * 86_400_000)).contains(v) else {
                    throw fail("consensus.tx_time_window_ms", "must be 60000 (1 minute) to 2592000000 (30 days)")
                }
                parameters.txTimeWindowMs = v
            }
        }

        self.init(
            chainId: chainId, genesisTime: genesisTime, consensus: parameters, validators: ValidatorSet(validators),
            authorities: authorities, initialClerks: clerks)
    }

    init(
        chainId: ChainID, genesisTime: Timestamp, consensus: ConsensusParameters, validators: ValidatorSet,
        authorities: [Authority], initialClerks: [InitialClerk]
    ) {
        self.chainId = chainId
        self.genesisTime = genesisTime
        self.consensus = consensus
        self.validators = validators
        self.authorities = authorities
        self.initialClerks = initialClerks
        hash = Self.fingerprint(
            chainId: chainId, genesisTime: genesisTime, consensus: consensus, validators: validators,
            authorities: authorities, initialClerks: initialClerks)
    }

    /// Canonical bytes of the genesis content (docs/PROTOCOL.md, "Genesis hash"); names are UTF-8.
    static func fingerprint(
        chainId: ChainID, genesisTime: Timestamp, consensus: ConsensusParameters, validators: ValidatorSet,
        authorities: [Authority], initialClerks: [InitialClerk]
    ) -> Hash32 {
        var w = ByteWriter(capacity: 2048)
        w.shortBytes(Array("govchain/genesis/v2".utf8))
        w.chainID(chainId)
        w.timestamp(genesisTime)
        w.u32(UInt32(consensus.blockTxsMax))
        w.u32(UInt32(consensus.blockBytesMax))
        for value in [
            consensus.timeoutProposeMs, consensus.timeoutPrevoteMs, consensus.timeoutPrecommitMs,
            consensus.timeoutDeltaMs, consensus.emptyBlockIntervalMs,
            consensus.clockDriftMsMax, consensus.txTimeWindowMs,
        ] { w.u64(value) }
        w.list(validators.validators) { w, v in
            w.shortBytes(Array(v.name.utf8))
            w.publicKey(v.publicKey)
            w.shortBytes(Array(v.peerAddress.utf8))
            w.u64(v.power)
        }
        w.list(authorities) { w, a in
            w.code(a.id)
            w.shortBytes(Array(a.name.utf8))
            w.publicKey(a.publicKey)
            w.list(a.documentTypes.sorted()) { $0.code($1) }
        }
        w.list(initialClerks) { w, c in
            w.code(c.authority)
            w.publicKey(c.publicKey)
            w.list(c.documentTypes) { $0.code($1) }
        }
        // Salted types came later: appended only when some authority has them, so every genesis
        // without them (and every receipt citing it) keeps its hash. The encoding before is
        // self-delimiting, so the trailer cannot make two different genesis files collide.
        let salted = authorities.filter { !$0.saltedDocumentTypes.isEmpty }
        if !salted.isEmpty {
            w.list(salted) { w, a in
                w.code(a.id)
                w.list(a.saltedDocumentTypes.sorted()) { $0.code($1) }
            }
        }
        return Hash32.sha256(w.bytes)
    }

    package static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
            text[text.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = UInt16(text[text.index(after: colon)...]), port > 0
        else { return false }
        return text.utf8.count <= 253
    }
}
