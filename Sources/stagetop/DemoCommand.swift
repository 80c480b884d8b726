import ArgumentParser
import StageApp
import StageSim

struct DemoCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The 25 P1 probes against the simulated staging, in a scenario modelled on a staging report."
    )

    @Option(help: "Scenario: \(Scenarios.names.joined(separator: ", ")).")
    var scenario = DemoSettings.defaultScenario

    @Option(help: "Config to run (default: examples/staging-p1.yaml).")
    var config: String?

    @Flag(help: "Walk the sim through the staging reports' scenarios in date order (n moves on).")
    var timeline = false

    @Option(help: "With --timeline: completed cycles per scenario.")
    var cyclesPerStep = 2

    @OptionGroup var display: DisplayOptions

    func validate() throws { try ScenarioName.check(scenario) }

    func execute() async throws {
        throw ExitCode(await App.demo(DemoSettings(scenario: scenario, configPath: config,
                                                   timelineCyclesPerStep: timeline ? cyclesPerStep : nil, display: display.settings)))
    }
}
