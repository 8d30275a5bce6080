import Foundation
import Testing

@testable import GovChainStorage

/// The LevelDB wrapper on a real database in a temporary directory.
@Suite struct LevelDBTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "govchain-leveldb-\(UUID().uuidString)"
    )
    .path

    /// Table files are read with pread(2), never mapped into memory (issue 12's memory target:
    /// LevelDB's default environment maps up to 1 000 of them, and their pages counted in the
    /// node's resident memory). Reopening turns the log into a table file, and the reads that
    /// follow come from it.
    @Test func tableFilesAreReadNotMapped() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keys = (0..<2_000).map { Array("key \($0)".utf8) }
        do {
            let db = try LevelDB(path: directory, create: true)
            var batch = WriteBatch()
            for key in keys { batch.put(key, [UInt8](repeating: 7, count: 100) + key) }
            try db.write(batch)
        }
        let db = try LevelDB(path: directory, create: false)
        let tables = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".ldb") }
        #expect(!tables.isEmpty, "reopening wrote no table file, so this test would read none")
        for key in keys { #expect(try db.get(key) == [UInt8](repeating: 7, count: 100) + key) }
        #expect(try db.scan(prefix: Array("key ".utf8), limit: 10_000).count == keys.count)
        let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        let mapped = maps.split(separator: "\n").filter { $0.contains(directory) }
        #expect(mapped.isEmpty, "mapped table files: \(mapped)")
        withExtendedLifetime(db) {}
    }
}
