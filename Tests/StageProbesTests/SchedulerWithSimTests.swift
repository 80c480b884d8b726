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
            let dispatcher = ProbeDispatcher(runners: [.http: http])
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
