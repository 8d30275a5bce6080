import ArgumentParser
import Foundation
import GovChainAPI
import GovChainCore

/// `govchain verify` against nodes: every answer is a `StateProof` checked against the pinned
/// genesis; nothing a node says is believed unless a commit of more than two thirds of the voting
/// power signed it. Several nodes: each is asked, the highest proven height wins (one node that
/// withholds blocks cannot hide a revocation another node proves).
enum OnlineVerification {
    /// What one node's answer came to.
    struct NodeAnswer {
        var url: String
        var result: Result<ProvenState, GovChainError>
    }

    struct Outcome {
        var document: Hash32
        var genesis: GenesisPin?
        var answers: [NodeAnswer]
        var best: (url: String, proven: ProvenState)?
        /// The proof behind `best`, as the node sent it (for a report's appendix).
        var bestProof: StateProof?
        var maxAgeSeconds: UInt64
        var now: Timestamp
        /// Set when nothing could be asked at all (no genesis, no node reachable).
        var failure: GovChainError?

        /// Prints the result and returns the exit code.
        func report(json: Bool) -> Int32 {
            if let failure {
                Output.error(failure)
                return Exit.other.rawValue
            }
            guard let best, let genesis else {
                let reasons = answers.map { answer -> String in
                    if case .failure(let error) = answer.result { return "\(answer.url): \(error.message)" }
                    return "\(answer.url): ?"
                }
                let unreachable = answers.allSatisfy {
                    if case .failure(let error) = $0.result { return error.code == "node_unreachable" }
                    return false
                }
                if unreachable, case .failure(let error) = answers.first?.result {
                    Output.error(error)
                    return Exit.other.rawValue
                }
                if json {
                    Output.json([
                        "status": unreachable ? "error" : "invalid", "reasons": reasons.joined(separator: "; "),
                    ])
                } else {
                    print(
                        unreachable
                            ? "ERROR: no node could be asked." : "INVALID: no node gave a proof that checks out.")
                    reasons.forEach { print("  \($0)") }
                }
                return unreachable ? Exit.other.rawValue : Exit.invalid.rawValue
            }
            let refused = answers.compactMap { answer -> String? in
                if case .failure(let error) = answer.result { return "\(answer.url): \(error.message)" }
                return nil
            }
            return ProvenReport.report(
                best.proven, document: document, genesis: genesis.genesis, now: now, maxAgeSeconds: maxAgeSeconds,
                json: json, source: .node(url: best.url, pin: genesis, refused: refused))
        }
    }

    static func run(
        documentHash: Hash32, nodes: [String], genesisFile: String?, maxAgeSeconds: UInt64, now: Timestamp,
        allowNewChain: Bool = false
    ) async -> Outcome {
        var outcome = Outcome(document: documentHash, answers: [], maxAgeSeconds: maxAgeSeconds, now: now)
        var pin: GenesisPin?
        var proofs: [String: StateProof] = [:]
        for url in nodes {
            let client = NodeClient(url)
            let answer: Result<ProvenState, GovChainError>
            do throws(GovChainError) {
                let status = try await client.status()
                if pin == nil {
                    pin = try await GenesisPin.resolve(
                        file: genesisFile, chainId: status.chain_id, genesisHash: status.genesis_hash,
                        allowNewChain: allowNewChain,
                        fetch: { () async throws(GovChainError) in try await client.genesisFile() })
                }
                guard let pin, status.genesis_hash == pin.genesis.hash.hex,
                    status.chain_id == pin.genesis.chainId.value
                else {
                    throw GovChainError(
                        code: .genesisPinMismatch,
                        message:
                            "the node runs genesis \(status.genesis_hash.prefix(16))… of chain \"\(status.chain_id.prefix(64))\", not the pinned \(pin?.genesis.hash.hex.prefix(16) ?? "?")… (\(pin.map { GenesisPin.path(chainId: $0.genesis.chainId.value) } ?? "?"); if the network was re-created on purpose, delete that file or pass --genesis)"
                    )
                }
                let proof = try await client.proof(.document, documentHash.hex)
                guard proof.kind == .document, proof.subject == documentHash.hex else {
                    throw GovChainError(code: .proofInvalid, message: "the proof is about another document")
                }
                answer = .success(try proof.verify(genesis: pin.genesis))
                proofs[url] = proof
            } catch {
                answer = .failure(error)
            }
            outcome.answers.append(NodeAnswer(url: url, result: answer))
        }
        outcome.genesis = pin
        for answer in outcome.answers {
            guard case .success(let proven) = answer.result else { continue }
            if outcome.best == nil || proven.height > outcome.best!.proven.height {
                outcome.best = (answer.url, proven)
                outcome.bestProof = proofs[answer.url]
            }
        }
        return outcome
    }
}

/// How a proven document status is shown (online and for version-2 receipts).
enum ProvenReport {
    /// Where the proof came from.
    enum Source {
        /// The node whose proof had the highest height, the genesis it was checked against, and
        /// the nodes whose answers were refused (with reasons).
        case node(url: String, pin: GenesisPin, refused: [String])
        /// A saved version-2 receipt.
        case receipt
    }

    /// Prints what `proven` shows (text or `--json`) and returns the exit code: the status's,
    /// or 5 (stale) when the proven block is older than `maxAgeSeconds`.
    static func report(
        _ proven: ProvenState, document: Hash32, genesis: Genesis, now: Timestamp, maxAgeSeconds: UInt64?,
        json: Bool, source: Source
    ) -> Int32 {
        let age = now.rawValue > proven.time.rawValue ? (now.rawValue - proven.time.rawValue) / 1000 : 0
        let stale = maxAgeSeconds.map { age > $0 } ?? false
        let (status, code, lines) = describe(proven, document: document, genesis: genesis, now: now)
        if json {
            var output = JSON(
                status: stale ? "stale" : status, document: document.hex, height: proven.height.rawValue,
                block_time: proven.time.rfc3339, age_seconds: age, genesis_hash: genesis.hash.hex,
                record: documentResponse(proven, genesis: genesis, now: now))
            if case .node(let url, let pin, let refused) = source {
                (output.node, output.genesis_pinned_now, output.refused) = (url, pin.pinnedNow, refused)
            }
            Output.json(output)
            return stale ? Exit.stale.rawValue : code.rawValue
        }
        switch source {
        case .node(let url, let pin, let refused):
            if stale {
                print(
                    "STALE: the newest proof is from block \(proven.height), \(age) s old (limit \(maxAgeSeconds ?? 0) s); a node may be withholding newer blocks."
                )
                print("  it would say:")
            }
            lines.forEach { print(stale ? "  \($0)" : $0) }
            print("  proven by     block \(proven.height) at \(proven.time.rfc3339) (\(age) s ago), from \(url)")
            print("  genesis       \(pin.description)")
            for line in refused { print("  refused       \(line)") }
        case .receipt:
            if stale {
                print("STALE: the receipt proves block \(proven.height), \(age) s old (limit \(maxAgeSeconds ?? 0) s).")
            }
            lines.forEach { print($0) }
            print("  as of         block \(proven.height) at \(proven.time.rfc3339) (offline receipt, version 2)")
            print("  genesis       \(genesis.hash.hex) (\(genesis.chainId))")
        }
        return stale ? Exit.stale.rawValue : code.rawValue
    }

    /// `--json` output of a proven answer.
    struct JSON: Codable {
        var status: String
        var document: String
        var height: UInt64
        var block_time: String
        var age_seconds: UInt64?
        var node: String? = nil
        var genesis_hash: String
        /// True when this run pinned the genesis (trust on first use): compare the hash.
        var genesis_pinned_now: Bool? = nil
        var refused: [String]? = nil
        var record: DocumentResponse?
    }

    static func documentResponse(_ proven: ProvenState, genesis: Genesis, now: Timestamp) -> DocumentResponse? {
        guard case .document(let record) = proven.record else { return nil }
        return DocumentResponse(record: record, genesis: genesis, now: now)
    }

    /// The status word, its exit code and the lines to print.
    static func describe(
        _ proven: ProvenState, document: Hash32, genesis: Genesis, now: Timestamp
    ) -> (String, ExitCode, [String]) {
        guard let response = documentResponse(proven, genesis: genesis, now: now) else {
            return (
                "unknown", Exit.unknown,
                [
                    "UNKNOWN: proven never anchored as of block \(proven.height).",
                    "  document      \(document.hex)",
                    "  salted?       a document anchored with a salt is found only with it: --salt HEX (on its QR code)",
                ]
            )
        }
        return (response.status, Output.exitCode(forStatus: response.status), Output.describe(response))
    }
}
