import Foundation
import StageModel

/// The deployed API as `prepare` read it, kept for reloads: a reloaded config is marked against the same
/// document, never fetched again (the document is read once per start, as docs/config.md says).
final class DeployedRoutesCache: Sendable {
    private let routes = Locked<DeployedRoutes?>(nil)

    var value: DeployedRoutes? {
        get { routes.withLock { $0 } }
        set { routes.withLock { $0 = newValue } }
    }
}

extension TargetSettings {
    /// `--openapi`: replaces the config's `target.openapi`; a relative file is relative to the working directory.
    func withOpenAPIOverride(_ config: StageConfig) -> StageConfig {
        guard let openAPI else { return config }
        var c = config
        if OpenAPIFetch.isURL(openAPI) {
            c.target.openapi = OpenAPILocation(value: openAPI, isURL: true)
        } else {
            c.target.openapi = OpenAPILocation(value: URL(fileURLWithPath: openAPI).standardizedFileURL.path, isURL: false)
        }
        return c
    }

    /// Reads the deployed API's document and marks the probes it lacks (`StageConfig.routeDrift`). A local
    /// file that cannot be read or is not OpenAPI is the user's mistake: a `ConfigError` naming the file
    /// (exit 2). A URL that cannot be fetched or read is the staging's: one line on stderr, and the run goes
    /// on without drift marks rather than failing every check because a document was down.
    func markRouteDrift(_ config: StageConfig) async throws(ConfigError) -> StageConfig {
        guard let location = config.target.openapi else { return config }
        let setBy = location.setAt.map { "target.openapi at \($0)" } ?? "--openapi"
        let text: String
        switch await OpenAPIFetch.text(location.value, isURL: location.isURL, target: config.target) {
        case .success(let t): text = t
        case .failure(let f):
            guard location.isURL else {
                throw ConfigError(SourceLocation(file: location.value, line: 1, column: 1), "cannot read the OpenAPI document (\(setBy)): \(f)")
            }
            Console.error("warning: \(f) (the OpenAPI document of \(setBy)); running without route drift")
            return config
        }
        let spec: OpenAPISpec
        do { spec = try OpenAPISpec.parse(text, source: location.value) } catch {
            guard location.isURL else { throw ConfigError(error.location, error.message, hint: error.hint ?? "set by \(setBy)") }
            Console.error("warning: \(error.description.replacingOccurrences(of: "\n", with: " ")) (the OpenAPI document of \(setBy)); running without route drift")
            return config
        }
        let deployed = DeployedRoutes(spec: spec, source: location.value, documentURL: location.isURL ? location.value : nil)
        deployedRoutes.value = deployed
        var c = config
        c.routeDrift = RouteDrift.mark(c, against: deployed)
        return c
    }

    /// A reloaded config marked against the document read at start (nil: none was read).
    func remarkRouteDrift(_ config: StageConfig) -> StageConfig {
        guard let deployed = deployedRoutes.value else { return config }
        var c = config
        c.routeDrift = RouteDrift.mark(c, against: deployed)
        return c
    }
}

extension StageConfig {
    /// One line per probe the deployed API lacks, in config order: `check` prints them before the run,
    /// `watch` and the agent put them in their event log.
    var routeDriftNotes: [String] {
        guard let drift = routeDrift else { return [] }
        return probes.flatMap { p -> [String] in
            if let route = drift.undeployed[p.name] { return ["\(p.name): \(route) is not in the deployed API (\(drift.source))"] }
            guard case .journey(let j) = p.body, let steps = drift.undeployedSteps[p.name] else { return [] }
            return j.steps.compactMap { step in
                steps[step.name].map { "\(p.name) step '\(step.name)': \($0) is not in the deployed API (\(drift.source))" }
            }
        }
    }
}
