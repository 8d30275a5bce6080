import Foundation
import GovChainAPI
import GovChainConsensus
import GovChainCore
import GovChainNetwork
import NIOCore

/// Every decoder that takes bytes from outside — peers, clients, files — as one fuzz target
/// each. A target must never crash, hang or leak on any input, and where it accepts an input
/// the round-trip properties hold: encoding the decoded value gives the input back (the binary
/// form is canonical, so no two encodings mean the same thing), and the canonical JSON of a
/// receipt or proof parses again to the same value. `run` returns the broken property, if any:
/// the libFuzzer entry turns it into a reported finding, `replay` into exit 1.
enum FuzzTarget: String, CaseIterable {
    case transaction, block, header, commit, vote, proposal, record
    case consensusMessage = "consensus-message"
    case nodeMessage = "node-message"
    case peerFrame = "peer-frame"
    case receipt
    case stateProof = "state-proof"
    case genesis
    case nodeConfig = "node-json"
    case pem

    /// Nil when the input is refused cleanly or round-trips; else which property broke.
    func run(_ bytes: [UInt8]) -> String? {
        switch self {
        case .transaction:
            binary(bytes, Transaction.init(decoding:), \.encoded)
                ?? binary(bytes, Transaction.Pending.init(decoding:), \.encoded)
        case .block: binary(bytes, Block.init(decoding:), \.encoded)
        case .header: binary(bytes, BlockHeader.init(decoding:), \.encoded)
        case .commit: binary(bytes, Commit.init(decoding:), \.encoded)
        case .vote: binary(bytes, Vote.init(decoding:), \.encoded)
        case .proposal: binary(bytes, Proposal.init(decoding:), \.encoded)
        case .record:
            binary(bytes, DocumentRecord.init(decoding:), \.encoded)
                ?? binary(bytes, ClerkRecord.init(decoding:), \.encoded)
        case .consensusMessage: binary(bytes, ConsensusMessage.init(decoding:), \.encoded)
        case .nodeMessage: binary(bytes, NodeMessage.init(decoding:), \.encoded)
        case .peerFrame: Self.frames(bytes)
        case .receipt: Self.receipt(bytes)
        case .stateProof: Self.stateProof(bytes)
        case .genesis: Self.parsesOrRefuses { try Genesis(json: Data(bytes)) }
        case .nodeConfig: Self.parsesOrRefuses { try NodeConfig(json: Data(bytes), path: "node.json") }
        case .pem: Self.pem(bytes)
        }
    }

    static func broken(_ what: String, _ bytes: [UInt8]) -> String {
        "round trip broken: \(what) for input \(Hex.encode(bytes.prefix(512)))"
    }

    /// A parser with no round trip to check: it must only never crash or hang.
    static func parsesOrRefuses<T>(_ parse: () throws -> T) -> String? {
        _ = try? parse()
        return nil
    }

    /// Decoded, then encoded: the same bytes (canonical encoding).
    func binary<T>(
        _ bytes: [UInt8], _ decode: ([UInt8]) throws(CodecError) -> T, _ encode: (T) -> [UInt8]
    )
        -> String?
    {
        guard let value = try? decode(bytes), encode(value) != bytes else { return nil }
        return Self.broken("\(rawValue) encode(decode(x)) != x", bytes)
    }

    /// A byte stream split into frames (as a peer link reads it), each body decoded as a frame
    /// and, for payloads, as a node message.
    static func frames(_ bytes: [UInt8]) -> String? {
        var buffer = ByteBuffer(bytes: bytes)
        while let body = try? FrameDecoder.nextFrame(from: &buffer, frameBytesMax: 1 << 16) {
            let frame = Array(buffer: body)
            guard let decoded = try? PeerFrame.decode(frame) else { continue }
            if decoded.body != frame { return broken("peer frame body", frame) }
            if case .payload(let payload) = decoded, let message = try? NodeMessage(decoding: payload),
                message.encoded != payload
            {
                return broken("node message in a frame", payload)
            }
        }
        return nil
    }

    /// A receipt that parses has a canonical form that parses to the same receipt.
    static func receipt(_ bytes: [UInt8]) -> String? {
        guard let receipt = try? Receipt(json: Data(bytes)) else { return nil }
        let canonical = receipt.canonicalJSON
        guard let again = try? Receipt(json: canonical), again.canonicalJSON == canonical else {
            return broken("receipt canonical JSON", bytes)
        }
        return nil
    }

    /// A proof that parses (leniently, as online) has a canonical form that parses strictly, to
    /// the same proof, and the direct writer agrees with the encoder.
    static func stateProof(_ bytes: [UInt8]) -> String? {
        guard let proof = try? StateProof(json: Data(bytes), canonical: false) else { return nil }
        let canonical = proof.canonicalJSON
        guard let again = try? StateProof(json: canonical, canonical: true), again == proof else {
            return broken("state proof canonical JSON", bytes)
        }
        if let direct = proof.plainCanonicalJSON(), Data(direct) != canonical {
            return broken("state proof direct writer", bytes)
        }
        return nil
    }

    /// PEM keys (files a user points the CLI at): a key that parses writes a PEM that parses to it.
    static func pem(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        if let key = try? SigningKey(pem: text), (try? SigningKey(pem: key.pem))?.publicKey != key.publicKey {
            return broken("private key PEM", bytes)
        }
        if let key = try? PublicKey(pem: text), (try? PublicKey(pem: key.pem)) != key {
            return broken("public key PEM", bytes)
        }
        return nil
    }
}
