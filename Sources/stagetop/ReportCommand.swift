import ArgumentParser
import StageApp

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
        throw ExitCode(App.report(path: recording, output: output))
    }
}
