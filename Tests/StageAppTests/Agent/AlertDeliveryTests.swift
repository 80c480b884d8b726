import Foundation
@testable import StageApp
import StageAgent
import StageModel
import StageSim
import StageTestSupport
import Testing

/// Alerts from a running agent to a real loopback webhook listener (and a real command), with the
/// probe's verdicts driven through the simulated staging's fault switch, one run at a time.
@Suite("alerts: thresholds, delivery, retries, commands", .serialized)
struct AlertDeliveryTests {
    func config(alerts: String) -> String {
        """
        name: alerting
        target:
          base_url: http://127.0.0.1:9
        defaults:
          interval: 1h
          timeout: 2s
        alerts:
        \(alerts)
        probes:
          - name: backend_health
            http: { path: /health }
          - name: quiet
            alerts: false
            http: { path: /api/discovery/services }
        """
    }

    func start(_ yaml: String) async throws -> (RunningAgent, LineSink, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-alerts-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let logs = LineSink(capturing: ())
        let settings = AgentSettings(target: TargetSettings(configPath: path, simScenario: "healthy"), listen: ListenAddress("127.0.0.1:0")!,
                                     location: "east")
        guard case .success(let agent) = await RunningAgent.start(settings, logSink: logs) else {
            throw LoopbackHTTP.Failure(description: "agent did not start: \(logs.lines)")
        }
        return (agent, logs, path)
    }

    /// Sets /health to answer `status` (nil: healthy), runs both probes once, and waits for the results.
    func run(_ agent: RunningAgent, health status: Int?) async throws {
        let sim = try #require(agent.sim?.server)
        sim.setFault(status.map { RouteFault(status: $0) }, for: "/health")
        let before = agent.agent.session.store.snapshot().probes.map(\.runs).reduce(0, +)
        _ = await agent.agent.run(probe: "backend_health")
        _ = await agent.agent.run(probe: "quiet")
        let deadline = Date().addingTimeInterval(10)
        while agent.agent.session.store.snapshot().probes.map(\.runs).reduce(0, +) < before + 2, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func waitForFirstCycle(_ agent: RunningAgent) async throws {
        let deadline = Date().addingTimeInterval(10)
        while agent.agent.session.store.snapshot().summary.pending > 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(agent.agent.session.store.snapshot().summary.pending == 0, "every probe ran once within a second of start, even at interval 1h")
    }

    @Test("failure_threshold 2: a single blip sends nothing; a flap sends exactly one failing and one resolved event")
    func flapping() async throws {
        let hook = try WebhookListener()
        defer { hook.stop() }
        let (agent, logs, path) = try await start(config(alerts: """
          - name: ops
            webhook: { url: "\(hook.url)", headers: { X-Team: staging } }
            failure_threshold: 2
            success_threshold: 1
            send_on_resolved: true
        """))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await waitForFirstCycle(agent)
        try await run(agent, health: 500)    // blip: 1 failure, below the threshold
        try await run(agent, health: nil)
        try await run(agent, health: 500)
        try await run(agent, health: 500)    // 2 in a row: failing
        try await run(agent, health: 503)    // still failing: nothing new
        try await run(agent, health: nil)    // resolved
        let got = poll(timeout: 10) { hook.received.count >= 2 ? hook.received : nil } ?? hook.received
        try await Task.sleep(for: .milliseconds(300))  // anything extra would arrive now
        let metrics = agent.agent.metricsText()
        await agent.stop()

        #expect(hook.received.count == 2, "\(hook.received.map(\.body))")
        let bodies = got.map { (try? JSONSerialization.jsonObject(with: Data($0.body.utf8))) as? [String: Any] ?? [:] }
        #expect(bodies.map { $0["type"] as? String } == ["failing", "resolved"])
        #expect(bodies.first?["probe"] as? String == "backend_health")
        #expect(bodies.first?["class"] as? String == "server")
        #expect(bodies.first?["status"] as? Int == 500)
        #expect(bodies.first?["consecutive"] as? Int == 2)
        #expect(bodies.first?["location"] as? String == "east")
        #expect(got.first?.headers["x-team"] == "staging")
        #expect(got.first?.headers["content-type"] == "application/json")
        #expect(got.allSatisfy { $0.method == "POST" && $0.path == "/hook" })
        #expect(metrics.contains(#"stagetop_alerts_sent_total{location="east",alert="ops"} 2"#))
        #expect(logs.lines.filter { $0.contains("msg=\"alert sent\"") }.count == 2)
    }

    @Test("slack and discord formats: one line of text in the field each reads")
    func formats() async throws {
        let slack = try WebhookListener()
        let discord = try WebhookListener()
        defer { slack.stop(); discord.stop() }
        let (agent, _, path) = try await start(config(alerts: """
          - name: slack
            webhook: { url: "\(slack.url)", format: slack }
            failure_threshold: 1
          - name: discord
            webhook: { url: "\(discord.url)", format: discord }
            failure_threshold: 1
        """))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await waitForFirstCycle(agent)
        try await run(agent, health: 500)
        _ = poll(timeout: 10) { slack.received.count + discord.received.count >= 2 ? true : nil }
        await agent.stop()
        let s = try #require(slack.received.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: String] })
        let d = try #require(discord.received.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: String] })
        #expect(s["text"]?.hasPrefix("FAILING backend_health @ east [alerting]: fail/server: 500") == true, "\(s)")
        #expect(d["content"] == s["text"])
    }

    @Test("a webhook that keeps failing: retried with backoff, then counted in stagetop_alert_failures_total and the event log; probing goes on")
    func failedDelivery() async throws {
        let hook = try WebhookListener(status: 500)
        defer { hook.stop() }
        let (agent, logs, path) = try await start(config(alerts: """
          - name: broken
            webhook: { url: "\(hook.url)" }
            failure_threshold: 1
            retries: 2
            retry_backoff: 50ms
        """))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await waitForFirstCycle(agent)
        try await run(agent, health: 500)
        let failed = poll(timeout: 10) { agent.agent.metricsText().contains(#"stagetop_alert_failures_total{location="east",alert="broken"} 1"#) ? true : nil }
        let log = agent.agent.session.store.snapshot().log.map(\.message)
        await agent.stop()
        #expect(failed == true)
        #expect(hook.received.count == 3, "1 attempt + 2 retries")
        #expect(log.contains { $0.contains("alert broken: failing backend_health not delivered after 3 attempts: answered 500") }, "\(log)")
        #expect(logs.lines.contains { $0.contains("alert not delivered") && $0.contains("to=http://127.0.0.1:\(hook.port)/…") })
        #expect(!logs.lines.contains { $0.contains("/hook") }, "the URL's path (where Slack keeps its secret) is never logged")
    }

    @Test("command: the event as JSON on stdin of a program run without a shell; a probe with alerts: false never triggers")
    func command() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-alert-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (agent, _, path) = try await start(config(alerts: """
          - name: script
            command: ["/bin/sh", "-c", "cat >> \(out)"]
            failure_threshold: 1
        """))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await waitForFirstCycle(agent)
        agent.sim?.server.setFault(RouteFault(status: 500), for: "/api/discovery/services")
        try await run(agent, health: 500)
        let text = waitForFile(out, timeout: 10)
        try await Task.sleep(for: .milliseconds(300))
        await agent.stop()
        let lines = (try? String(contentsOfFile: out, encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(lines.count == 1, "only backend_health alerts: \(text ?? "")")
        #expect(text?.contains(#""type":"failing""#) == true)
        #expect(text?.contains(#""probe":"backend_health""#) == true)
    }
}
