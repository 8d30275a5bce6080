import Foundation
import GovChainAPI
import GovChainCore
import Testing

@testable import GovChainCLI

/// Found by Scripts/nemesis: a node whose disk filled up kept writing through the LevelDB handle
/// after a failed write, and its ledger no longer opened ("checksum mismatch"). Now the first
/// failed write stops the node; with space back it restarts on an intact ledger holding every
/// anchor it acknowledged. Needs root (the data directory is a 2 MiB tmpfs).
@Suite(.serialized) struct FullDiskEndToEndTests {
    @Test func aFullDiskStopsTheNodeAndTheLedgerReopensIntact() async throws {
        let net = try await LocalNetwork(name: "fulldisk")
        defer { net.node.stopNow(); net.remove() }
        let data = net.node.home + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let mounted = try await Harness.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", data])
        try #require(mounted.status == 0, "mounting a tmpfs needs root: \(mounted.stderr)")
        defer { _ = umount(data) }
        try await net.node.start()

        var acknowledged: [String] = []
        for i in 0..<5 {
            let result = try await Harness.anchor(
                "before the disk filled \(i)", clerkKey: net.aachenClerk, via: net.url)
            #expect(result.status == "pending" || result.status == "committed")
            acknowledged.append(Hash32.sha256(Array("before the disk filled \(i)".utf8)).hex)
        }
        for _ in 0..<100 where try await NodeClient(net.url).status().mempool_size > 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        // Fill the disk, then keep anchoring until the node notices.
        let filler = data + "/filler"
        FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        while (try? handle.write(contentsOf: Data(count: 64 << 10))) != nil {}
        try? handle.close()
        var stopped = false
        for i in 0..<200 {
            _ = try? await Harness.anchor("after the disk filled \(i)", clerkKey: net.aachenClerk, via: net.url)
            if net.node.process?.isRunning == false {
                stopped = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(stopped, "the node went on running on a full disk")
        let log = (try? String(contentsOfFile: net.node.home + "/node.log", encoding: .utf8)) ?? ""
        #expect(log.contains("cannot write the ledger; stopping the node"), "\(log.suffix(2000))")
        #expect(net.node.process?.terminationStatus != 0)

        // Space back: the ledger opens, holds everything acknowledged, and takes new anchors.
        try FileManager.default.removeItem(atPath: filler)
        _ = net.node.stopNow()
        try await net.node.start()
        for hash in acknowledged {
            #expect(try await NodeClient(net.url).document(Hash32(hex: hash)!) != nil, "\(hash) lost")
        }
        let after = try await Harness.anchor("after the disk was freed", clerkKey: net.aachenClerk, via: net.url)
        #expect(after.status == "pending" || after.status == "committed")
    }
}
