import Foundation
import StageModel
import StageSim

/// The config a command runs and whether it runs against the built-in simulated staging.
public struct TargetSettings: Sendable {
    public var configPath: String
    /// `--sim [SCENARIO]`: nil runs against the config's own target.
    public var simScenario: String?
    /// `--only` / `--skip`.
    public var selection: ProbeSelection
    /// `--openapi URL|FILE`: the deployed API's OpenAPI document, in place of the config's `target.openapi`.
    public var openAPI: String?
    /// What `prepare` read of the deployed API, shared by the copies a reload keeps.
    let deployedRoutes = DeployedRoutesCache()

    public init(configPath: String, simScenario: String? = nil, selection: ProbeSelection = ProbeSelection(), openAPI: String? = nil) {
        self.configPath = configPath; self.simScenario = simScenario; self.selection = selection; self.openAPI = openAPI
    }

    /// Loads the config; a problem is the user's (exit 2) and names file:line:col.
    func loadConfig() throws(ConfigError) -> StageConfig {
        // Against the sim, an unset bypass key means the sim's own (it is not a secret of anyone's staging).
        let sim = simScenario != nil
        let fallbacks = sim ? ["E2E_BYPASS_KEY": SimServer.defaultBypassKey] : [:]
        let loaded = try ConfigLoader.load(path: configPath, options: ConfigLoadOptions(allowMissingToken: sim, fallbacks: fallbacks))
        return withOpenAPIOverride(loaded)
    }

    /// Loads the config and, with `--sim`, starts the sim and points the config at it; then reads the
    /// deployed API's OpenAPI document, if any, and marks the probes it lacks. The one place a command's
    /// sim is started (`check`, `watch`, `demo`); the caller stops it.
    func prepare() async throws -> (config: StageConfig, sim: SimulatedTarget?) {
        let loaded = try loadConfig()
        guard let config = selection.apply(to: loaded) else { throw SelectionError(selection: selection, config: loaded) }
        guard let scenario = simScenario else { return (try await markRouteDrift(config), nil) }
        let sim = try await SimulatedTarget.start(scenario: scenario)
        do {
            return (try await markRouteDrift(sim.apply(to: config)), sim)
        } catch {
            await sim.stop()
            throw error
        }
    }
}

extension TargetSettings {
    /// The config again, for a reload: loaded and selected as at start, pointed at the same sim (never a
    /// new one), its probes marked against the OpenAPI document read at start. Throws `ConfigError`
    /// (file:line:col) or `SelectionError`.
    func reload(sim: SimulatedTarget?) throws -> StageConfig {
        let loaded = try loadConfig()
        guard let config = selection.apply(to: loaded) else { throw SelectionError(selection: selection, config: loaded) }
        return remarkRouteDrift(sim.map { $0.apply(to: config) } ?? config)
    }

    /// `prepare()`, with errors printed and mapped to exit statuses.
    func prepareOrExit() async -> Result<(config: StageConfig, sim: SimulatedTarget?), ExitCodeValue> {
        do {
            return .success(try await prepare())
        } catch let e as ConfigError {
            Console.error(e.description)
            return .failure(ExitCodeValue(ExitStatus.usage))
        } catch let e as SelectionError {
            Console.error(e.description)
            return .failure(ExitCodeValue(ExitStatus.usage))
        } catch {
            Console.error("cannot start the simulated staging: \(error)")
            return .failure(ExitCodeValue(ExitStatus.internalError))
        }
    }
}

/// An exit status carried as an error value (so `Result` can hold it).
struct ExitCodeValue: Error {
    let status: Int32
    init(_ status: Int32) { self.status = status }
}

/// `--only`/`--skip` left nothing to run: the user's error, with the names they could have meant.
struct SelectionError: Error, CustomStringConvertible {
    let selection: ProbeSelection
    let config: StageConfig

    var description: String {
        let flags = selection.only.map { "--only \($0)" } + selection.skip.map { "--skip \($0)" }
        let groups = Set(config.probes.map(\.group).filter { !$0.isEmpty }).sorted()
        return "\(flags.joined(separator: " ")) leaves no probe of \(config.path) to run\n"
            + "  probes: \(config.probes.map(\.name).joined(separator: ", "))"
            + (groups.isEmpty ? "" : "\n  groups: \(groups.joined(separator: ", "))")
    }
}
