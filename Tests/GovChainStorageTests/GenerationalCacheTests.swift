import Testing

@testable import GovChainStorage

/// The state-node cache's eviction rule: bounded, and what is used once per generation stays.
@Suite struct GenerationalCacheTests {
    @Test func boundedAndKeepsWhatIsUsed() {
        var cache = GenerationalCache<Int, String>(generationCountMax: 4)
        cache.insert(0, "hot")
        // Stream 100 keys used once; read the hot key after each insert, as every block reads
        // the upper levels of the tree.
        for key in 1...100 {
            cache.insert(key, "cold \(key)")
            #expect(cache.value(0) == "hot", "the hot entry was evicted at key \(key)")
            #expect(cache.count <= 2 * cache.generationCountMax)
        }
        // Cold keys used once are gone after two generations, the latest ones are still there.
        #expect(cache.value(1) == nil)
        #expect(cache.value(100) == "cold 100")
        cache.remove(0)
        #expect(cache.value(0) == nil)
    }

    @Test func oldGenerationHitsMoveUp() {
        var cache = GenerationalCache<Int, Int>(generationCountMax: 2)
        cache.insert(1, 1)
        cache.insert(2, 2)  // young is full: {1, 2} becomes old
        #expect(cache.value(1) == 1)  // a hit in old: moved to young
        cache.insert(3, 3)  // young {1, 3} full: becomes old, {2} is dropped
        #expect(cache.value(2) == nil)
        #expect(cache.value(1) == 1)
        #expect(cache.value(3) == 3)
    }

    @Test func removeFindsEitherGeneration() {
        var cache = GenerationalCache<Int, Int>(generationCountMax: 2)
        cache.insert(1, 1)
        cache.insert(2, 2)  // {1, 2} becomes old
        cache.insert(3, 3)  // young {3}
        cache.remove(1)  // in old
        cache.remove(3)  // in young
        #expect(cache.value(1) == nil)
        #expect(cache.value(3) == nil)
        #expect(cache.value(2) == 2)
        #expect(cache.count == 1)
    }
}
