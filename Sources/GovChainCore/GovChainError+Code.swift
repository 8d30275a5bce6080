/// Every error code GovChain reports (style.md #21): a `Code` is a struct over a private enum,
/// so a typo cannot become a new code and each code carries its HTTP status. Every code is
/// listed in docs/PROTOCOL.md, "Error codes" (a test checks it).
extension GovChainError {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, CaseIterable, Sendable {
            case authorityUnknown = "authority_unknown"
            case benchNoClerks = "bench_no_clerks"
            case blockBadTransaction = "block_bad_transaction"
            case blockEvidence = "block_evidence"
            case blockEvidenceInvalid = "block_evidence_invalid"
            case blockLastCommit = "block_last_commit"
            case blockNotNext = "block_not_next"
            case blockProposerUnknown = "block_proposer_unknown"
            case blockStateRoot = "block_state_root"
            case blockTimeExhausted = "block_time_exhausted"
            case blockTimeInFuture = "block_time_in_future"
            case blockTimeNotIncreasing = "block_time_not_increasing"
            case blockTooLarge = "block_too_large"
            case blockTxCount = "block_tx_count"
            case blockTxRoot = "block_tx_root"
            case blockUnknown = "block_unknown"
            case blockWrongChain = "block_wrong_chain"
            case blockWrongPrevious = "block_wrong_previous"
            case blockWrongValidators = "block_wrong_validators"
            case blockWrongVersion = "block_wrong_version"
            case cannotCommitAlone = "cannot_commit_alone"
            case clerkAlreadyRegistered = "clerk_already_registered"
            case clerkAlreadyRevoked = "clerk_already_revoked"
            case clerkKeyIsAuthority = "clerk_key_is_authority"
            case clerkNotRegistered = "clerk_not_registered"
            case clerkRevoked = "clerk_revoked"
            case clerkUnknown = "clerk_unknown"
            case clerkWrongAuthority = "clerk_wrong_authority"
            case commitBadSignature = "commit_bad_signature"
            case commitNoQuorum = "commit_no_quorum"
            case commitTimeout = "commit_timeout"
            case commitUnknownValidator = "commit_unknown_validator"
            case commitWrongBlock = "commit_wrong_block"
            case commitWrongHeight = "commit_wrong_height"
            case configInvalid = "config_invalid"
            case configMissing = "config_missing"
            case configNameMismatch = "config_name_mismatch"
            case configWriteFailed = "config_write_failed"
            case cosignatureRequired = "cosignature_required"
            case cosignerInvalid = "cosigner_invalid"
            case pendingTransactionInvalid = "pending_transaction_invalid"
            case documentAlreadyAnchored = "document_already_anchored"
            case documentAlreadyRevoked = "document_already_revoked"
            case documentAlreadySuperseded = "document_already_superseded"
            case documentTimeImplausible = "document_time_implausible"
            case documentTypeNotAllowed = "document_type_not_allowed"
            case documentTypeNotIssued = "document_type_not_issued"
            case documentUnknown = "document_unknown"
            case effectiveTimeImplausible = "effective_time_implausible"
            case evidenceBadSignature = "evidence_bad_signature"
            case evidenceUnknownValidator = "evidence_unknown_validator"
            case fileExists = "file_exists"
            case fileIsDirectory = "file_is_directory"
            case fileMissing = "file_missing"
            case fileUnreadable = "file_unreadable"
            case fileWriteFailed = "file_write_failed"
            case descriptorLimitLow = "descriptor_limit_low"
            case genesisInvalid = "genesis_invalid"
            case genesisPinMismatch = "genesis_pin_mismatch"
            case genesisUnreadable = "genesis_unreadable"
            case heightUnavailable = "height_unavailable"
            case internalError = "internal_error"
            case invalidArgument = "invalid_argument"
            case invalidHash = "invalid_hash"
            case invalidHeight = "invalid_height"
            case invalidNetworkConfiguration = "invalid_network_configuration"
            case invalidPrivateKey = "invalid_private_key"
            case invalidPublicKey = "invalid_public_key"
            case invalidRequest = "invalid_request"
            case invalidSalt = "invalid_salt"
            case invalidSignature = "invalid_signature"
            case invalidUrl = "invalid_url"
            case keyFilePermissions = "key_file_permissions"
            case keyMissing = "key_missing"
            case listenFailed = "listen_failed"
            case malformedEncoding = "malformed_encoding"
            case malformedTransaction = "malformed_transaction"
            case mempoolFull = "mempool_full"
            case networkAlreadyStarted = "network_already_started"
            case nodeBadAnswer = "node_bad_answer"
            case nodeBusy = "node_busy"
            case rateLimited = "rate_limited"
            case nodeError = "node_error"
            case nodeTimeout = "node_timeout"
            case nodeUnreachable = "node_unreachable"
            case notAValidator = "not_a_validator"
            case notAuthorityKey = "not_authority_key"
            case notFound = "not_found"
            case proofInvalid = "proof_invalid"
            case proofStale = "proof_stale"
            case proposalStale = "proposal_stale"
            case receiptInvalid = "receipt_invalid"
            case receiptUnavailable = "receipt_unavailable"
            case requestTooLarge = "request_too_large"
            case signingStateCorrupt = "signing_state_corrupt"
            case signingStateNotPersisted = "signing_state_not_persisted"
            case simulationOptions = "simulation_options"
            case storageError = "storage_error"
            case storageLocked = "storage_locked"
            case storageOpenFailed = "storage_open_failed"
            case storeCorrupt = "store_corrupt"
            case storeCreateFailed = "store_create_failed"
            case storeNotGovchain = "store_not_govchain"
            case storeRefused = "store_refused"
            case storeSchema = "store_schema"
            case storeWrongChain = "store_wrong_chain"
            case storeWrongGenesis = "store_wrong_genesis"
            case tlsSetupFailed = "tls_setup_failed"
            case transactionAlreadyApplied = "transaction_already_applied"
            case transactionConflict = "transaction_conflict"
            case transactionPending = "transaction_pending"
            case transactionTimeOutsideWindow = "transaction_time_outside_window"
            case transactionUnknown = "transaction_unknown"
            case unsupportedMediaType = "unsupported_media_type"
            case methodNotAllowed = "method_not_allowed"
            case nodeStopping = "node_stopping"
            case governanceNotValidator = "governance_not_validator"
            case proposalUnknown = "proposal_unknown"
            case proposalNotPending = "proposal_not_pending"
            case proposalAlreadyVoted = "proposal_already_voted"
            case proposalExpiryInvalid = "proposal_expiry_invalid"
            case proposalsFull = "proposals_full"
            case governanceActionInvalid = "governance_action_invalid"
            case proposalNotProposer = "proposal_not_proposer"
            case requestTimeout = "request_timeout"
        }

        /// The snake_case code as it appears in JSON and in the docs.
        package let rawValue: String

        fileprivate init(_ value: Value) { rawValue = value.rawValue }

        /// A code read from another node's answer: kept as it came, even if this build does not know it.
        package static func fromServer(_ text: String) -> Code { Code(rawValue: text) }

        private init(rawValue: String) { self.rawValue = rawValue }

        package var description: String { rawValue }

        /// Every code this build can report.
        package static var all: [Code] { Value.allCases.map(Code.init) }

        /// Codes compare with their snake_case text (tests, JSON); they are made only from the statics.
        package static func == (lhs: Code, rhs: String) -> Bool { lhs.rawValue == rhs }
        package static func != (lhs: Code, rhs: String) -> Bool { lhs.rawValue != rhs }

        /// The HTTP status the API answers this code with.
        package var httpStatus: Int {
            guard let value = Value(rawValue: rawValue) else { return 502 }
            switch value {
            case .invalidHash, .invalidHeight, .invalidPublicKey, .invalidRequest, .invalidSalt, .malformedEncoding,
                .malformedTransaction:
                return 400
            case .authorityUnknown, .blockUnknown, .clerkUnknown, .documentUnknown, .notFound, .transactionUnknown,
                .heightUnavailable, .proposalUnknown:
                return 404
            case .clerkAlreadyRegistered, .clerkAlreadyRevoked, .documentAlreadyAnchored, .documentAlreadyRevoked,
                .documentAlreadySuperseded, .transactionAlreadyApplied, .transactionPending, .proposalNotPending,
                .proposalAlreadyVoted:
                return 409
            case .methodNotAllowed: return 405
            case .requestTooLarge: return 413
            case .unsupportedMediaType: return 415
            case .benchNoClerks, .blockBadTransaction, .blockEvidence, .blockEvidenceInvalid, .blockLastCommit,
                .blockNotNext, .blockProposerUnknown, .blockTimeExhausted, .blockTimeInFuture,
                .blockTimeNotIncreasing, .blockTooLarge, .blockTxCount, .blockTxRoot, .blockWrongChain,
                .blockWrongPrevious, .blockWrongValidators, .cannotCommitAlone, .clerkKeyIsAuthority,
                .clerkNotRegistered, .clerkRevoked, .clerkWrongAuthority, .commitBadSignature, .commitNoQuorum,
                .commitUnknownValidator, .commitWrongBlock, .commitWrongHeight, .configInvalid, .configMissing,
                .configNameMismatch, .configWriteFailed, .documentTimeImplausible, .documentTypeNotAllowed,
                .documentTypeNotIssued, .effectiveTimeImplausible, .evidenceBadSignature, .evidenceUnknownValidator,
                .fileExists, .fileIsDirectory, .fileMissing, .fileUnreadable, .fileWriteFailed, .genesisInvalid,
                .genesisUnreadable, .invalidArgument, .invalidNetworkConfiguration, .invalidPrivateKey,
                .invalidSignature, .invalidUrl, .keyFilePermissions, .keyMissing, .listenFailed,
                .networkAlreadyStarted, .nodeBadAnswer, .nodeError, .nodeTimeout, .nodeUnreachable, .notAValidator,
                .notAuthorityKey, .proposalStale, .receiptInvalid, .receiptUnavailable, .signingStateCorrupt,
                .signingStateNotPersisted, .simulationOptions, .storageLocked, .storageOpenFailed,
                .storeCreateFailed, .storeNotGovchain, .storeRefused, .storeSchema, .storeWrongChain,
                .storeWrongGenesis, .tlsSetupFailed, .transactionConflict, .transactionTimeOutsideWindow,
                .blockWrongVersion, .blockStateRoot, .proofInvalid, .proofStale, .genesisPinMismatch,
                .descriptorLimitLow, .governanceNotValidator, .proposalExpiryInvalid, .proposalsFull,
                .governanceActionInvalid, .proposalNotProposer, .cosignatureRequired, .cosignerInvalid,
                .pendingTransactionInvalid:
                return 422
            case .internalError, .storageError, .storeCorrupt: return 500
            case .mempoolFull, .nodeBusy, .nodeStopping: return 503
            case .requestTimeout: return 408
            case .rateLimited: return 429
            case .commitTimeout: return 504
            }
        }
        package static let authorityUnknown = Code(.authorityUnknown)
        package static let benchNoClerks = Code(.benchNoClerks)
        package static let blockBadTransaction = Code(.blockBadTransaction)
        package static let blockEvidence = Code(.blockEvidence)
        package static let blockEvidenceInvalid = Code(.blockEvidenceInvalid)
        package static let blockLastCommit = Code(.blockLastCommit)
        package static let blockNotNext = Code(.blockNotNext)
        package static let blockProposerUnknown = Code(.blockProposerUnknown)
        package static let blockStateRoot = Code(.blockStateRoot)
        package static let blockTimeExhausted = Code(.blockTimeExhausted)
        package static let blockTimeInFuture = Code(.blockTimeInFuture)
        package static let blockTimeNotIncreasing = Code(.blockTimeNotIncreasing)
        package static let blockTooLarge = Code(.blockTooLarge)
        package static let blockTxCount = Code(.blockTxCount)
        package static let blockTxRoot = Code(.blockTxRoot)
        package static let blockUnknown = Code(.blockUnknown)
        package static let blockWrongChain = Code(.blockWrongChain)
        package static let blockWrongPrevious = Code(.blockWrongPrevious)
        package static let blockWrongValidators = Code(.blockWrongValidators)
        package static let blockWrongVersion = Code(.blockWrongVersion)
        package static let cannotCommitAlone = Code(.cannotCommitAlone)
        package static let clerkAlreadyRegistered = Code(.clerkAlreadyRegistered)
        package static let clerkAlreadyRevoked = Code(.clerkAlreadyRevoked)
        package static let clerkKeyIsAuthority = Code(.clerkKeyIsAuthority)
        package static let clerkNotRegistered = Code(.clerkNotRegistered)
        package static let clerkRevoked = Code(.clerkRevoked)
        package static let cosignatureRequired = Code(.cosignatureRequired)
        package static let cosignerInvalid = Code(.cosignerInvalid)
        package static let pendingTransactionInvalid = Code(.pendingTransactionInvalid)
        package static let clerkUnknown = Code(.clerkUnknown)
        package static let clerkWrongAuthority = Code(.clerkWrongAuthority)
        package static let commitBadSignature = Code(.commitBadSignature)
        package static let commitNoQuorum = Code(.commitNoQuorum)
        package static let commitTimeout = Code(.commitTimeout)
        package static let commitUnknownValidator = Code(.commitUnknownValidator)
        package static let commitWrongBlock = Code(.commitWrongBlock)
        package static let commitWrongHeight = Code(.commitWrongHeight)
        package static let configInvalid = Code(.configInvalid)
        package static let configMissing = Code(.configMissing)
        package static let configNameMismatch = Code(.configNameMismatch)
        package static let configWriteFailed = Code(.configWriteFailed)
        package static let documentAlreadyAnchored = Code(.documentAlreadyAnchored)
        package static let documentAlreadyRevoked = Code(.documentAlreadyRevoked)
        package static let documentAlreadySuperseded = Code(.documentAlreadySuperseded)
        package static let documentTimeImplausible = Code(.documentTimeImplausible)
        package static let documentTypeNotAllowed = Code(.documentTypeNotAllowed)
        package static let documentTypeNotIssued = Code(.documentTypeNotIssued)
        package static let documentUnknown = Code(.documentUnknown)
        package static let effectiveTimeImplausible = Code(.effectiveTimeImplausible)
        package static let evidenceBadSignature = Code(.evidenceBadSignature)
        package static let evidenceUnknownValidator = Code(.evidenceUnknownValidator)
        package static let fileExists = Code(.fileExists)
        package static let fileIsDirectory = Code(.fileIsDirectory)
        package static let fileMissing = Code(.fileMissing)
        package static let fileUnreadable = Code(.fileUnreadable)
        package static let fileWriteFailed = Code(.fileWriteFailed)
        package static let genesisInvalid = Code(.genesisInvalid)
        package static let genesisPinMismatch = Code(.genesisPinMismatch)
        package static let genesisUnreadable = Code(.genesisUnreadable)
        package static let heightUnavailable = Code(.heightUnavailable)
        package static let internalError = Code(.internalError)
        package static let invalidArgument = Code(.invalidArgument)
        package static let invalidHash = Code(.invalidHash)
        package static let invalidSalt = Code(.invalidSalt)
        package static let invalidHeight = Code(.invalidHeight)
        package static let invalidNetworkConfiguration = Code(.invalidNetworkConfiguration)
        package static let invalidPrivateKey = Code(.invalidPrivateKey)
        package static let invalidPublicKey = Code(.invalidPublicKey)
        package static let invalidRequest = Code(.invalidRequest)
        package static let invalidSignature = Code(.invalidSignature)
        package static let invalidUrl = Code(.invalidUrl)
        package static let keyFilePermissions = Code(.keyFilePermissions)
        package static let keyMissing = Code(.keyMissing)
        package static let listenFailed = Code(.listenFailed)
        package static let malformedEncoding = Code(.malformedEncoding)
        package static let malformedTransaction = Code(.malformedTransaction)
        package static let mempoolFull = Code(.mempoolFull)
        package static let descriptorLimitLow = Code(.descriptorLimitLow)
        package static let nodeBusy = Code(.nodeBusy)
        package static let rateLimited = Code(.rateLimited)
        package static let nodeStopping = Code(.nodeStopping)
        package static let governanceNotValidator = Code(.governanceNotValidator)
        package static let proposalUnknown = Code(.proposalUnknown)
        package static let proposalNotPending = Code(.proposalNotPending)
        package static let proposalAlreadyVoted = Code(.proposalAlreadyVoted)
        package static let proposalExpiryInvalid = Code(.proposalExpiryInvalid)
        package static let proposalsFull = Code(.proposalsFull)
        package static let governanceActionInvalid = Code(.governanceActionInvalid)
        package static let proposalNotProposer = Code(.proposalNotProposer)
        package static let requestTimeout = Code(.requestTimeout)
        package static let networkAlreadyStarted = Code(.networkAlreadyStarted)
        package static let nodeBadAnswer = Code(.nodeBadAnswer)
        package static let nodeError = Code(.nodeError)
        package static let nodeTimeout = Code(.nodeTimeout)
        package static let nodeUnreachable = Code(.nodeUnreachable)
        package static let notAValidator = Code(.notAValidator)
        package static let notAuthorityKey = Code(.notAuthorityKey)
        package static let notFound = Code(.notFound)
        package static let proofInvalid = Code(.proofInvalid)
        package static let proofStale = Code(.proofStale)
        package static let proposalStale = Code(.proposalStale)
        package static let receiptInvalid = Code(.receiptInvalid)
        package static let receiptUnavailable = Code(.receiptUnavailable)
        package static let requestTooLarge = Code(.requestTooLarge)
        package static let signingStateCorrupt = Code(.signingStateCorrupt)
        package static let signingStateNotPersisted = Code(.signingStateNotPersisted)
        package static let simulationOptions = Code(.simulationOptions)
        package static let storageError = Code(.storageError)
        package static let storageLocked = Code(.storageLocked)
        package static let storageOpenFailed = Code(.storageOpenFailed)
        package static let storeCorrupt = Code(.storeCorrupt)
        package static let storeCreateFailed = Code(.storeCreateFailed)
        package static let storeNotGovchain = Code(.storeNotGovchain)
        package static let storeRefused = Code(.storeRefused)
        package static let storeSchema = Code(.storeSchema)
        package static let storeWrongChain = Code(.storeWrongChain)
        package static let storeWrongGenesis = Code(.storeWrongGenesis)
        package static let tlsSetupFailed = Code(.tlsSetupFailed)
        package static let transactionAlreadyApplied = Code(.transactionAlreadyApplied)
        package static let transactionConflict = Code(.transactionConflict)
        package static let transactionPending = Code(.transactionPending)
        package static let transactionTimeOutsideWindow = Code(.transactionTimeOutsideWindow)
        package static let transactionUnknown = Code(.transactionUnknown)
        package static let unsupportedMediaType = Code(.unsupportedMediaType)
        package static let methodNotAllowed = Code(.methodNotAllowed)
    }
}

/// `error?.code == "document_unknown"`: optional codes compare with text too.
package func == (lhs: GovChainError.Code?, rhs: String) -> Bool { lhs?.rawValue == rhs }
package func != (lhs: GovChainError.Code?, rhs: String) -> Bool { lhs?.rawValue != rhs }
