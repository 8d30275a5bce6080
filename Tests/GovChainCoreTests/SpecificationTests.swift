import Foundation
import GovChainCore
import Testing

/// Points an independent verifier had to guess (issue 9, Deliver 5), pinned by tests so the
/// documentation (docs/PROTOCOL.md "Genesis hash", docs/RECEIPTS.md) stays true.
@Suite struct SpecificationTests {
    @Test func genesisTimesBecomeWholeMillisecondsInUTC() {
        let base: UInt64 = 1_796_083_200_000  // 2026-12-01T00:00:00Z
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01T00:00:00Z") == base)
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01T02:00:00+02:00") == base, "offsets convert to UTC")
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01T00:00:00.5Z") == base + 500)
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01T00:00:00.123Z") == base + 123)
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01T00:00:00.1239Z") == base + 123, "cut, never rounded")
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01T00:00:00.999999Z") == base + 999)
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01T00:00:00.Z") == nil)
        #expect(Genesis.milliseconds(rfc3339: "2026-12-01 00:00:00Z") == nil)
        #expect(Genesis.milliseconds(rfc3339: "1969-12-31T23:59:59Z") == nil)
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
