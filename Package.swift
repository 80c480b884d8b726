// swift-tools-version: 6.1
import PackageDescription

// Swift 6 language mode everywhere: strict concurrency is on by default.
let package = Package(
    name: "stagetop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "stagetop", targets: ["stagetop"]),
        // For the libFuzzer package in Fuzz/, which depends on this one by path and can only use products.
        .library(name: "StageModel", targets: ["StageModel"]),
        .library(name: "StageProbes", targets: ["StageProbes"]),
        .library(name: "StageReports", targets: ["StageReports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.2.0"),
    ],
    targets: [
        .target(
            name: "StageModel",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "StageProbes",
            dependencies: [
                "StageModel", "CCurl",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "StageUI", dependencies: ["StageModel"]),
        // No pkgConfig here: ncursesw's .pc carries -D flags SwiftPM refuses (a warning on every build);
        // shim.h defines what they would, and Debian's libncursesw.so pulls in -ltinfo itself.
        .systemLibrary(name: "CNCursesw", providers: [.apt(["libncursesw5-dev"])]),
        // glibc's mallopt/malloc_trim for the agent (part of libc: nothing to link).
        .systemLibrary(name: "CMalloc"),
        .target(name: "StageTerminal", dependencies: ["StageUI", "CNCursesw"]),
        .target(
            name: "StageSim",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(name: "StageReports", dependencies: ["StageModel"]),
        // The agent's HTTP server (metrics, snapshot, event stream, control) and its log lines; it knows
        // nothing of probes: StageApp wires a probe session to its `AgentBackend`.
        .target(
            name: "StageAgent",
            dependencies: [
                "StageModel", "StageReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The session, the dashboard loop, live and replay sources, recording, the demo timeline, and one
        // entry point per command: everything the executable used to wire itself.
        .target(
            name: "StageApp",
            dependencies: [
                "StageModel", "StageProbes", "StageUI", "StageTerminal", "StageSim", "StageReports", "StageAgent", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Argument parsing only: each command calls one StageApp entry point.
        .executableTarget(
            name: "stagetop",
            dependencies: [
                "StageApp", "StageModel", "StageSim", "StageAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "stagetop-bench",
            dependencies: ["StageModel", "StageProbes", "StageUI", "StageSim", "StageReports", "CMalloc"],
            path: "Benchmarks/stagetop-bench"
        ),
        // posix_spawn-based child processes for the test targets that drive binaries, tmux and openssl.
        .target(name: "StageTestSupport", path: "Tests/StageTestSupport"),
        .testTarget(name: "StageModelTests", dependencies: ["StageModel"]),
        // Gatus/wss_server.py is a TLS WebSocket server the gatus compatibility tests start with python3 (not a source).
        .testTarget(name: "StageProbesTests", dependencies: ["StageProbes", "StageSim", "StageModel", "StageTestSupport"],
                    exclude: ["Gatus/wss_server.py"]),
        // Golden/ holds the screens GoldenScreenTests compares against (text files, not sources).
        .testTarget(name: "StageUITests", dependencies: ["StageUI", "StageModel"], exclude: ["Golden"]),
        .testTarget(name: "StageTerminalTests", dependencies: ["StageTerminal", "StageUI", "StageTestSupport"]),
        .testTarget(name: "StageSimTests", dependencies: ["StageSim"]),
        .testTarget(name: "StageReportsTests", dependencies: ["StageReports", "StageModel"]),
        .testTarget(name: "StageAppTests", dependencies: ["StageApp", "StageAgent", "StageModel", "StageUI", "StageSim", "StageReports", "StageTestSupport"]),
        .testTarget(name: "stagetopTests", dependencies: ["stagetop", "StageModel", "StageReports", "StageTestSupport"]),
    ]
)
