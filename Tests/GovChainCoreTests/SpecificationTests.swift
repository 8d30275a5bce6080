import Foundation
import GovChainCore
import Testing

/// Points an independent verifier had to guess (issue 9, Deliver 5), pinned by tests so the
/// documentation (docs/PROTOCOL.md "Genesis hash", docs/RECEIPTS.md) stays true.
@Suite struct SpecificationTests {
    @Test func genesisTimesBecomeWholeMillisecondsInUTC() {
        let base: UInt64 = 1_796_083_200_000  // 2026-12-01T00:00:00Z
        #expect(Timestamp(rfc3339: "2026-12-01T00:00:00Z")?.rawValue == base)
        #expect(Timestamp(rfc3339: "2026-12-01T02:00:00+02:00")?.rawValue == base, "offsets convert to UTC")
        #expect(Timestamp(rfc3339: "2026-12-01T00:00:00.5Z")?.rawValue == base + 500)
        #expect(Timestamp(rfc3339: "2026-12-01T00:00:00.123Z")?.rawValue == base + 123)
        #expect(Timestamp(rfc3339: "2026-12-01T00:00:00.1239Z")?.rawValue == base + 123, "cut, never rounded")
        #expect(Timestamp(rfc3339: "2026-12-01T00:00:00.999999Z")?.rawValue == base + 999)
        #expect(Timestamp(rfc3339: "2026-12-01T00:00:00.Z")?.rawValue == nil)
        #expect(Timestamp(rfc3339: "2026-12-01 00:00:00Z")?.rawValue == nil)
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59Z")?.rawValue == nil)
    }

    @Test func aReceiptWithAFieldTheVerifierDoesNotKnowIsRefused() throws {
        var bytes = ReceiptChain.birthReceipt.canonicalJSON
        bytes.replaceSubrange(0..<1, with: Data("{\"aaa\":1,".utf8))
        #expect(
            performing: { try Receipt(json: bytes) },
            throws: {
                ($0 as? GovChainError)?.message == "the receipt has a field this verifier does not know: \"aaa\""
            })
    }
}
