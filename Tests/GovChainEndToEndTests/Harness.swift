import Foundation
import GovChainAPI
import GovChainCore
import Synchronization

@testable import GovChainCLI

/// Runs the real `govchain` and `govchaind` binaries (built by `swift build`; Scripts/test sets
/// GOVCHAIN_BIN_DIR). Every wait is bounded; every process is stopped by the test that started it.
enum Harness {
    static let binDir: String = {
        if let dir = ProcessInfo.processInfo.environment["GOVCHAIN_BIN_DIR"] { return dir }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion (bounded by `timeout` seconds; killed after that). Waits
    /// without holding a thread: Swift concurrency has one thread per core (two here), and a
    /// test blocking one while an in-process server (the lying proxy, the hostile peer) needs
    /// the other starved the whole test process on CI.
    ///
    /// Each run gets its own config directory (`GOVCHAIN_CONFIG_DIR`, where `govchain verify`
    /// pins genesis files) unless `configDir` names one: test networks share chain ids.
    @discardableResult
    static func run(
        _ program: String, _ arguments: [String], timeout: Double = 60, configDir: String? = nil
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "\(binDir)/\(program)")
        process.arguments = arguments
        let config = configDir ?? temporaryDirectory("config")
        defer { if configDir == nil { try? FileManager.default.removeItem(atPath: config) } }
        process.environment = ProcessInfo.processInfo.environment.merging(["GOVCHAIN_CONFIG_DIR": config]) { $1 }
        // Output goes to files, so a chatty child can never block on a full pipe.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("govchain-run-\(UUID().uuidString)")
            .path
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        process.standardError = FileHandle(forWritingAtPath: base + ".err")
        process.standardInput = FileHandle.nullDevice
        try await exited(process, within: timeout) { try process.run() }
        let stdout = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let stderr = FileManager.default.contents(atPath: base + ".err") ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `process` (by `launch`) and suspends until it has exited, sending SIGKILL after
    /// `seconds`. The termination handler is set before the launch, and the stream buffers its
    /// one element, so an exit before the wait begins is not missed.
    static func exited(_ process: Process, within seconds: Double, launch: () throws -> Void) async throws {
        let (done, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
        process.terminationHandler = { _ in
            signal.yield()
            signal.finish()
        }
        try launch()
        let pid = process.processIdentifier
        let killer = Task {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            kill(pid, SIGKILL)
        }
        for await _ in done { break }
        killer.cancel()
        // The handler runs just before Foundation marks the process exited.
        while process.isRunning { try await Task.sleep(for: .milliseconds(5)) }
    }

    static func govchain(_ arguments: String...) async throws -> Result { try await run("govchain", arguments) }

    /// Signs an anchor of SHA-256(`text`) for Aachen with the clerk key at `clerkKey` and submits
    /// it to the node at `url`, waiting for the commit.
    static func anchor(_ text: String, clerkKey: String, via url: String) async throws -> SubmitResponse {
        let key = try SigningKey(pem: String(contentsOfFile: clerkKey, encoding: .utf8))
        let status = try await NodeClient(url).status()
        let body = TransactionBody.anchorDocument(
            .init(
                document: Hash32.sha256(Array(text.utf8)), documentType: Code("birth-certificate")!,
                authority: Code("aachen")!))
        let transaction = Transaction(
            body: body, time: currentTime(), nonce: UInt64.random(in: 0...UInt64.max),
            chainId: ChainID(status.chain_id)!, key: key)
        return try await NodeClient(url).submit(transaction)
    }

    /// The first of 200 ports [P, P+200) that no other network of this test process uses: API
    /// ports from P, peer ports from P+100 (`testnet init --base-port`), test-made extras at P+50
    /// and P+150. All below the kernel's ephemeral range (32768+), so no outgoing connection can
    /// take one; handed out in turn, so suites running in parallel never share one (two random
    /// bases used to collide: one node's API port was another network's peer port).
    static func portBlock() -> Int {
        let block = nextBlock.withLock { next in
            defer { next += 1 }
            return next
        }
        return 20_000 + (block % blockCount) * 200
    }

    private static let blockCount = 60  // 20000 ..< 32000
    private static let nextBlock = Mutex(Int(getpid()) % blockCount)

    /// `call` (`bind` or `connect`) with the IPv4 socket address `host:port`.
    static func withAddress(
        host: String = "127.0.0.1", port: Int, _ call: (UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// A TCP socket connected to `host:port` (blocking), or nil when the connection fails.
    static func connectedSocket(host: String = "127.0.0.1", port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard withAddress(host: host, port: port, { connect(fd, $0, $1) }) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// `govchain` with one config directory for all its runs (so a genesis pinned by the first
    /// `verify` is the pin of the later ones); `remove()` deletes it.
    struct PinnedCLI {
        let configDir = Harness.temporaryDirectory("pins")

        func callAsFunction(_ arguments: String...) async throws -> Result {
            try await Harness.run("govchain", arguments, configDir: configDir)
        }

        func remove() { try? FileManager.default.removeItem(atPath: configDir) }
    }

    static func temporaryDirectory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "govchain-e2e-\(name)-\(UUID().uuidString.prefix(8))"
        ).path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A running `govchaind` process.
final class NodeProcess {
    let home: String
    let url: String
    private(set) var process: Process?

    init(home: String, url: String) {
        self.home = home
        self.url = url
    }

    /// Changes the node's `config/node.json` (before `start`).
    func editConfig(_ change: (inout [String: Any]) -> Void) throws {
        let path = home + "/config/node.json"
        var config =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        change(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
    }

    /// Starts the node and waits (at most 20 s) until its API answers. With `descriptorLimit`,
    /// under `prlimit --nofile=N:N` (soft and hard: the node cannot raise it).
    func start(descriptorLimit: Int? = nil) async throws {
        let process = Process()
        let arguments = [
            "start", "--home", home, "--log-level",
            ProcessInfo.processInfo.environment["GOVCHAIN_TEST_NODE_LOG_LEVEL"] ?? "warning",
        ]
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments =
                ["--nofile=\(descriptorLimit):\(descriptorLimit)", "\(Harness.binDir)/govchaind"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "\(Harness.binDir)/govchaind")
            process.arguments = arguments
        }
        let log =
            FileHandle(forWritingAtPath: home + "/node.log")
            ?? {
                FileManager.default.createFile(atPath: home + "/node.log", contents: nil)
                return FileHandle(forWritingAtPath: home + "/node.log")!
            }()
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        for _ in 0..<200 {
            if (try? await NodeClient(url).status()) != nil { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? String(contentsOfFile: home + "/node.log", encoding: .utf8)) ?? ""
        throw TestFailure("govchaind did not come up at \(url). Log:\n\(text)")
    }

    /// SIGKILL: no chance to flush or clean up, as in a power cut.
    func crash() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM, then wait (suspended, not blocking a thread) for the graceful exit, at most
    /// 10 s before SIGKILL; returns the exit status.
    @discardableResult
    func stop() async -> Int32? {
        guard let process else { return nil }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return stopNow()
    }

    /// The same from synchronous code (`defer`, `deinit`): blocks its thread while the node exits.
    @discardableResult
    func stopNow() -> Int32? {
        guard let process else { return nil }
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    deinit { stopNow() }
}

/// A one-validator network made by `govchain testnet init`, with two authorities.
struct LocalNetwork {
    let directory: String
    let node: NodeProcess
    let url: String

    init(name: String) async throws {
        directory = Harness.temporaryDirectory(name)
        let port = Harness.portBlock()
        url = "http://127.0.0.1:\(port)"
        let result = try await Harness.govchain(
            "testnet", "init", "--dir", directory + "/net", "--validators", "Aachen",
            "--authorities", "Aachen,Soest", "--base-port", String(port))
        guard result.status == 0 else {
            throw TestFailure("testnet init failed: \(result.stderr)")
        }
        node = NodeProcess(home: directory + "/net/aachen", url: url)
    }

    var aachenClerk: String { directory + "/net/aachen/keys/clerk.key" }
    var soestClerk: String { directory + "/net/soest/keys/clerk.key" }

    func file(_ name: String, _ contents: String) throws -> String {
        let path = directory + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
