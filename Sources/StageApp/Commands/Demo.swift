import Foundation
import StageSim
import StageTerminal

/// `stagetop demo`: the P1 probes against the sim, in a scenario modelled on a staging report.
public struct DemoSettings: Sendable {
    /// The 2025-09-09 session: WebSocket 1011s and two streams that hang, next to 17 passes.
    public static let defaultScenario = "ws-1011-streams-hang"

    public var scenario: String
    public var configPath: String?
    /// `--timeline`: completed cycles per scenario, nil for one fixed scenario.
    public var timelineCyclesPerStep: Int?
    public var display: DisplaySettings

    public init(scenario: String = DemoSettings.defaultScenario, configPath: String? = nil, timelineCyclesPerStep: Int? = nil,
                display: DisplaySettings = DisplaySettings()) {
        self.scenario = scenario; self.configPath = configPath; self.timelineCyclesPerStep = timelineCyclesPerStep; self.display = display
    }
}

extension App {
    public static func demo(_ settings: DemoSettings) async -> Int32 {
        let path = settings.configPath ?? BundledFiles.path("examples/staging-p1.yaml")
        let target = TargetSettings(configPath: path, simScenario: settings.scenario)
        guard TerminalCheck.isInteractive() else {
            // Not a terminal (a pipe, CI): show the same probes once as a table rather than refuse.
            print("stagetop demo: not a terminal, so running once: stagetop check \(path) --sim \(settings.scenario)\n")
            return await check(CheckSettings(target: target))
        }
        return await watch(WatchSettings(target: target, display: settings.display, timelineCyclesPerStep: settings.timelineCyclesPerStep))
    }
}
