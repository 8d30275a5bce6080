/// Every error code GovChain reports (style.md #21): a `Code` is a struct over a private enum,
/// so a typo cannot become a new code and each code carries its HTTP status. Every code is
/// listed in docs/PROTOCOL.md, "Error codes" (a test checks it).
extension GovChainError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, CaseIterable, Sendable {
            case authorityUnknown = "authority_unknown"
            case benchNoClerks = "bench_no_clerks"
            case blockBadTransaction = "block_bad_transaction"
            case blockEvidence = "block_evidence"
            case blockEvidenceInvalid = "block_evidence_invalid"
            case blockLastCommit = "block_last_commit"
            case blockNotNext = "block_not_next"
            case blockProposerUnknown = "block_proposer_unknown"
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
            case genesisInvalid = "genesis_invalid"
            case genesisUnreadable = "genesis_unreadable"
            case internalError = "internal_error"
            case invalidArgument = "invalid_argument"
            case invalidHash = "invalid_hash"
            case invalidHeight = "invalid_height"
            case invalidNetworkConfiguration = "invalid_network_configuration"
            case invalidPrivateKey = "invalid_private_key"
            case invalidPublicKey = "invalid_public_key"
            case invalidRequest = "invalid_request"
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
            case nodeError = "node_error"
            case nodeTimeout = "node_timeout"
            case nodeUnreachable = "node_unreachable"
            case notAValidator = "not_a_validator"
            case notAuthorityKey = "not_authority_key"
            case notFound = "not_found"
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
        }

        /// The snake_case code as it appears in JSON and in the docs.
        public let rawValue: String

        fileprivate init(_ value: Value) { rawValue = value.rawValue }

        /// A code read from another node's answer: kept as it came, even if this build does not know it.
        public static func fromServer(_ text: String) -> Code { Code(rawValue: text) }

        private init(rawValue: String) { self.rawValue = rawValue }

        public var description: String { rawValue }

        /// Every code this build can report.
        public static var all: [Code] { Value.allCases.map(Code.init) }

        /// Codes compare with their snake_case text (tests, JSON); they are made only from the statics.
        public static func == (lhs: Code, rhs: String) -> Bool { lhs.rawValue == rhs }
        public static func != (lhs: Code, rhs: String) -> Bool { lhs.rawValue != rhs }

        /// The HTTP status the API answers this code with.
        public var httpStatus: Int {
            guard let value = Value(rawValue: rawValue) else { return 502 }
            switch value {
            case .invalidHash, .invalidHeight, .invalidPublicKey, .invalidRequest, .malformedEncoding,
                .malformedTransaction:
                return 400
            case .authorityUnknown, .blockUnknown, .clerkUnknown, .documentUnknown, .notFound, .transactionUnknown:
                return 404
            case .clerkAlreadyRegistered, .clerkAlreadyRevoked, .documentAlreadyAnchored, .documentAlreadyRevoked,
                .documentAlreadySuperseded, .transactionAlreadyApplied, .transactionPending:
                return 409
            case .requestTooLarge: return 413
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
                .storeWrongGenesis, .tlsSetupFailed, .transactionConflict, .transactionTimeOutsideWindow:
                return 422
            case .internalError, .storageError, .storeCorrupt: return 500
            case .mempoolFull: return 503
            case .commitTimeout: return 504
            }
        }
        public static let authorityUnknown = Code(.authorityUnknown)
        public static let benchNoClerks = Code(.benchNoClerks)
        public static let blockBadTransaction = Code(.blockBadTransaction)
        public static let blockEvidence = Code(.blockEvidence)
        public static let blockEvidenceInvalid = Code(.blockEvidenceInvalid)
        public static let blockLastCommit = Code(.blockLastCommit)
        public static let blockNotNext = Code(.blockNotNext)
        public static let blockProposerUnknown = Code(.blockProposerUnknown)
        public static let blockTimeExhausted = Code(.blockTimeExhausted)
        public static let blockTimeInFuture = Code(.blockTimeInFuture)
        public static let blockTimeNotIncreasing = Code(.blockTimeNotIncreasing)
        public static let blockTooLarge = Code(.blockTooLarge)
        public static let blockTxCount = Code(.blockTxCount)
        public static let blockTxRoot = Code(.blockTxRoot)
        public static let blockUnknown = Code(.blockUnknown)
        public static let blockWrongChain = Code(.blockWrongChain)
        public static let blockWrongPrevious = Code(.blockWrongPrevious)
        public static let blockWrongValidators = Code(.blockWrongValidators)
        public static let cannotCommitAlone = Code(.cannotCommitAlone)
        public static let clerkAlreadyRegistered = Code(.clerkAlreadyRegistered)
        public static let clerkAlreadyRevoked = Code(.clerkAlreadyRevoked)
        public static let clerkKeyIsAuthority = Code(.clerkKeyIsAuthority)
        public static let clerkNotRegistered = Code(.clerkNotRegistered)
        public static let clerkRevoked = Code(.clerkRevoked)
        public static let clerkUnknown = Code(.clerkUnknown)
        public static let clerkWrongAuthority = Code(.clerkWrongAuthority)
        public static let commitBadSignature = Code(.commitBadSignature)
        public static let commitNoQuorum = Code(.commitNoQuorum)
        public static let commitTimeout = Code(.commitTimeout)
        public static let commitUnknownValidator = Code(.commitUnknownValidator)
        public static let commitWrongBlock = Code(.commitWrongBlock)
        public static let commitWrongHeight = Code(.commitWrongHeight)
        public static let configInvalid = Code(.configInvalid)
        public static let configMissing = Code(.configMissing)
        public static let configNameMismatch = Code(.configNameMismatch)
        public static let configWriteFailed = Code(.configWriteFailed)
        public static let documentAlreadyAnchored = Code(.documentAlreadyAnchored)
        public static let documentAlreadyRevoked = Code(.documentAlreadyRevoked)
        public static let documentAlreadySuperseded = Code(.documentAlreadySuperseded)
        public static let documentTimeImplausible = Code(.documentTimeImplausible)
        public static let documentTypeNotAllowed = Code(.documentTypeNotAllowed)
        public static let documentTypeNotIssued = Code(.documentTypeNotIssued)
        public static let documentUnknown = Code(.documentUnknown)
        public static let effectiveTimeImplausible = Code(.effectiveTimeImplausible)
        public static let evidenceBadSignature = Code(.evidenceBadSignature)
        public static let evidenceUnknownValidator = Code(.evidenceUnknownValidator)
        public static let fileExists = Code(.fileExists)
        public static let fileIsDirectory = Code(.fileIsDirectory)
        public static let fileMissing = Code(.fileMissing)
        public static let fileUnreadable = Code(.fileUnreadable)
        public static let fileWriteFailed = Code(.fileWriteFailed)
        public static let genesisInvalid = Code(.genesisInvalid)
        public static let genesisUnreadable = Code(.genesisUnreadable)
        public static let internalError = Code(.internalError)
        public static let invalidArgument = Code(.invalidArgument)
        public static let invalidHash = Code(.invalidHash)
        public static let invalidHeight = Code(.invalidHeight)
        public static let invalidNetworkConfiguration = Code(.invalidNetworkConfiguration)
        public static let invalidPrivateKey = Code(.invalidPrivateKey)
        public static let invalidPublicKey = Code(.invalidPublicKey)
        public static let invalidRequest = Code(.invalidRequest)
        public static let invalidSignature = Code(.invalidSignature)
        public static let invalidUrl = Code(.invalidUrl)
        public static let keyFilePermissions = Code(.keyFilePermissions)
        public static let keyMissing = Code(.keyMissing)
        public static let listenFailed = Code(.listenFailed)
        public static let malformedEncoding = Code(.malformedEncoding)
        public static let malformedTransaction = Code(.malformedTransaction)
        public static let mempoolFull = Code(.mempoolFull)
        public static let networkAlreadyStarted = Code(.networkAlreadyStarted)
        public static let nodeBadAnswer = Code(.nodeBadAnswer)
        public static let nodeError = Code(.nodeError)
        public static let nodeTimeout = Code(.nodeTimeout)
        public static let nodeUnreachable = Code(.nodeUnreachable)
        public static let notAValidator = Code(.notAValidator)
        public static let notAuthorityKey = Code(.notAuthorityKey)
        public static let notFound = Code(.notFound)
        public static let proposalStale = Code(.proposalStale)
        public static let receiptInvalid = Code(.receiptInvalid)
        public static let receiptUnavailable = Code(.receiptUnavailable)
        public static let requestTooLarge = Code(.requestTooLarge)
        public static let signingStateCorrupt = Code(.signingStateCorrupt)
        public static let signingStateNotPersisted = Code(.signingStateNotPersisted)
        public static let simulationOptions = Code(.simulationOptions)
        public static let storageError = Code(.storageError)
        public static let storageLocked = Code(.storageLocked)
        public static let storageOpenFailed = Code(.storageOpenFailed)
        public static let storeCorrupt = Code(.storeCorrupt)
        public static let storeCreateFailed = Code(.storeCreateFailed)
        public static let storeNotGovchain = Code(.storeNotGovchain)
        public static let storeRefused = Code(.storeRefused)
        public static let storeSchema = Code(.storeSchema)
        public static let storeWrongChain = Code(.storeWrongChain)
        public static let storeWrongGenesis = Code(.storeWrongGenesis)
        public static let tlsSetupFailed = Code(.tlsSetupFailed)
        public static let transactionAlreadyApplied = Code(.transactionAlreadyApplied)
        public static let transactionConflict = Code(.transactionConflict)
        public static let transactionPending = Code(.transactionPending)
        public static let transactionTimeOutsideWindow = Code(.transactionTimeOutsideWindow)
        public static let transactionUnknown = Code(.transactionUnknown)
    }
}

/// `error?.code == "document_unknown"`: optional codes compare with text too.
public func == (lhs: GovChainError.Code?, rhs: String) -> Bool { lhs?.rawValue == rhs }
public func != (lhs: GovChainError.Code?, rhs: String) -> Bool { lhs?.rawValue != rhs }
