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

    func execute() async throws {
        throw ExitCode(await App.watch(WatchSettings(target: target.settings, display: display.settings, record: record)))
    }
}
