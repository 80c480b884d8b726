import ArgumentParser
import StageApp
import StageModel
import StageSim

/// Options shared by commands that read a config and may run it against the simulated staging.
struct TargetOptions: ParsableArguments {
    @Argument(help: "The config file (YAML).")
    var config: String?

    @Flag(help: "Run against the built-in simulated staging on a free loopback port (optionally: --sim SCENARIO).")
    var sim = false

    @Option(help: "Simulated staging scenario (with --sim): \(Scenarios.names.joined(separator: ", ")).")
    var scenario: String?

    @Option(help: "Run only probes whose name, group or kind matches this glob (repeatable).")
    var only: [String] = []

    @Option(help: "Leave out probes whose name, group or kind matches this glob (repeatable).")
    var skip: [String] = []

    @Option(name: .customLong("openapi"),
            help: "The deployed API's OpenAPI document (URL or file; replaces target.openapi): a 404 on a route it lacks reads 'not in the deployed API'.")
    var openAPI: String?

    /// Every command but `watch --attach` needs the config: they call this from their `validate()`.
    func requireConfig() throws {
        guard config != nil else { throw ValidationError("Missing expected argument '<config>'") }
    }

    func validate() throws {
        if let scenario {
            guard sim else { throw ValidationError("--scenario needs --sim") }
            try ScenarioName.check(scenario)
        }
    }

    var settings: TargetSettings {
        TargetSettings(configPath: config ?? "", simScenario: sim ? (scenario ?? "healthy") : nil,
                       selection: ProbeSelection(only: only, skip: skip), openAPI: openAPI)
    }
}

/// Display options shared by `watch`, `demo` and `replay`.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Theme name (themes/NAME.theme) or path to a .theme file. NO_COLOR selects mono.")
    var theme: String?

    @Option(help: "Append the event log (verdict changes, notes) to this file.")
    var log: String?

    @Flag(help: "Show times in UTC instead of local time.")
    var utc = false

    var settings: DisplaySettings { DisplaySettings(theme: theme, log: log, utc: utc) }
}

enum ScenarioName {
    /// An unknown scenario is a usage error that lists the known ones.
    static func check(_ name: String) throws {
        guard Scenarios.named(name) != nil else {
            throw ValidationError("unknown scenario '\(name)'; known: \(Scenarios.names.joined(separator: ", "))")
        }
    }
}
