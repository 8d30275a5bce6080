import Foundation
import GovChainAPI
import GovChainCore
import Hummingbird

/// Governance reads (docs/GOVERNANCE.md): the validator set of a height, and the proposals.
extension APIRoutes {
    /// `GET /v1/validators[?height=H]`: the set that signs height H (default: the next height to
    /// be decided, `latest_height + 1`; known up to `latest_height + 2`).
    func validators(height text: String?) throws -> Response {
        let next = store.height.next
        let height = try text.map { text throws(APIError) in try Self.height(text, latest: store.height) } ?? next
        guard height.rawValue >= 1, height <= next.next, let set = try store.validatorSet(at: height) else {
            throw APIError(
                code: .heightUnavailable,
                message: "The validator set is known from height 1 up to \(next.next) (two past the head).")
        }
        return JSON.response(ValidatorsResponse(height: height, set: set))
    }

    func proposals() throws -> Response {
        let names = memberNames()
        return JSON.response(
            ProposalsResponse(proposals: try store.proposals().map { ProposalResponse(record: $0, name: names) }))
    }

    /// `GET /v1/governance/proposals/{id}`.
    func proposal(_ text: String) throws -> Response {
        guard text.utf8.count <= 20, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let id = UInt64(text) else {
            throw APIError(code: .invalidRequest, message: "A proposal id is a whole number, e.g. 3.")
        }
        guard let record = try store.proposal(id) else {
            throw APIError(code: .proposalUnknown, message: "There is no governance proposal \(id).")
        }
        return JSON.response(ProposalResponse(record: record, name: memberNames()))
    }

    /// A validator's name by key (current or next set, else the genesis), or the key in hex.
    private func memberNames() -> (PublicKey) -> String {
        let sets = node.validators.snapshot
        // Keys of both sets (a rotated validator's old and new key) and of the genesis.
        let validators = genesis.validators.validators + sets.next.validators + sets.current.validators
        let names = Dictionary(validators.map { ($0.publicKey, $0.name) }, uniquingKeysWith: { $1 })
        return { names[$0] ?? $0.hex }
    }
}
