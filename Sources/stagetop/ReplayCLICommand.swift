import ArgumentParser
import StageApp

struct ReplayCLICommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Drive the dashboard from a recording: Space pause, ←/→ step, [ ] previous/next cycle, + - speed."
    )

    @Argument(help: "The recording (check --record / watch --record).")
    var recording: String

    @Option(help: "Playback speed (1 = real time).")
    var speed: Double = 1

    @OptionGroup var display: DisplayOptions

    func execute() async throws {
        throw ExitCode(await App.replay(path: recording, speed: speed, display: display.settings))
    }
}
