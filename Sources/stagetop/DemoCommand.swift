import ArgumentParser
import Foundation
import StageModel
import StageReports
import StageSim
import StageTerminal

struct DemoCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The 25 P1 probes against the simulated staging, in a scenario modelled on a staging report."
    )

    /// The 2025-09-09 session: WebSocket 1011s and two streams that hang, next to 17 passes.
    static let defaultScenario = "ws-1011-streams-hang"

    @Option(help: "Scenario: \(Scenarios.names.joined(separator: ", ")).")
    var scenario = DemoCommand.defaultScenario

    @Option(help: "Config to run (default: examples/staging-p1.yaml).")
    var config: String?

    @Flag(help: "Walk the sim through the staging reports' scenarios in date order (n moves on).")
    var timeline = false

    @Option(help: "With --timeline: completed cycles per scenario.")
    var cyclesPerStep = 2

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        guard Scenarios.named(scenario) != nil else {
            throw ValidationError("unknown scenario '\(scenario)'; known: \(Scenarios.names.joined(separator: ", "))")
        }
    }

    func execute() async throws {
        let path = config ?? BundledFiles.path("examples/staging-p1.yaml")
        guard TerminalCheck.isInteractive() else {
            // Not a terminal (a pipe, CI): show the same probes once as a table rather than refuse.
            print("stagetop demo: not a terminal, so running once: stagetop check \(path) --sim \(scenario)\n")
            try await CheckCommand.parse([path, "--sim", "--scenario", scenario]).execute()
            return
        }
        var args = [path, "--sim", "--scenario", scenario]
        if let theme = display.theme { args += ["--theme", theme] }
        if let log = display.log { args += ["--log", log] }
        if display.utc { args.append("--utc") }
        let watch = try WatchCommand.parse(args)
        throw ExitCode(try await watch.run(timelineCyclesPerStep: timeline ? cyclesPerStep : nil))
    }
}

/// Files shipped in the repository (examples, themes): found from the working directory, else from the
/// source tree this binary was built from, so `make demo` works from anywhere in a checkout.
enum BundledFiles {
    static func path(_ relative: String) -> String {
        if FileManager.default.fileExists(atPath: relative) { return relative }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = root.appendingPathComponent(relative).path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : relative
    }
}
