import GovChainCore
import Testing

@testable import GovChainNetwork

@Suite("Hello")
struct HelloTests {
    let genesis = TestGenesis(count: 4)

    private var expectation: HelloExpectation {
        HelloExpectation(
            chainId: TestGenesis.chainId, genesisHash: TestGenesis.genesisHash,
            validators: genesis.validators, selfIndex: 1)
    }

    private func hello(sender: ValidatorIndex = 0) -> Hello {
        Hello(chainId: TestGenesis.chainId, genesisHash: TestGenesis.genesisHash, sender: sender)
    }

    @Test func knownAnswerEncoding() throws {
        let body = PeerFrame.hello(hello(sender: 2)).body
        let expected: [UInt8] =
            [0x01, 0x00, 0x01, 13] + Array("govchain-test".utf8)
            + TestGenesis.genesisHash.bytes + [0x00, 0x02]
        #expect(body == expected)
        #expect(try PeerFrame.decode(body) == .hello(hello(sender: 2)))
    }

    @Test func trailingBytesAndUnknownVersionAreRejected() {
        let body = PeerFrame.hello(hello()).body
        #expect(throws: CodecError.trailingBytes(count: 1)) { try PeerFrame.decode(body + [0]) }
        var future = body
        future[2] = 2  // version 2
        #expect(throws: (any Error).self) { try PeerFrame.decode(future) }
    }

    @Test func matchingHelloFromALowerIndexIsAccepted() {
        #expect(expectation.rejection(of: hello(sender: 0), peerKey: genesis.keys[0].publicKey, dialled: nil) == nil)
        // When dialling, a higher index is fine: we are the lower one.
        #expect(expectation.rejection(of: hello(sender: 3), peerKey: genesis.keys[3].publicKey, dialled: 3) == nil)
    }

    @Test func mismatchesAreRejected() {
        let key0 = genesis.keys[0].publicKey
        var wrongChain = hello()
        wrongChain.chainId = ChainID("other-chain")!
        var wrongGenesis = hello()
        wrongGenesis.genesisHash = Hash32.zero
        var wrongVersion = hello()
        wrongVersion.version = 9
        let cases: [(Hello, PublicKey, ValidatorIndex?, String)] = [
            (wrongChain, key0, nil, "chain id"),
            (wrongGenesis, key0, nil, "genesis hash"),
            (wrongVersion, key0, nil, "protocol version"),
            (hello(sender: 7), key0, nil, "not in the validator set"),
            (hello(sender: 1), genesis.keys[1].publicKey, nil, "our own"),
            (hello(sender: 0), genesis.keys[2].publicKey, nil, "does not match the peer's TLS key"),
            (hello(sender: 2), genesis.keys[2].publicKey, 3, "dialled validator 3"),
        ]
        for (hello, key, dialled, reason) in cases {
            let rejection = expectation.rejection(of: hello, peerKey: key, dialled: dialled)
            #expect(rejection?.contains(reason) == true, "expected '\(reason)', got \(rejection ?? "acceptance")")
        }
        // Either side may dial: a higher index dialling a lower one is accepted (one-sided addresses).
        #expect(expectation.rejection(of: hello(sender: 2), peerKey: genesis.keys[2].publicKey, dialled: nil) == nil)
    }

    @Test("a node not yet in the set says so; it is known by its TLS key, and only a member key is")
    func unknownSenderIsKnownByItsKey() {
        let unknown = hello(sender: HelloExpectation.unknownSender)
        #expect(expectation.accept(unknown, peerKey: genesis.keys[2].publicKey, dialled: nil) == .success(2))
        let stranger = TestGenesis(count: 6).keys[5].publicKey
        #expect(expectation.rejection(of: unknown, peerKey: stranger, dialled: nil)?.contains("not a key") == true)
        // A member that joined later is accepted once the members include it.
        var grown = expectation
        grown.members.keys[ValidatorIndex(9)] = stranger
        #expect(grown.accept(unknown, peerKey: stranger, dialled: nil) == .success(9))
        #expect(grown.accept(hello(sender: 9), peerKey: stranger, dialled: 9) == .success(9))
    }

    @Test func stateMachineDeliversOnlyAfterAValidHello() {
        var machine = PeerConnectionStateMachine(expectation: expectation, dialled: nil)
        let key0 = genesis.keys[0].publicKey
        #expect(machine.onActive() == .sendHello)
        #expect(
            machine.onFrame(PeerFrame.payload([1]).body, peerKey: key0)
                == .close(.handshakeRejected("payload before hello")))
        #expect(machine.state == .closed)
        #expect(machine.onFrame(PeerFrame.hello(hello()).body, peerKey: key0) == PeerConnectionStateMachine.Action.none)
        #expect(machine.onInactive() == PeerConnectionStateMachine.Action.none)

        var good = PeerConnectionStateMachine(expectation: expectation, dialled: nil)
        _ = good.onActive()
        #expect(good.onFrame(PeerFrame.hello(hello()).body, peerKey: key0) == .establish(peer: 0))
        #expect(good.onFrame(PeerFrame.payload([5, 6]).body, peerKey: key0) == .deliver(peer: 0, payload: [5, 6]))
        #expect(good.onFrame(PeerFrame.hello(hello()).body, peerKey: key0) == .close(.malformedFrame("second hello")))
        #expect(good.onInactive() == .unregister(peer: 0))
    }

    @Test func handshakeWithoutTLSKeyOrInTimeIsRejected() {
        var machine = PeerConnectionStateMachine(expectation: expectation, dialled: nil)
        #expect(
            machine.onFrame(PeerFrame.hello(hello()).body, peerKey: nil)
                == .close(.handshakeRejected("no authenticated TLS key")))
        var slow = PeerConnectionStateMachine(expectation: expectation, dialled: nil)
        #expect(slow.onHandshakeTimeout() == .close(.handshakeRejected("handshake timed out")))
    }
}
