/// A FIFO of outbound frames that never holds more than `capacity` elements nor, when elements
/// are byte arrays, more than `bytesMax` bytes.
///
/// Appending to a full queue drops the oldest elements and reports it, so a slow or dead peer
/// costs at most `capacity` frames and `bytesMax` bytes of memory (style.md #9). Consensus tolerates lost messages
/// (it recovers through round timeouts), and the newest messages are the useful ones.
package struct BoundedFrameQueue<Element: Sendable>: Sendable {
    package let capacity: Int
    package let bytesMax: Int
    /// Bytes of the live elements (for `[UInt8]` elements; 0 otherwise).
    package private(set) var bytes = 0
    /// Live elements are `storage[head...]`; consumed slots before `head` are nil until compaction.
    private var storage: [Element?] = []
    private var head = 0

    package init(capacity: Int, bytesMax: Int = .max) {
        precondition(capacity >= 1 && bytesMax >= 1, "queue capacity \(capacity), \(bytesMax) bytes")
        self.capacity = capacity
        self.bytesMax = bytesMax
    }

    private static func size(_ element: Element?) -> Int { (element as? [UInt8])?.count ?? 0 }

    package var count: Int { storage.count - head }
    package var isEmpty: Bool { count == 0 }

    /// Appends `element`; returns true when the oldest element was dropped to make room.
    @discardableResult
    package mutating func append(_ element: Element) -> Bool {
        var dropped = false
        let size = Self.size(element)
        while count > 0, count == capacity || bytes + size > bytesMax {
            bytes -= Self.size(storage[head])
            storage[head] = nil
            head += 1
            dropped = true
        }
        storage.append(element)
        bytes += size
        compactIfWorthIt()
        precondition(count <= capacity, "queue holds \(count) > capacity \(capacity)")
        return dropped
    }

    /// Removes and returns the oldest element.
    package mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        bytes -= Self.size(element)
        storage[head] = nil
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: false)
            head = 0
        } else {
            compactIfWorthIt()
        }
        return element
    }

    /// Removes every element.
    package mutating func removeAll() {
        storage.removeAll(keepingCapacity: false)
        head = 0
        bytes = 0
    }

    /// Keeps the dead prefix below half the storage, so storage stays under 2 × capacity slots.
    private mutating func compactIfWorthIt() {
        if head >= 64, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
