/// A bounded cache that keeps what is used again: two generations, each of at most
/// `generationCountMax` entries. New entries and hits go to the young one; when it is full it
/// becomes the old one (the previous old one is dropped). An entry used at least once per
/// generation therefore stays forever, and one never used again is gone after two.
///
/// For the state tree's nodes (issue 12): the upper levels are read or rewritten by every block
/// and stay; deep nodes are read once, replaced, and age out. The cache it replaces started over
/// when full, dropping the hot upper levels with the rest and sending every block back to
/// LevelDB for them.
package struct GenerationalCache<Key: Hashable, Value> {
    package let generationCountMax: Int
    private var young: [Key: Value] = [:]
    private var old: [Key: Value] = [:]

    package init(generationCountMax: Int) {
        precondition(generationCountMax > 0, "a cache generation needs room for at least one entry")
        self.generationCountMax = generationCountMax
    }

    /// Entries held (at most twice `generationCountMax`).
    package var count: Int { young.count + old.count }

    /// The value cached for `key`; a hit in the old generation moves it to the young one.
    package mutating func value(_ key: Key) -> Value? {
        if let value = young[key] { return value }
        guard let value = old.removeValue(forKey: key) else { return nil }
        insert(key, value)
        return value
    }

    package mutating func insert(_ key: Key, _ value: Value) {
        young[key] = value
        if young.count >= generationCountMax {
            old = young
            young = Dictionary(minimumCapacity: generationCountMax)
        }
    }

    /// Clears both generations: a key can be in both (inserted again after its first copy aged
    /// into the old one, e.g. a node a proof read cached just before its block's own insert).
    package mutating func remove(_ key: Key) {
        young[key] = nil
        old[key] = nil
    }
}
