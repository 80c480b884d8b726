import ArgumentParser
import Foundation
import StageModel
import StageSim
import StageTerminal
import StageUI

struct WatchCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Full-screen live dashboard until q."
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var display: DisplayOptions

    @Option(help: "Append every result and cycle boundary to this recording (JSON lines) for replay/report.")
    var record: String?

    func execute() async throws {
        guard TerminalCheck.isInteractive() else {
            Console.error("watch needs a terminal (stdout is not a TTY); for CI and pipes use: stagetop check \(target.config)")
            throw ExitCode(ExitStatus.usage)
        }
        let status = try await run(timelineCyclesPerStep: nil)
        throw ExitCode(status)
    }

    /// Shared with `demo --timeline`, which walks the sim through the reports' scenarios.
    func run(timelineCyclesPerStep: Int?) async throws -> Int32 {
        var config = target.loadConfig()
        var sim: SimulatedTarget?
        if target.sim {
            let s = try await SimulatedTarget.start(scenario: target.scenario ?? "healthy")
            config = s.apply(to: config)
            sim = s
        }
        let timeline = timelineCyclesPerStep.flatMap { n in sim.map { (sim: $0.server, cyclesPerStep: n) } }
        let status = try await Dashboard.run(config: config, display: display, record: record, timeline: timeline)
        await sim?.stop()
        return status
    }
}

/// Display options shared by `watch` and `demo`.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Theme name (themes/NAME.theme) or path to a .theme file. NO_COLOR selects mono.")
    var theme: String?

    @Option(help: "Append the event log (verdict changes, notes) to this file.")
    var log: String?

    @Flag(help: "Show times in UTC instead of local time.")
    var utc = false
}
