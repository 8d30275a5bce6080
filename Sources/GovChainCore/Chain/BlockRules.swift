/// The newest block of a chain, as far as linking the next block needs it.
package struct ChainTip: Hashable, Sendable {
    package var height: Height
    package var hash: Hash32
    package var time: Timestamp
    /// The state root after this block (`BlockHeader.stateRoot`).
    package var stateRoot: Hash32

    package init(height: Height, hash: Hash32, time: Timestamp, stateRoot: Hash32 = .zero) {
        self.height = height
        self.hash = hash
        self.time = time
        self.stateRoot = stateRoot
    }

    package init(_ header: BlockHeader) {
        self.init(height: header.height, hash: header.hash, time: header.time, stateRoot: header.stateRoot)
    }
}

/// The validator sets a block at some height must name: the set that signs it (and proposes it)
/// and the hash of the set that signs its successor. From the state after the parent
/// (`ValidatorSchedule.signers`); the genesis set for a chain that never changed it.
package struct BlockSigners: Hashable, Sendable {
    package var current: ValidatorSet
    package var nextHash: Hash32

    package init(current: ValidatorSet, nextHash: Hash32) {
        self.current = current
        self.nextHash = nextHash
    }

    package init(genesis: ValidatorSet) { self.init(current: genesis, nextHash: genesis.hash) }
}

extension ValidatorSchedule {
    /// What the block after the one this schedule follows must name.
    package var signers: BlockSigners { BlockSigners(current: next, nextHash: afterNext.hash) }
}

/// "Does this block extend that chain?" — the one answer the node (proposal validation, block
/// sync), the store (its append gate) and the simulator share (docs/CONSENSUS.md, "Block time").
///
/// A block extends `tip` (nil: the genesis) when it names this chain and the validator sets in
/// force (`BlockSigners`: the genesis set unless governance changed it), has header version 2, the next height, links to the tip's hash, is within the block limits, and its time
/// lies in `(tip.time, localTime + clockDriftMsMax]` (the lower end is the genesis time for the
/// first block). The upper end is checked only where a local clock is given: a validator judging
/// a proposal or a synced block passes its clock; the store, which only re-checks what was
/// already judged, passes nil. Every sum here is checked, because every field came from outside.
package struct BlockRules: Sendable, Equatable {
    package var chainId: ChainID
    package var validatorsHash: Hash32
    package var validatorCount: Int
    package var genesisTime: Timestamp
    package var blockTxsMax: Int
    package var blockBytesMax: Int
    package var clockDriftMsMax: UInt64

    package init(
        chainId: ChainID, validatorsHash: Hash32, validatorCount: Int, genesisTime: Timestamp,
        blockTxsMax: Int, blockBytesMax: Int, clockDriftMsMax: UInt64
    ) {
        self.chainId = chainId
        self.validatorsHash = validatorsHash
        self.validatorCount = validatorCount
        self.genesisTime = genesisTime
        self.blockTxsMax = blockTxsMax
        self.blockBytesMax = blockBytesMax
        self.clockDriftMsMax = clockDriftMsMax
    }

    package init(genesis: Genesis) {
        self.init(
            chainId: genesis.chainId, validatorsHash: genesis.validators.hash, validatorCount: genesis.validators.count,
            genesisTime: genesis.genesisTime, blockTxsMax: genesis.consensus.blockTxsMax,
            blockBytesMax: genesis.consensus.blockBytesMax, clockDriftMsMax: genesis.consensus.clockDriftMsMax)
    }

    /// Throws why `block` cannot follow `tip`; see the type's documentation for the rules.
    /// `encodedBytes` is the block's encoded size when the caller already knows it.
    /// - Parameter signers: the sets in force at the block's height; nil: the genesis set.
    package func checkExtends(
        _ block: Block, tip: ChainTip?, localTime: Timestamp?, encodedBytes: Int? = nil, signers: BlockSigners? = nil
    ) throws(GovChainError) {
        let header = block.header
        guard header.chainId == chainId else {
            throw GovChainError(
                code: .blockWrongChain,
                message: "Block \(header.height) is for chain \(header.chainId), this ledger is \(chainId).")
        }
        let expected: (partialValue: UInt64, overflow: Bool) =
            tip.map { $0.height.rawValue.addingReportingOverflow(1) } ?? (1, false)
        guard !expected.overflow, header.height.rawValue == expected.partialValue else {
            throw GovChainError(
                code: .blockNotNext,
                message: "Block \(header.height) does not follow the stored chain at height \(tip?.height ?? 0).")
        }
        guard header.previousHash == (tip?.hash ?? .zero) else {
            throw GovChainError(
                code: .blockWrongPrevious,
                message: "Block \(header.height) does not extend the stored chain (previous hash mismatch).")
        }
        guard header.version == BlockHeader.currentVersion else {
            throw GovChainError(
                code: .blockWrongVersion,
                message:
                    "Block \(header.height) has header version \(header.version); new blocks carry version \(BlockHeader.currentVersion)."
            )
        }
        let (currentHash, nextHash) = signers.map { ($0.current.hash, $0.nextHash) } ?? (validatorsHash, validatorsHash)
        guard header.validatorsHash == currentHash, header.nextValidatorsHash == nextHash else {
            throw GovChainError(
                code: .blockWrongValidators,
                message: "Block \(header.height) names a validator set other than the one in force at its height.")
        }
        let proposerKnown =
            signers.map { $0.current[header.proposer] != nil } ?? (Int(header.proposer.rawValue) < validatorCount)
        guard proposerKnown else {
            throw GovChainError(
                code: .blockProposerUnknown,
                message: "Block \(header.height) names proposer #\(header.proposer), which is not a validator.")
        }
        guard block.transactions.count <= blockTxsMax else {
            throw GovChainError(
                code: .blockTooLarge,
                message:
                    "Block \(header.height) holds \(block.transactions.count) transactions; the limit is \(blockTxsMax)."
            )
        }
        let bytes = encodedBytes ?? block.encoded.count
        guard bytes <= blockBytesMax else {
            throw GovChainError(
                code: .blockTooLarge,
                message: "Block \(header.height) is \(bytes) bytes; the limit is \(blockBytesMax).")
        }
        let floor = tip?.time ?? genesisTime
        guard header.time > floor else {
            throw GovChainError(
                code: .blockTimeNotIncreasing,
                message:
                    "Block \(header.height) is dated \(header.time), not later than \(tip == nil ? "the genesis time" : "its parent") (\(floor))."
            )
        }
        if let localTime {
            let (ceiling, overflow) = localTime.rawValue.addingReportingOverflow(clockDriftMsMax)
            guard overflow || header.time.rawValue <= ceiling else {
                throw GovChainError(
                    code: .blockTimeInFuture,
                    message:
                        "Block \(header.height) is dated \(header.time), more than \(clockDriftMsMax) ms after this validator's clock (\(localTime))."
                )
            }
        }
        var seen = Set<Hash32>()
        for evidence in block.evidence {
            // Equivocations from earlier rounds of this very height are evidence too.
            guard evidence.height <= header.height else {
                throw GovChainError(
                    code: .blockEvidenceInvalid,
                    message:
                        "Block \(header.height) carries evidence from height \(evidence.height), which is in the future."
                )
            }
            guard seen.insert(evidence.slot).inserted else {
                throw GovChainError(
                    code: .blockEvidenceInvalid, message: "Block \(header.height) carries the same equivocation twice.")
            }
        }
    }

    /// The time for a block after `tip` made at `localTime`: the local clock, or 1 ms after the
    /// parent when the parent is dated later (it may be, within the drift). Throws instead of
    /// overflowing for a parent dated at the end of time, which `checkExtends` never lets in.
    package func nextTime(after tip: ChainTip?, localTime: Timestamp) throws(GovChainError) -> Timestamp {
        let floor = tip?.time ?? genesisTime
        let (next, overflow) = floor.rawValue.addingReportingOverflow(1)
        guard !overflow else {
            throw GovChainError(
                code: .blockTimeExhausted,
                message: "The parent block is dated at the end of representable time; no later block can exist.")
        }
        return Timestamp(rawValue: max(localTime.rawValue, next))
    }
}

extension DuplicateVoteEvidence {
    /// Identifies the equivocation (validator, height, round, vote type) whatever the pair of
    /// votes: one misbehaviour is recorded once, even if the validator signed three values.
    package var slot: Hash32 {
        var writer = ByteWriter(capacity: 24)
        writer.validatorIndex(first.validator)
        writer.height(first.height)
        writer.round(first.round)
        writer.u8(first.type.rawValue)
        return Hash32.sha256(writer.bytes)
    }
}
