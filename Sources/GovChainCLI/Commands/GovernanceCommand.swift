import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

/// `govchain governance …` and `govchain validators` (docs/GOVERNANCE.md): validators propose,
/// approve, reject and withdraw changes of the validator set and of the authorities.
struct GovernanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "governance",
        abstract: "Propose and vote on changes of the validator set and the authorities (signed with a validator key).",
        subcommands: [Propose.self, Approve.self, Reject.self, Withdraw.self, List.self, Show.self])

    struct SignerOptions: ParsableArguments {
        @Option(help: "This validator's private key (PEM), e.g. net/aachen/config/validator.key.")
        var key: String

        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose a change; it passes once validators with more than two thirds of the power approve.",
            subcommands: [
                AddValidator.self, RemoveValidator.self, SetPower.self, RotateKey.self, AddAuthority.self,
                RotateAuthorityKey.self, SetAuthorityTypes.self,
            ])
    }

    struct ProposalOptions: ParsableArguments {
        @Option(help: "Heights until the proposal expires if not approved (at most 1000000).")
        var expiresIn: UInt64 = 10_000

        @OptionGroup var signer: SignerOptions
    }

    struct AddValidator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-validator", abstract: "Admit a new validator (in force two heights after approval).")
        @Option(help: "Its name, e.g. Köln.") var name: String
        @Option(help: "Its validator public key: a .pub PEM file or 64 hex characters.") var publicKey: String
        @Option(help: "Its voting power.") var power: UInt64 = 1
        @Option(help: "host:port of its peer listener.") var peerAddress: String
        @OptionGroup var options: ProposalOptions

        func run() async throws {
            try await Output.run {
                guard !name.isEmpty, name.utf8.count <= Validator.nameBytesMax else {
                    throw GovChainError(code: .invalidArgument, message: "--name must be 1 to 64 bytes of UTF-8.")
                }
                guard Genesis.isHostPort(peerAddress) else {
                    throw GovChainError(
                        code: .invalidArgument, message: "--peer-address must be host:port, e.g. 10.0.0.6:26656.")
                }
                let validator = Validator(
                    name: name, publicKey: try ClerkCommand.publicKey(publicKey), peerAddress: peerAddress,
                    power: power)
                try await propose(.addValidator(validator), options)
            }
        }
    }

    struct RemoveValidator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-validator", abstract: "Retire a validator (its key is never admitted again).")
        @Option(help: "The validator's name or public key.") var validator: String
        @OptionGroup var options: ProposalOptions

        func run() async throws {
            try await Output.run {
                try await propose(.removeValidator(try await validatorKey(validator, options.signer.node)), options)
            }
        }
    }

    struct SetPower: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-power", abstract: "Change a validator's voting power.")
        @Option(help: "The validator's name or public key.") var validator: String
        @Option(help: "Its new voting power (1 or more).") var power: UInt64
        @OptionGroup var options: ProposalOptions

        func run() async throws {
            try await Output.run {
                let key = try await validatorKey(validator, options.signer.node)
                try await propose(.setPower(key, power: power), options)
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Replace a validator's key (e.g. a compromised one); it keeps its index and power.")
        @Option(help: "The validator's name or current public key.") var validator: String
        @Option(help: "The new public key: a .pub PEM file or 64 hex characters.") var newKey: String
        @OptionGroup var options: ProposalOptions

        func run() async throws {
            try await Output.run {
                let old = try await validatorKey(validator, options.signer.node)
                try await propose(.rotateValidatorKey(old: old, new: try ClerkCommand.publicKey(newKey)), options)
            }
        }
    }

    struct AddAuthority: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-authority",
            abstract: "Admit a municipality that issues documents without being a validator.")
        @Option(help: "Its id, e.g. koeln.") var id: String
        @Option(help: "Its name, e.g. Stadt Köln.") var name: String
        @Option(help: "Its authority public key: a .pub PEM file or 64 hex characters.") var publicKey: String
        @Option(help: "Comma-separated document types it issues.") var types: String
        @Option(help: "Comma-separated types anchored salted by default (a subset of --types).")
        var saltedTypes: String = ""
        @OptionGroup var options: ProposalOptions

        func run() async throws {
            try await Output.run {
                guard !name.isEmpty, name.utf8.count <= 200 else {
                    throw GovChainError(code: .invalidArgument, message: "--name must be 1 to 200 bytes of UTF-8.")
                }
                let record = AuthorityRecord(
                    id: try CodeArguments.code(id, "--id"), name: name,
                    publicKey: try ClerkCommand.publicKey(publicKey),
                    documentTypes: try CodeArguments.codes(types, "--types"),
                    saltedDocumentTypes: try CodeArguments.codes(saltedTypes, "--salted-types"))
                try await propose(.addAuthority(record), options)
            }
        }
    }

    struct RotateAuthorityKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-authority-key", abstract: "Replace an authority's key (in force once approved).")
        @Option(help: "The authority id, e.g. soest.") var authority: String
        @Option(help: "The new public key: a .pub PEM file or 64 hex characters.") var newKey: String
        @OptionGroup var options: ProposalOptions

        func run() async throws {
            try await Output.run {
                try await propose(
                    .rotateAuthorityKey(
                        try CodeArguments.code(authority, "--authority"), new: try ClerkCommand.publicKey(newKey)),
                    options)
            }
        }
    }

    struct SetAuthorityTypes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-authority-types", abstract: "Change the document types an authority issues.")
        @Option(help: "The authority id, e.g. soest.") var authority: String
        @Option(help: "Comma-separated document types it issues.") var types: String
        @Option(help: "Comma-separated types anchored salted by default (a subset of --types).")
        var saltedTypes: String = ""
        @OptionGroup var options: ProposalOptions

        func run() async throws {
            try await Output.run {
                try await propose(
                    .setAuthorityTypes(
                        try CodeArguments.code(authority, "--authority"),
                        documentTypes: try CodeArguments.codes(types, "--types"),
                        salted: try CodeArguments.codes(saltedTypes, "--salted-types")), options)
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a pending proposal.")
        @Argument(help: "The proposal id (govchain governance list).") var id: UInt64
        @OptionGroup var signer: SignerOptions
        func run() async throws { try await Output.run { try await vote(id, approve: true, signer) } }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending proposal.")
        @Argument(help: "The proposal id (govchain governance list).") var id: UInt64
        @OptionGroup var signer: SignerOptions
        func run() async throws { try await Output.run { try await vote(id, approve: false, signer) } }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a pending proposal you made.")
        @Argument(help: "The proposal id.") var id: UInt64
        @OptionGroup var signer: SignerOptions
        func run() async throws {
            try await Output.run {
                let result = try await submitSigned(
                    .withdrawGovernance(.init(proposal: id)), key: try Files.signingKey(signer.key),
                    client: NodeClient(signer.node.node))
                if signer.output.json { return Output.json(result) }
                print("Withdrew proposal \(id).")
                printCommitted(result)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List proposals, newest first: pending, approved, rejected, withdrawn, expired, with who voted.")
        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let list: ProposalsResponse = try await NodeClient(node.node).get("/v1/governance/proposals")
                if output.json { return Output.json(list) }
                if list.proposals.isEmpty { print("No governance proposals yet.") }
                for proposal in list.proposals { printProposal(proposal) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one proposal.")
        @Argument(help: "The proposal id.") var id: UInt64
        @OptionGroup var node: NodeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Output.run {
                let proposal: ProposalResponse = try await NodeClient(node.node).get("/v1/governance/proposals/\(id)")
                if output.json { return Output.json(proposal) }
                printProposal(proposal)
            }
        }
    }

    // MARK: - Shared

    static func propose(_ action: GovernanceAction, _ options: ProposalOptions) async throws(GovChainError) {
        let client = NodeClient(options.signer.node.node)
        guard options.expiresIn >= 1, options.expiresIn <= LedgerRules.proposalLifetimeMax else {
            throw GovChainError(
                code: .invalidArgument, message: "--expires-in must be 1 to \(LedgerRules.proposalLifetimeMax) heights."
            )
        }
        let status = try await client.status()
        // The block it lands in is the next one at the earliest; it can be approved for
        // --expires-in heights after that.
        let expires = Height(status.latest_height + 1 + options.expiresIn)
        let result = try await submitSigned(
            .proposeGovernance(.init(action: action, expiresAt: expires)),
            key: try Files.signingKey(options.signer.key),
            client: client)
        let list: ProposalsResponse = try await client.get("/v1/governance/proposals")
        let proposal = list.proposals.first { $0.proposal_tx == result.tx_hash }
        if options.signer.output.json { return Output.json(proposal ?? nil as ProposalResponse?) }
        print(
            "Proposed \(action.name) as proposal \(proposal.map { String($0.id) } ?? "?") (expires after height \(expires))."
        )
        if let proposal { printProposal(proposal) }
        printCommitted(result)
    }

    static func vote(_ id: UInt64, approve: Bool, _ signer: SignerOptions) async throws(GovChainError) {
        let client = NodeClient(signer.node.node)
        let result = try await submitSigned(
            .voteGovernance(.init(proposal: id, approve: approve)), key: try Files.signingKey(signer.key),
            client: client)
        let proposal: ProposalResponse = try await client.get("/v1/governance/proposals/\(id)")
        if signer.output.json { return Output.json(proposal) }
        print("\(approve ? "Approved" : "Rejected") proposal \(id).")
        printProposal(proposal)
        printCommitted(result)
    }

    static func printProposal(_ p: ProposalResponse) {
        var status = p.status
        if let height = p.status_height { status += " at height \(height)" }
        if p.status == "approved", let effective = p.effective_height, effective != p.status_height {
            status += ", in force from height \(effective)"
        }
        if p.status == "pending" { status += ", expires after height \(p.expires_at)" }
        print("#\(p.id)  \(p.action)  \(status)")
        for key in p.details.keys.sorted() { print("    \(key): \(p.details[key]!)") }
        print("    proposed by \(p.proposer) at height \(p.proposed_height)")
        print("    approved by \(p.approvals.isEmpty ? "nobody" : p.approvals.joined(separator: ", "))")
        if !p.rejections.isEmpty { print("    rejected by \(p.rejections.joined(separator: ", "))") }
    }

    /// A validator of the current set by name, or a key given as PEM file or hex.
    static func validatorKey(_ text: String, _ node: NodeOptions) async throws(GovChainError) -> PublicKey {
        if let key = PublicKey(hex: text) { return key }
        let set: ValidatorsResponse = try await NodeClient(node.node).get("/v1/validators")
        if let member = set.validators.first(where: { $0.name == text }), let key = PublicKey(hex: member.public_key) {
            return key
        }
        if FileManager.default.fileExists(atPath: text) { return try ClerkCommand.publicKey(text) }
        throw GovChainError(
            code: .invalidArgument,
            message:
                "No validator \"\(text)\" in the current set (\(set.validators.map(\.name).joined(separator: ", "))); give a name, a key in hex or a .pub file."
        )
    }
}

/// `govchain validators [--height H]`: the set that signs a height.
struct ValidatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validators", abstract: "Show the validator set that signs a height (default: the next one).")
    @Option(help: "The height (default: the next height to be decided).") var height: UInt64?
    @OptionGroup var node: NodeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Output.run {
            let path = "/v1/validators" + (height.map { "?height=\($0)" } ?? "")
            let set: ValidatorsResponse = try await NodeClient(node.node).get(path)
            if output.json { return Output.json(set) }
            print(
                "Validators signing height \(set.height) (set \(set.validators_hash.prefix(16))…, power \(set.total_power)):"
            )
            for v in set.validators {
                print("  #\(v.index)  \(v.name)  power \(v.power)  \(v.peer_address)  \(v.public_key)")
            }
        }
    }
}
