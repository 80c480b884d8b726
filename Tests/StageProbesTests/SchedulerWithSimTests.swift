import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

@Suite("Scheduler + HTTP runner against the simulated staging")
struct SchedulerWithSimTests {
    @Test("check-style runOnce over a mixed config: HTTP verdicts from the sim, websocket honestly unsupported")
    func mixedRunOnce() async throws {
        try await withSim("redirect-307-discovery-500") { sim, engine in
            let http = HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: sim.baseURL), token: Secret(sim.devToken))
            let dispatcher = HTTPOnlyRunner(http: http)
            let probes = [
                httpProbe("backend_health", path: "/health", conditions: ["[STATUS] == 200"]),
                httpProbe("discovery", path: "/api/discovery/services"),
                httpProbe("profile", path: "/api/user/profile", auth: .bearer),
                ProbeSpec(name: "chat_ws", body: .websocket(WebSocketProbeSpec())),
            ]
            let scheduler = ProbeScheduler(probes: probes, runner: dispatcher, seed: 1, sink: { _ in })
            let results = await scheduler.runOnce()
            #expect(results.map(\.probe) == ["backend_health", "discovery", "profile", "chat_ws"])
            #expect(results.map(\.failureClass) == [.redirect, .server, nil, .config])
            #expect(results.map(\.verdict) == [.fail, .fail, .pass, .error])
        }
    }
}

/// Runs HTTP probes for real and answers every other kind `error`/`config`: this suite is about the
/// scheduler and the HTTP runner, so the WebSocket probe only has to keep its place in the order.
private struct HTTPOnlyRunner: ProbeRunner {
    let http: HTTPProbeRunner

    func run(_ spec: ProbeSpec) async -> ProbeResult {
        if case .http = spec.body { return await http.run(spec) }
        let now = Date()
        return ProbeResult(probe: spec.name, kind: spec.kind, verdict: .error, failureClass: .config, startedAt: now, finishedAt: now)
    }
}
