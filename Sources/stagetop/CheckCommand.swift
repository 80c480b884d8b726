import ArgumentParser
import StageApp
import StageModel

struct CheckCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run every probe once, print a table, write reports, exit 0/1/2/3."
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "Write the JSON report (schema v1) to this file.")
    var json: String?

    @Option(help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "Write a Markdown report to this file.")
    var markdown: String?

    @Option(help: "Write Prometheus text (for node_exporter's textfile collector) to this file.")
    var prometheus: String?

    @Option(help: "Append every result and cycle boundary to this recording (JSON lines) for replay/report.")
    var record: String?

    @Option(help: "Run this many cycles (full passes over every probe).")
    var cycles = 1

    @Option(help: "Pause between cycles (250ms, 5s, 2m).")
    var interval = "0s"

    func validate() throws {
        try target.requireConfig()
        guard cycles >= 1 else { throw ValidationError("--cycles must be at least 1") }
        guard interval == "0s" || Duration.parse(interval) != nil else {
            throw ValidationError("bad --interval '\(interval)' (use 250ms, 5s, 2m)")
        }
    }

    func execute() async throws {
        throw ExitCode(await App.check(CheckSettings(
            target: target.settings, json: json, junit: junit, markdown: markdown, prometheus: prometheus, record: record,
            cycles: cycles, interval: Duration.parse(interval)?.seconds ?? 0)))
    }
}
