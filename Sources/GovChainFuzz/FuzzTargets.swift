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
/// receipt or proof parses again to the same value. A property failing is a crash (`fail`).
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

    func run(_ bytes: [UInt8]) {
        switch self {
        case .transaction: binary(bytes, Transaction.init(decoding:), \.encoded)
        case .block: binary(bytes, Block.init(decoding:), \.encoded)
        case .header: binary(bytes, BlockHeader.init(decoding:), \.encoded)
        case .commit: binary(bytes, Commit.init(decoding:), \.encoded)
        case .vote: binary(bytes, Vote.init(decoding:), \.encoded)
        case .proposal: binary(bytes, Proposal.init(decoding:), \.encoded)
        case .record:
            binary(bytes, DocumentRecord.init(decoding:), \.encoded)
            binary(bytes, ClerkRecord.init(decoding:), \.encoded)
        case .consensusMessage: binary(bytes, ConsensusMessage.init(decoding:), \.encoded)
        case .nodeMessage: binary(bytes, NodeMessage.init(decoding:), \.encoded)
        case .peerFrame: Self.frames(bytes)
        case .receipt: Self.receipt(bytes)
        case .stateProof: Self.stateProof(bytes)
        case .genesis: _ = try? Genesis(json: Data(bytes))
        case .nodeConfig: _ = try? NodeConfig(json: Data(bytes), path: "node.json")
        case .pem: Self.pem(bytes)
        }
    }

    static func fail(_ what: String, _ bytes: [UInt8]) -> Never {
        fatalError("round trip broken: \(what) for input \(Hex.encode(bytes.prefix(512)))")
    }

    /// Decoded, then encoded: the same bytes (canonical encoding).
    func binary<T>(_ bytes: [UInt8], _ decode: ([UInt8]) throws(CodecError) -> T, _ encode: (T) -> [UInt8]) {
        guard let value = try? decode(bytes) else { return }
        if encode(value) != bytes { Self.fail("\(rawValue) encode(decode(x)) != x", bytes) }
    }

    /// A byte stream split into frames (as a peer link reads it), each body decoded as a frame
    /// and, for payloads, as a node message.
    static func frames(_ bytes: [UInt8]) {
        var buffer = ByteBuffer(bytes: bytes)
        while let body = try? FrameDecoder.nextFrame(from: &buffer, frameBytesMax: 1 << 16) {
            let frame = Array(buffer: body)
            guard let decoded = try? PeerFrame.decode(frame) else { continue }
            if decoded.body != frame { fail("peer frame body", frame) }
            if case .payload(let payload) = decoded, let message = try? NodeMessage(decoding: payload),
                message.encoded != payload
            {
                fail("node message in a frame", payload)
            }
        }
    }

    /// A receipt that parses has a canonical form that parses to the same receipt.
    static func receipt(_ bytes: [UInt8]) {
        guard let receipt = try? Receipt(json: Data(bytes)) else { return }
        let canonical = receipt.canonicalJSON
        guard let again = try? Receipt(json: canonical), again.canonicalJSON == canonical else {
            fail("receipt canonical JSON", bytes)
        }
    }

    /// A proof that parses (leniently, as online) has a canonical form that parses strictly, to
    /// the same proof, and the direct writer agrees with the encoder.
    static func stateProof(_ bytes: [UInt8]) {
        guard let proof = try? StateProof(json: Data(bytes), canonical: false) else { return }
        let canonical = proof.canonicalJSON
        guard let again = try? StateProof(json: canonical, canonical: true), again == proof else {
            fail("state proof canonical JSON", bytes)
        }
        if let direct = proof.plainCanonicalJSON(), Data(direct) != canonical {
            fail("state proof direct writer", bytes)
        }
    }

    /// PEM keys (files a user points the CLI at): a key that parses writes a PEM that parses to it.
    static func pem(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let key = try? SigningKey(pem: text), (try? SigningKey(pem: key.pem))?.publicKey != key.publicKey {
            fail("private key PEM", bytes)
        }
        if let key = try? PublicKey(pem: text), (try? PublicKey(pem: key.pem)) != key { fail("public key PEM", bytes) }
    }
}
