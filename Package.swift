// swift-tools-version:6.1
// GovChain: a permissioned ledger for municipalities. Module map: docs/ARCHITECTURE.md.
import PackageDescription

/// `GOVCHAIN_BENCH_WITHOUT_STATE_TREE=1 swift build -c release` builds nodes that keep no state
/// tree (every state root zero), for Scripts/bench-state-cost only: what the tree costs in
/// throughput (issue 9). Such a node cannot serve a proof and is refused by any normal validator.
let storageSettings: [SwiftSetting] =
    Context.environment["GOVCHAIN_BENCH_WITHOUT_STATE_TREE"] == "1" ? [.define("GOVCHAIN_BENCH_WITHOUT_STATE_TREE")] : []

let package = Package(
    name: "GovChain",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "govchaind", targets: ["govchaind"]),
        .executable(name: "govchain", targets: ["govchain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // MARK: - System library
        .systemLibrary(name: "CLevelDB", path: "Sources/CLevelDB"),
        /// LevelDB's environment with table files read by pread(2), not mapped (C++, Sources/CLevelDBEnv).
        .target(name: "CLevelDBEnv", dependencies: ["CLevelDB"], linkerSettings: [.linkedLibrary("leveldb")]),
        .systemLibrary(name: "CQRencode", path: "Sources/CQRencode", pkgConfig: "libqrencode"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo"),

        // MARK: - Pure modules (no sockets, no disk, no clocks)
        .target(
            name: "GovChainCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),

        .target(name: "GovChainConsensus", dependencies: ["GovChainCore"]),
        /// JSON shapes shared by the node and the CLI: HTTP API bodies (docs/openapi.yaml) and node.json.
        .target(name: "GovChainAPI", dependencies: ["GovChainCore"]),
        .target(name: "GovChainSimulation", dependencies: ["GovChainCore", "GovChainConsensus"]),

        // MARK: - I/O shells
        /// Reading and writing the files a node and the CLI share: genesis.json, node.json.
        .target(name: "GovChainFiles", dependencies: ["GovChainCore", "GovChainAPI"]),
        .target(
            name: "GovChainStorage", dependencies: ["GovChainCore", "CLevelDB", "CLevelDBEnv"],
            swiftSettings: storageSettings),
        /// The printed side of a check: QR codes (libqrencode; SVG, PNG through cairo) and the
        /// German PDF verification report (cairo, fonts embedded).
        .target(name: "GovChainPrint", dependencies: ["GovChainCore", "GovChainAPI", "CQRencode", "CCairo"]),
        .target(
            name: "GovChainNode",
            dependencies: [
                "GovChainCore", "GovChainStorage", "GovChainAPI", "GovChainConsensus", "GovChainNetwork", "GovChainFiles",
                "GovChainPrint",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // The verify page (HTML, CSS, JavaScript), served at / and /web/…
            resources: [.copy("Resources/web")]
        ),
        .target(
            name: "GovChainNetwork",
            dependencies: [
                "GovChainCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "GovChainCLI",
            dependencies: [
                "GovChainCore", "GovChainAPI", "GovChainSimulation", "GovChainStorage", "GovChainFiles",
                "GovChainPrint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // MARK: - Executables (thin: parse arguments, call a module)
        .executableTarget(
            name: "govchaind",
            dependencies: [
                "GovChainNode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(name: "govchain", dependencies: ["GovChainCLI"]),
        /// libFuzzer targets for every decoder of outside bytes (Scripts/fuzz); built plainly it
        /// replays inputs and writes the seed corpora in Tests/Fuzz/corpus.
        .executableTarget(
            name: "govchain-fuzz", dependencies: ["GovChainCore", "GovChainConsensus", "GovChainNetwork", "GovChainAPI"],
            path: "Sources/GovChainFuzz"),

        // MARK: - Tests
        .testTarget(name: "GovChainCoreTests", dependencies: ["GovChainCore", "GovChainFiles"]),
        .testTarget(name: "GovChainConsensusTests", dependencies: ["GovChainConsensus", "GovChainSimulation"]),
        .testTarget(
            name: "GovChainNetworkTests",
            dependencies: [
                "GovChainNetwork",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "GovChainStorageTests", dependencies: ["GovChainStorage"]),
        .testTarget(name: "GovChainPrintTests", dependencies: ["GovChainPrint", "GovChainFiles"]),
        .testTarget(
            name: "GovChainNodeTests",
            dependencies: [
                "GovChainNode", "GovChainCore", "GovChainConsensus", "GovChainNetwork", "GovChainStorage", "GovChainAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GovChainEndToEndTests",
            dependencies: [
                "GovChainCore", "GovChainCLI", "GovChainConsensus", "GovChainNetwork", "GovChainFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
