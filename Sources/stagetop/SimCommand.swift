import ArgumentParser
import StageApp
import StageSim

struct SimCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Serve the simulated staging alone on loopback (for pairing, curl, other tools)."
    )

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port = 8787

    @Option(help: "Scenario: \(Scenarios.names.joined(separator: ", ")).")
    var scenario = "healthy"

    func validate() throws { try ScenarioName.check(scenario) }

    func execute() async throws {
        throw ExitCode(await App.sim(port: port, scenario: scenario))
    }
}
