import ArgumentParser
import StageApp

/// Hidden: draws a known frame through the real ncurses backend until `q`, so end-to-end tests can check
/// the terminal layer (keys, resize, colours, signal restore) without a staging or a sim.
struct TerminalSelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__terminal-selftest",
        abstract: "Draw a test frame through the terminal backend (for tests).",
        shouldDisplay: false
    )

    func run() throws {
        throw ExitCode(App.terminalSelfTest())
    }
}
