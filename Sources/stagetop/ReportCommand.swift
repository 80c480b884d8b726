import ArgumentParser
import Foundation
import StageModel
import StageReports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the Markdown report of a recording (check --record / watch --record)."
    )

    @Argument(help: "The recording (JSON lines).")
    var recording: String

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    func run() throws {
        let rec: Recording
        do { rec = try Recording.read(path: recording) } catch {
            Console.error("\(error)")
            throw ExitCode(ExitStatus.usage)
        }
        for w in rec.warnings { Console.error("warning: \(w)") }
        let store = rec.finalStore()
        let last = rec.events.compactMap { e -> Date? in if case .finished(let r) = e { return r.finishedAt } else { return nil } }.max()
        let snapshot = store.snapshot(at: last ?? rec.header.startedAt)
        let text = MarkdownReport.render(snapshot, startedAt: rec.header.startedAt, finishedAt: last ?? rec.header.startedAt)
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            print(text, terminator: "")
        }
    }
}
