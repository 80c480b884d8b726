import ArgumentParser
import Foundation
import StageModel
import StageSim

/// Options shared by commands that read a config and may run it against the simulated staging.
struct TargetOptions: ParsableArguments {
    @Argument(help: "The config file (YAML).")
    var config: String

    @Flag(help: "Run against the built-in simulated staging on a free loopback port (optionally: --sim SCENARIO).")
    var sim = false

    @Option(help: "Simulated staging scenario (with --sim): \(Scenarios.names.joined(separator: ", ")).")
    var scenario: String?

    func validate() throws {
        if let scenario {
            guard sim else { throw ValidationError("--scenario needs --sim") }
            guard Scenarios.named(scenario) != nil else {
                throw ValidationError("unknown scenario '\(scenario)'; known: \(Scenarios.names.joined(separator: ", "))")
            }
        }
    }

    /// Loads the config or exits 2 with the file:line:col message.
    func loadConfig() -> StageConfig {
        do {
            // Against the sim, an unset bypass key means the sim's own (it is not a secret of anyone's staging).
            let fallbacks = sim ? ["E2E_BYPASS_KEY": SimServer.defaultBypassKey] : [:]
            return try ConfigLoader.load(path: config, options: ConfigLoadOptions(allowMissingToken: sim, fallbacks: fallbacks))
        } catch {
            Console.error(error.description)
            Foundation.exit(ExitStatus.usage)
        }
    }
}

enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("stagetop: " + text + "\n").utf8))
    }
}
