import ArgumentParser

/// `govchain`: the command line for operators, clerks and verifiers.
/// Each subcommand lives in Commands/; shared plumbing in Support/.
package struct GovChainCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "govchain",
        abstract:
            "GovChain: anchor and verify municipal documents on a ledger the NRW model municipalities run together.",
        discussion:
            "Exit codes: 0 valid/success, 1 error, 2 unknown document, 3 revoked, superseded, expired or not yet valid, 4 invalid proof or receipt, 5 stale proof.",
        subcommands: [
            KeysCommand.self, TestnetCommand.self, AnchorCommand.self, RevokeCommand.self, SupersedeCommand.self,
            VerifyCommand.self, ReceiptCommand.self, ClerkCommand.self, QueryCommand.self, BenchCommand.self,
            BenchLedgerCommand.self, BenchProofsCommand.self, BenchStateCommand.self, BenchVerifyCommand.self,
            ReportCommand.self,
            GovernanceCommand.self,
            CosignCommand.self,
            ValidatorsCommand.self,
            SimulateCommand.self,
        ])

    package init() {}
}
