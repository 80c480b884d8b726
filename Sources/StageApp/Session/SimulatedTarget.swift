import Foundation
import StageModel
import StageSim

/// `--sim`: start the simulated staging in-process on a free loopback port and point the config at it.
public struct SimulatedTarget: Sendable {
    public let server: SimServer

    public static func start(scenario: String) async throws -> SimulatedTarget {
        SimulatedTarget(server: try await SimServer.start(port: 0, scenario: scenario))
    }

    /// The config as it should run against the sim: target URLs replaced, TLS/resolve dropped (plain
    /// loopback HTTP), and an unset token variable filled with the sim's own test token. A `target.openapi`
    /// URL on `base_url`'s origin is the staging's own document: it is read from the sim too, which
    /// serves `/openapi.json` of what it has deployed.
    public func apply(to config: StageConfig) -> StageConfig {
        var c = config
        if let openapi = c.target.openapi, openapi.isURL, let origin = TargetConfig.origin(of: c.target.baseURL),
           let own = TargetConfig.origin(of: openapi.value), own.lowercased() == origin.lowercased() {
            c.target.openapi?.value = server.baseURL + openapi.value.dropFirst(own.count)
        }
        c.target.baseURL = server.baseURL
        c.target.wsURL = server.wsURL
        c.target.resolve = []
        c.target.tls = TLSSettings()
        if c.auth.token == nil, c.auth.login == nil {
            c.auth.token = Secret(server.devToken)
        }
        return c
    }

    public func stop() async { await server.stop() }
}
