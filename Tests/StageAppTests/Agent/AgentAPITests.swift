import Foundation
@testable import StageApp
import StageAgent
import StageModel
import StageSim
import StageTestSupport
import Testing

/// The agent as it serves: a real probe session against the simulated staging on loopback, a real
/// Hummingbird server on a free port, and a raw HTTP client reading what Prometheus or `watch --attach`
/// would read.
@Suite("agent HTTP API, against the simulated staging", .serialized)
struct AgentAPITests {
    static let config = """
    name: agent-api
    target:
      base_url: http://127.0.0.1:9
    defaults:
      interval: 30s
      timeout: 3s
    probes:
      - name: backend_health
        group: core
        http: { path: /health }
      - name: discovery
        group: core
        http: { path: /api/discovery/services }
    """

    struct Started {
        let agent: RunningAgent
        let logs: LineSink
        let path: String
        var url: String { agent.baseURL }
    }

    /// An agent on 127.0.0.1:0 against a fresh sim; the caller stops it.
    func startAgent(scenario: String = "healthy", tokenEnv: String? = nil, readOnly: Bool = false, location: String? = "east") async throws -> Started {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-agent-\(UUID().uuidString).yaml").path
        try Self.config.write(toFile: path, atomically: true, encoding: .utf8)
        let logs = LineSink(capturing: ())
        let settings = AgentSettings(target: TargetSettings(configPath: path, simScenario: scenario), listen: ListenAddress("127.0.0.1:0")!,
                                     location: location, apiTokenEnv: tokenEnv, readOnly: readOnly, heartbeat: .milliseconds(200))
        guard case .success(let agent) = await RunningAgent.start(settings, logSink: logs) else {
            throw LoopbackHTTP.Failure(description: "agent did not start: \(logs.lines)")
        }
        return Started(agent: agent, logs: logs, path: path)
    }

    /// Waits (bounded) until every probe has a result in /metrics.
    func waitForFirstCycle(_ s: Started, headers: [String: String] = [:]) async throws -> String {
        try await waitFor(s, #"stagetop_probes{location="east",config="agent-api",verdict="pending"} 0"#, headers: headers)
    }

    @Test("/metrics: the check --prometheus families live, run counters, a real histogram, location on every series")
    func metrics() async throws {
        let s = try await startAgent()
        defer { try? FileManager.default.removeItem(atPath: s.path) }
        let text = try await waitForFirstCycle(s)
        let response = try await LoopbackHTTP.request(s.url + "/metrics")
        await s.agent.stop()

        #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(text.contains(#"stagetop_probe_up{location="east",config="agent-api",probe="backend_health",group="core",kind="http"} 1"#), "\(text)")
        #expect(text.contains(#"stagetop_probe_runs_total{location="east",config="agent-api",probe="backend_health",group="core",kind="http",verdict="pass"} 1"#))
        #expect(text.contains(#"stagetop_probe_runs_total{location="east",config="agent-api",probe="backend_health",group="core",kind="http",verdict="fail"} 0"#))
        #expect(text.contains("# TYPE stagetop_probe_duration_seconds histogram"))
        #expect(text.contains(#"stagetop_probe_duration_seconds_bucket{location="east",config="agent-api",probe="discovery",group="core",kind="http",le="+Inf"} 1"#))
        #expect(text.contains(#"stagetop_probe_duration_seconds_count{location="east",config="agent-api",probe="discovery",group="core",kind="http"} 1"#))
        #expect(text.contains(#"stagetop_agent_info{version="\#(AgentSettings.version)",location="east"} 1"#))
        // Every sample line carries the location (the agent_info line names it itself).
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.contains(#"location="east""#), "\(line)")
        }
    }

    @Test("a run through the API shows up as a counted run, and the snapshot plus events after it see each event once")
    func snapshotThenEvents() async throws {
        let s = try await startAgent()
        defer { try? FileManager.default.removeItem(atPath: s.path) }
        _ = try await waitForFirstCycle(s)
        let snap = try await LoopbackHTTP.request(s.url + "/api/v1/snapshot")
        #expect(snap.status == 200)
        #expect(snap.body.contains(#""config": "agent-api""#))
        let lastID = try #require(snap.header("Stagetop-Last-Event-Id").flatMap { UInt64($0) })
        #expect(lastID > 0)

        let run = try await LoopbackHTTP.request(s.url + "/api/v1/run?probe=backend_health", method: "POST")
        #expect(run.status == 202)
        let events = try await LoopbackHTTP.stream(s.url + "/api/v1/events?after=\(lastID)", timeout: 10) { $0.contains("event: result") }
        let metrics = try await waitFor(s, #"verdict="pass"} 2"#)
        await s.agent.stop()

        let ids = events.body.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
        #expect(ids.first == lastID + 1, "\(events.body)")
        #expect(ids.allSatisfy { $0 > lastID })
        #expect(events.body.contains(#""probe":"backend_health""#))
        #expect(metrics.contains(#"probe="backend_health",group="core",kind="http",verdict="pass"} 2"#))
    }

    /// /metrics once it contains `needle`, or as it is after 10 s.
    func waitFor(_ s: Started, _ needle: String, headers: [String: String] = [:]) async throws -> String {
        let deadline = Date().addingTimeInterval(10)
        var text = ""
        while Date() < deadline {
            text = try await LoopbackHTTP.request(s.url + "/metrics", headers: headers).body
            if text.contains(needle) { return text }
            try await Task.sleep(for: .milliseconds(50))
        }
        return text
    }

    @Test("Last-Event-ID resumes right after the last event seen; an idle stream gets heartbeats")
    func resume() async throws {
        let s = try await startAgent()
        defer { try? FileManager.default.removeItem(atPath: s.path) }
        _ = try await waitForFirstCycle(s)
        let all = try await LoopbackHTTP.stream(s.url + "/api/v1/events?after=0", timeout: 5) { $0.contains(": keep-alive") }
        let ids = all.body.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
        #expect(ids.count >= 4, "\(all.body)")
        #expect(ids == Array(1...UInt64(ids.count)))
        #expect(all.body.contains(": keep-alive"))
        let resumed = try await LoopbackHTTP.stream(s.url + "/api/v1/events", headers: ["Last-Event-ID": "2"], timeout: 5) { $0.contains("id: 3\n") }
        await s.agent.stop()
        let first = resumed.body.split(separator: "\n").first { $0.hasPrefix("id: ") }.map(String.init)
        #expect(first == "id: 3", "\(resumed.body)")
    }

    @Test("with --api-token-env: the API and /metrics need the bearer token, /healthz does not, and the token is in no log line")
    func token() async throws {
        let token = "agent-secret-\(UUID().uuidString)"
        setenv("STAGETOP_TEST_API_TOKEN", token, 1)
        defer { unsetenv("STAGETOP_TEST_API_TOKEN") }
        let s = try await startAgent(tokenEnv: "STAGETOP_TEST_API_TOKEN")
        defer { try? FileManager.default.removeItem(atPath: s.path) }
        let open = try await LoopbackHTTP.request(s.url + "/metrics")
        let wrong = try await LoopbackHTTP.request(s.url + "/api/v1/snapshot", headers: ["Authorization": "Bearer \(token)x"])
        let right = try await LoopbackHTTP.request(s.url + "/api/v1/snapshot", headers: ["Authorization": "Bearer \(token)"])
        let health = try await LoopbackHTTP.request(s.url + "/healthz")
        _ = try await waitForFirstCycle(s, headers: ["Authorization": "Bearer \(token)"])
        await s.agent.stop()
        #expect(open.status == 401)
        #expect(open.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(wrong.status == 401)
        #expect(right.status == 200)
        #expect(health.status == 200)
        #expect(!s.logs.lines.isEmpty)
        #expect(s.logs.lines.allSatisfy { !$0.contains(token) })
        #expect(s.logs.lines.contains { $0.contains("api_token=required") })
    }

    @Test("--read-only refuses run and pause with 403 and says why; pause through the API stops new runs")
    func control() async throws {
        let ro = try await startAgent(readOnly: true)
        let refused = try await LoopbackHTTP.request(ro.url + "/api/v1/run", method: "POST")
        let refusedPause = try await LoopbackHTTP.request(ro.url + "/api/v1/pause?paused=true", method: "POST")
        await ro.agent.stop()
        try? FileManager.default.removeItem(atPath: ro.path)
        #expect(refused.status == 403)
        #expect(refused.body.contains("read-only"))
        #expect(refusedPause.status == 403)

        let rw = try await startAgent()
        defer { try? FileManager.default.removeItem(atPath: rw.path) }
        let paused = try await LoopbackHTTP.request(rw.url + "/api/v1/pause?paused=true", method: "POST")
        let snapshot = try await LoopbackHTTP.request(rw.url + "/api/v1/snapshot")
        let unknown = try await LoopbackHTTP.request(rw.url + "/api/v1/run?probe=nope", method: "POST")
        let wrongMethod = try await LoopbackHTTP.request(rw.url + "/api/v1/run", method: "GET")
        await rw.agent.stop()
        #expect(paused.status == 200)
        #expect(paused.body.contains(#""paused":true"#))
        #expect(rw.agent.agent.isPaused)
        #expect(snapshot.status == 200)
        #expect(unknown.status == 404)
        #expect(unknown.body.contains("nope"))
        #expect(wrongMethod.status == 405)
    }

    @Test("a failing probe is logged as a verdict change with its class, as logfmt")
    func verdictLog() async throws {
        let s = try await startAgent(scenario: "redirect-307-discovery-500")
        defer { try? FileManager.default.removeItem(atPath: s.path) }
        _ = try await waitForFirstCycle(s)
        await s.agent.stop()
        let line = s.logs.lines.first { $0.contains("probe=discovery") && $0.contains("verdict changed") }
        #expect(line?.contains("level=warning") == true, "\(s.logs.lines)")
        #expect(line?.contains("to=fail") == true)
        #expect(line?.contains("class=server") == true)
        #expect(line?.contains("location=east") == true)
        #expect(s.logs.lines.last?.contains("msg=stopped") == true)
    }
}
