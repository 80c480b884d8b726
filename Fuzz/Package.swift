// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for stagetop's parsers, one executable per target (README.md). Build with the fuzzer
// flags on the command line (`make fuzz`) rather than as unsafeFlags here: -Xswiftc reaches every module, so
// the coverage libFuzzer steers by includes StageModel, StageProbes and StageReports, not just these mains.
let stageModel = Target.Dependency.product(name: "StageModel", package: "stagetop")
let stageProbes = Target.Dependency.product(name: "StageProbes", package: "stagetop")
let stageReports = Target.Dependency.product(name: "StageReports", package: "stagetop")

let package = Package(
    name: "stagetop-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "stagetop", path: ".."),
    ],
    targets: [
        // A header only: LLVMFuzzerRunDriver, which the fuzzer runtime (linked by -sanitize=fuzzer) defines.
        .systemLibrary(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", stageModel]),
        .executableTarget(name: "FuzzConditions", dependencies: ["FuzzSupport", stageModel]),
        .executableTarget(name: "FuzzSSE", dependencies: ["FuzzSupport", stageProbes]),
        .executableTarget(name: "FuzzRecording", dependencies: ["FuzzSupport", stageReports, stageModel]),
        .executableTarget(name: "FuzzWebSocketMatch", dependencies: ["FuzzSupport", stageProbes, stageModel]),
    ]
)
