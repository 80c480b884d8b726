import ArgumentParser
import Foundation
import StageModel
import StageProbes
import StageReports

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
        guard cycles >= 1 else { throw ValidationError("--cycles must be at least 1") }
        guard interval == "0s" || Duration.parse(interval) != nil else {
            throw ValidationError("bad --interval '\(interval)' (use 250ms, 5s, 2m)")
        }
    }

    func execute() async throws {
        var config = target.loadConfig()
        var sim: SimulatedTarget?
        if target.sim {
            let s = try await SimulatedTarget.start(scenario: target.scenario ?? "healthy")
            config = s.apply(to: config)
            sim = s
        }
        let pause = Duration.parse(interval)?.seconds ?? 0
        let many = cycles > 1
        let recorder: RecordingWriter?
        do {
            recorder = try record.map { try RecordingWriter(path: $0, header: RecordingHeader(snapshot: SharedStore(config: config).snapshot())) }
        } catch {
            Console.error("\(error)")
            throw ExitCode(ExitStatus.usage)
        }
        defer { recorder?.close() }
        let outcome = await ProbeSession(config: config, recordTo: recorder).runCycles(cycles, interval: pause) { snapshot in
            // One line per cycle as it closes, so a long run shows progress in a CI log.
            if many, let c = snapshot.cycles.last { print(TextTable.cycleLine(c)) }
        }
        await sim?.stop()

        if many { print("") }
        print(TextTable.render(outcome.snapshot), terminator: "")
        do {
            if let json { try write(JSONReport.render(outcome.snapshot, startedAt: outcome.startedAt, finishedAt: outcome.finishedAt), to: json) }
            if let junit { try write(JUnitReport.render(outcome.snapshot, startedAt: outcome.startedAt, finishedAt: outcome.finishedAt), to: junit) }
            if let markdown { try write(MarkdownReport.render(outcome.snapshot, startedAt: outcome.startedAt, finishedAt: outcome.finishedAt), to: markdown) }
            // Written whole and renamed into place (.atomic): a collector never reads half a file.
            if let prometheus { try write(PrometheusReport.render(outcome.snapshot, finishedAt: outcome.finishedAt), to: prometheus) }
        } catch {
            Console.error("cannot write report: \(error.localizedDescription)")
            throw ExitCode(ExitStatus.internalError)
        }
        let s = outcome.snapshot.summary
        throw ExitCode(s.passed == s.counted ? ExitStatus.allPassed : ExitStatus.probeFailed)
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
