import ArgumentParser
import Foundation
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

    @Option(help: "Show a running `stagetop agent` instead of probing (its URL, e.g. http://127.0.0.1:9464; repeatable: several agents side by side). No config then.")
    var attach: [String] = []

    @Option(help: "With --attach: the environment variable holding the agents' API token.")
    var apiTokenEnv: String?

    func validate() throws {
        if attach.isEmpty {
            try target.requireConfig()
        } else {
            guard target.config == nil, !target.sim, target.only.isEmpty, target.skip.isEmpty, record == nil else {
                throw ValidationError("--attach shows the agents' probes: give no config, --sim, --only, --skip or --record with it")
            }
            for url in attach where URLComponents(string: url)?.host == nil || !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw ValidationError("--attach \(url): expected the agent's URL, e.g. http://127.0.0.1:9464")
            }
        }
    }

    func execute() async throws {
        var shown = display.settings
        shown.bell = bell
        if !attach.isEmpty {
            throw ExitCode(await App.attach(urls: attach, tokenEnv: apiTokenEnv, display: shown))
        }
        throw ExitCode(await App.watch(WatchSettings(target: target.settings, display: shown, record: record)))
    }
}
