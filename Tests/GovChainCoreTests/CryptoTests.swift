import Testing

@testable import GovChainCore

@Suite struct CryptoTests {
    /// RFC 8032 §7.1, TEST 1 (empty message): a known answer, not a round trip.
    @Test func ed25519KnownAnswer() throws {
        let key = try SigningKey(seed: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!)
        #expect(key.publicKey.hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = key.sign([])
        #expect(
            signature.hex
                == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        )
        #expect(key.publicKey.isValidSignature(signature, for: []))
        #expect(!key.publicKey.isValidSignature(signature, for: [0]))
    }

    @Test func sha256KnownAnswer() {
        #expect(
            Hash32.sha256(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hash32.sha256(parts: Array("a".utf8), Array("bc".utf8)) == Hash32.sha256(Array("abc".utf8)))
    }

    /// `Hash32` keeps its bytes inline: its array, bytes, order, equality and codec must be the
    /// bytes' own, for every byte position (a word stored in the wrong order would sort wrongly
    /// or swap bytes on encoding).
    @Test func hash32IsItsBytes() throws {
        var generator = Hash32.sha256(Array("hash32".utf8))
        var hashes: [Hash32] = [.zero]
        for position in 0..<32 {
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes[position] = 1
            hashes.append(Hash32(bytes)!)
            bytes[position] = 0xff
            hashes.append(Hash32(bytes)!)
        }
        for _ in 0..<64 {
            generator = Hash32.sha256(generator.bytes)
            hashes.append(generator)
        }
        for hash in hashes {
            let bytes = hash.bytes
            #expect(bytes.count == 32)
            #expect(Hash32(bytes) == hash)
            #expect(Hash32(hex: hash.hex) == hash)
            #expect((0..<32).map(hash.byte) == bytes)
            #expect(hash.withUnsafeBytes { Array($0) } == bytes)
            var writer = ByteWriter()
            writer.hash(hash)
            #expect(writer.bytes == bytes)
            var reader = ByteReader([7] + bytes)
            _ = try reader.u8("prefix")
            #expect(try reader.hash("hash") == hash)
        }
        for a in hashes {
            for b in hashes {
                #expect((a < b) == a.bytes.lexicographicallyPrecedes(b.bytes))
                #expect((a == b) == (a.bytes == b.bytes))
                if a == b { #expect(a.hashValue == b.hashValue) }
            }
        }
        #expect(Hash32.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(Hash32([UInt8](repeating: 0, count: 31)) == nil)
        #expect(Hash32([UInt8](repeating: 0, count: 33)) == nil)
    }

    @Test func pemRoundTripAndRejection() throws {
        let key = Fixtures.key(9)
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(key.publicKey.pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try SigningKey(pem: key.pem).publicKey == key.publicKey)
        #expect(try PublicKey(pem: key.publicKey.pem) == key.publicKey)
        #expect(throws: GovChainError.self) { try SigningKey(pem: "not a key") }
        #expect(throws: GovChainError.self) { try PublicKey(pem: key.pem) }
    }

    @Test func hexParsing() throws {
        #expect(Hex.decode("00fF") == [0, 255])
        #expect(Hex.decode("0") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hash32(hex: String(repeating: "a", count: 63)) == nil)
        #expect(PublicKey(hex: String(repeating: "0", count: 62)) == nil)
        #expect(
            try Hash32.parse(String(repeating: "Ab", count: 32), what: "") == Hash32(Array(repeating: 0xab, count: 32)))
        #expect(
            performing: { try Hash32.parse("xyz", what: "--hash ") },
            throws: { ($0 as? GovChainError)?.message == "--hash \"xyz\" is not a SHA-256 hash (64 hex characters)." })
    }

    /// The domain tag and chain id keep a signature from being reused in another role or chain.
    @Test func signaturesAreDomainSeparated() {
        let tx = Fixtures.anchor("doc")
        #expect(tx.hasValidSignature(chainId: Fixtures.chainId))
        #expect(!tx.hasValidSignature(chainId: ChainID("other-chain")!))
        let vote = Vote.signBytes(type: .precommit, height: 1, round: 0, block: .zero, chainId: Fixtures.chainId)
        #expect(vote.starts(with: [UInt8(DomainTag.vote.rawValue.utf8.count)] + Array(DomainTag.vote.rawValue.utf8)))
        #expect(
            tx.signBytes(chainId: Fixtures.chainId).starts(
                with: [14] + Array("govchain/tx/v1".utf8) + [10] + Array("test-chain".utf8)))
    }
}
