import ArgumentParser
import StageApp

struct Stagetop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stagetop",
        abstract: "Live health of a staging deployment: HTTP, WebSocket and streaming probes in one table.",
        discussion: """
        Exit codes: 0 every probe passed · 1 a probe failed, hung or errored · 2 usage or config error · 3 internal error.
        """,
        version: App.version,
        subcommands: [WatchCommand.self, CheckCommand.self, AgentCommand.self, DemoCommand.self, SimCommand.self, ReportCommand.self, ReplayCLICommand.self, InitCommand.self, TerminalSelfTestCommand.self]
    )
}

/// Commands with an async body implement `execute()`; `main.swift` calls it (see the note there).
protocol AsyncRunnable {
    func execute() async throws
}
