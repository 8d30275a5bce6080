import GovChainCLI

/// `govchain`: every command lives in GovChainCLI.
@main
extension GovChainCommand {}
