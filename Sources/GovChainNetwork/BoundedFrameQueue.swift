/// A FIFO of outbound frames that never holds more than `capacity` elements.
///
/// Appending to a full queue drops the oldest element and reports it, so a slow or dead peer
/// costs at most `capacity` frames of memory (style.md #9). Consensus tolerates lost messages
/// (it recovers through round timeouts), and the newest messages are the useful ones.
public struct BoundedFrameQueue<Element: Sendable>: Sendable {
    public let capacity: Int
    /// Live elements are `storage[head...]`; consumed slots before `head` are nil until compaction.
    private var storage: [Element?] = []
    private var head = 0

    public init(capacity: Int) {
        precondition(capacity >= 1, "queue capacity \(capacity)")
        self.capacity = capacity
    }

    public var count: Int { storage.count - head }
    public var isEmpty: Bool { count == 0 }

    /// Appends `element`; returns true when the oldest element was dropped to make room.
    @discardableResult
    public mutating func append(_ element: Element) -> Bool {
        var dropped = false
        if count == capacity {
            storage[head] = nil
            head += 1
            dropped = true
        }
        storage.append(element)
        compactIfWorthIt()
        precondition(count <= capacity, "queue holds \(count) > capacity \(capacity)")
        return dropped
    }

    /// Removes and returns the oldest element.
    public mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
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
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: false)
        head = 0
    }

    /// Keeps the dead prefix below half the storage, so storage stays under 2 × capacity slots.
    private mutating func compactIfWorthIt() {
        if head >= 64, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
