/// A test's own failure (set-up, time-outs), kept apart from the product's error codes.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
