import ArgumentParser
import Foundation
import GovChainCore

/// `govchain bench-verify`: the signature ceiling of issue 12. Every validator must verify every
/// clerk signature once, so no network of `validators` nodes sharing this machine's cores can
/// commit more than `cores × verifications per second per core ÷ validators` anchors a second.
/// Measured with the library the node uses (swift-crypto's Ed25519, `PublicKey.isValidSignature`)
/// on real anchor transactions, one thread.
struct BenchVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-verify",
        abstract: "Measure Ed25519 verifications per second per core, and the anchors/s ceiling they set.")

    @Option(help: "Seconds to measure for.")
    var seconds: Double = 3

    @Option(help: "Validators sharing this machine (each verifies every transaction).")
    var validators: Int = 5

    @Option(help: "Cores to count (default: this machine's).")
    var cores: Int?

    func run() async throws {
        try await Output.run {
            guard seconds > 0, validators > 0, (cores ?? 1) > 0 else {
                throw GovChainError(
                    code: .invalidArgument, message: "--seconds, --validators and --cores must be positive.")
            }
            guard let perCore = Self.verificationsPerSecond(seconds: seconds) else {
                throw GovChainError(code: .internalError, message: "A freshly signed transaction did not verify.")
            }
            let cores = self.cores ?? ProcessInfo.processInfo.activeProcessorCount
            let ceiling = Int(perCore * Double(cores) / Double(validators))
            print(
                "bench-verify: \(Int(perCore)) Ed25519 verifications/s per core (swift-crypto), \(cores) cores, \(validators) validators: ceiling \(ceiling) anchors/s"
            )
        }
    }

    /// Verifies 256 distinct signed anchors round after round for `seconds`, on this thread.
    static func verificationsPerSecond(seconds: Double) -> Double? {
        let key = SigningKey()
        let chainId = ChainID("bench-verify")!
        let transactions = (0..<256).map { i in
            Transaction(
                body: .anchorDocument(
                    .init(
                        document: Hash32.sha256(Array("ceiling \(i)".utf8)), documentType: Code("birth-certificate")!,
                        authority: Code("aachen")!)),
                time: Timestamp(rawValue: 1_800_000_000_000), nonce: UInt64(i), chainId: chainId, key: key)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        var verified = 0
        var valid = true
        while clock.now < end {
            for transaction in transactions { valid = transaction.hasValidSignature(chainId: chainId) && valid }
            verified += transactions.count
        }
        guard valid else { return nil }
        return Double(verified) / BenchRun.seconds(clock.now - start)
    }
}
