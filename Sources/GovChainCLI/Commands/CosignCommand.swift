import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

/// Four eyes: the second clerk checks a transaction the first clerk prepared (`--out`), adds
/// its signature and submits it.
struct CosignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosign",
        abstract: "Co-sign and submit a document transaction another clerk prepared (four eyes).",
        discussion: """
            The first clerk runs `govchain anchor|revoke|supersede … --out pending.tx`; a second clerk \
            of the same authority, registered for the document type, runs `govchain cosign pending.tx \
            --key supervisor.key`. The command shows what it is asked to sign before signing. Both \
            signatures must land within the chain's transaction window (tx_time_window_ms in the \
            genesis, 24 hours by default) of the first signature.
            """)

    @Argument(help: "The pending transaction file the first clerk wrote.")
    var file: String

    @Option(help: "After the commit, write a status receipt (version 2) of the document to this file.")
    var receipt: String?

    @Option(help: "The second clerk's private key (PEM).")
    var key: String

    @OptionGroup var node: NodeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Output.run {
            let (pending, chainId) = try PendingTransactionFile.read(file)
            let key = try Files.signingKey(key)
            guard key.publicKey != pending.signer else {
                throw GovChainError(
                    code: .cosignerInvalid,
                    message: "You signed this transaction first; four eyes need a second clerk's key.")
            }
            let client = NodeClient(node.node)
            let served = try await nodeChain(of: client)
            guard served == chainId else {
                throw GovChainError(
                    code: .pendingTransactionInvalid,
                    message: "\(file) is for chain \(chainId); the node at \(node.node) runs chain \(served).")
            }
            if !output.json {
                print("Co-signing \(file):")
                PendingTransactionFile.describe(pending).forEach { print($0) }
            }
            let result = try await submitWithRetries(pending.cosigned(chainId: chainId, key: key), client: client)
            if let receipt, let document = pending.body.writtenDocuments.last {
                let proof = try await client.proof(.document, document.hex)
                try Files.create(receipt, String(decoding: proof.canonicalJSON, as: UTF8.self), mode: 0o644)
            }
            if output.json { return Output.json(result) }
            print("  co-signed by  \(key.publicKey.hex)")
            if let receipt { print("  receipt       \(receipt) (status receipt, version 2)") }
            printCommitted(result)
        }
    }
}
