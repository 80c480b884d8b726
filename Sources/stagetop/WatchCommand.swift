import ArgumentParser
import StageApp

struct WatchCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Full-screen live dashboard until q."
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var display: DisplayOptions

    @Option(help: "Append every result and cycle boundary to this recording (JSON lines) for replay/report.")
    var record: String?

    @Flag(help: "Ring the terminal bell when a probe flips to failing (fail, hang or error).")
    var bell = false

    func execute() async throws {
        var shown = display.settings
        shown.bell = bell
        throw ExitCode(await App.watch(WatchSettings(target: target.settings, display: shown, record: record)))
    }
}
