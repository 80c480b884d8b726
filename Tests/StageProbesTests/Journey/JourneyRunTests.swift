import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

/// Journeys against the real simulated staging over loopback: values captured in one step reach the next
/// (HTTP and WebSocket alike), the first failing step decides the verdict, and the rest are skipped.
@Suite("journey: steps, captures and {{name}} against the sim")
struct JourneyRunTests {
    /// Loads `probes` (YAML under `probes:`) against the sim and runs each once through the production runners.
    static func run(_ sim: SimServer, _ engine: CurlEngine, probes: String, events: (@Sendable (ProbeEvent) -> Void)? = nil) async throws -> [ProbeResult] {
        let yaml = """
        name: journeys
        target: { base_url: "\(sim.baseURL)", ws_url: "\(sim.wsURL)" }
        auth: { token: "${TOKEN}" }
        defaults: { timeout: 10s }
        probes:
        \(probes)
        """
        let config = try ConfigLoader.parse(yaml: yaml, options: ConfigLoadOptions(environment: ["TOKEN": sim.devToken, "KEY": sim.bypassKey]))
        let ws = WebSocketEngine()
        let runtime = ProbeRuntime.make(config: config, engine: engine, webSockets: ws, events: events)
        var results: [ProbeResult] = []
        for p in config.probes { results.append(await runtime.runners.run(p)) }
        await ws.shutdown()
        return results
    }

    @Test("a passing journey carries a token, a thread id and a WebSocket message field from step to step")
    func capturesAcrossHTTPAndWebSocket() async throws {
        try await withSim { sim, engine in
            let progress = Progress()
            let results = try await Self.run(sim, engine, probes: """
              - name: user_journey
                journey:
                  steps:
                    - name: login
                      http: { method: POST, path: /auth/e2e/token, headers: { X-E2E-Bypass-Key: "${KEY}" }, body: { user: journey-user-7 } }
                      capture: { token: "[BODY].access_token" }
                    - name: profile
                      http: { path: /api/user/profile, headers: { Authorization: "Bearer {{token}}" } }
                      capture: { user: "[BODY].user_id" }
                      conditions: ["[BODY].user_id == journey-user-7"]
                    - name: create
                      http: { method: POST, path: /api/threads, headers: { Authorization: "Bearer {{token}}" }, body: { title: "of {{user}}" } }
                      capture: { thread_id: "[BODY].id", title: "[BODY].title" }
                      conditions: ["[STATUS] < 300"]
                    - name: chat
                      websocket:
                        auth: subprotocol
                        steps:
                          - expect: { type: system_message }
                          - send: { type: user_message, payload: { content: "about {{thread_id}}" } }
                          - expect: { type: agent_started }
                      capture: { first_event: "[BODY].type" }
                    - name: post
                      http: { method: POST, path: /api/chat/messages, auth: bearer, body: { thread_id: "{{thread_id}}", content: "after {{first_event}}" } }
                      conditions: ["[BODY].thread_id == {{thread_id}}", "[BODY].content == after agent_started"]
                    - name: history
                      http: { path: "/api/chat/messages?thread_id={{thread_id}}", auth: bearer }
                      conditions: ["len([BODY].messages) == 1", "[BODY].messages[0].thread_id == {{thread_id}}"]
            """, events: { e in if case .journeyStep(let p) = e { progress.add(p) } })
            let r = try #require(results.first)
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(r.kind == .journey && r.message.hasPrefix("6 steps ok in "))
            let steps = try #require(r.journey?.steps)
            #expect(steps.map(\.name) == ["login", "profile", "create", "chat", "post", "history"])
            #expect(steps.allSatisfy { $0.verdict == .pass })
            #expect(steps[3].kind == .websocket && steps[3].status == 101)
            // The thread the sim created is the one later steps read back (the history holds exactly its message).
            let threadID = try #require(steps[2].captures.first { $0.name == "thread_id" }?.value)
            #expect(threadID.hasPrefix("thread-"))
            #expect(steps[2].captures.first { $0.name == "title" }?.value == "of journey-user-7")
            #expect(steps[3].captures == [CapturedValue(name: "first_event", value: "agent_started", secret: false)])
            // The token is secret by its field's name: masked in the result, never its value.
            #expect(steps[0].captures == [CapturedValue(name: "token", value: SecretScrubber.mask, secret: true)])
            // Latency is the steps' own, summed.
            // Conditions are listed per step, as they ran: with the captured values filled in.
            #expect(r.conditions.map(\.expr).contains("history: [BODY].messages[0].thread_id == \(threadID)"), "\(r.conditions.map(\.expr))")
            #expect(abs((r.latencyMs ?? 0) - steps.compactMap(\.latencyMs).reduce(0, +)) < 1e-6)
            #expect(steps.allSatisfy { ($0.offsetMs ?? -1) >= 0 && ($0.durationMs ?? -1) >= ($0.latencyMs ?? 0) * 0.5 })
            #expect(progress.steps == [1, 2, 3, 4, 5, 6], "progress events: \(progress.steps)")
        }
    }

    @Test("failing at step 2: its verdict and class, a message naming it, the steps after it skipped")
    func failsAtSecondStep() async throws {
        try await withSim { sim, engine in
            let results = try await Self.run(sim, engine, probes: """
              - name: roundtrip
                journey:
                  steps:
                    - name: create
                      http: { method: POST, path: /api/threads, auth: bearer, body: { title: t } }
                      capture: { thread_id: "[BODY].id" }
                    - name: read
                      http: { path: "/api/thread-by-id/{{thread_id}}", auth: bearer }
                      conditions: ["[STATUS] == 200"]
                    - name: delete
                      http: { method: DELETE, path: "/api/thread-by-id/{{thread_id}}", auth: bearer }
            """)
            let r = try #require(results.first)
            #expect(r.verdict == .fail && r.failureClass == .route, "\(r.verdict) \(String(describing: r.failureClass)) \(r.message)")
            #expect(r.message.hasPrefix("step 2/3 read: 404"), "\(r.message)")
            #expect(r.status == 404)
            let steps = try #require(r.journey?.steps)
            #expect(steps.map(\.verdict) == [.pass, .fail, .skip])
            #expect(steps[2].latencyMs == nil && steps[2].offsetMs == nil, "a skipped step never ran")
        }
    }

    @Test("a capture that finds nothing fails its step as schema, naming the capture")
    func missingCaptureIsSchema() async throws {
        try await withSim { sim, engine in
            let results = try await Self.run(sim, engine, probes: """
              - name: lost
                journey:
                  steps:
                    - name: health
                      http: { path: /health }
                      capture: { build: "[BODY].build.sha" }
                    - name: next
                      http: { path: "/health?build={{build}}" }
            """)
            let r = try #require(results.first)
            #expect(r.verdict == .fail && r.failureClass == .schema)
            #expect(r.message == "step 1/2 health: 200 OK; capture build: [BODY].build.sha found nothing", "\(r.message)")
            #expect(r.journey?.steps.map(\.verdict) == [.fail, .skip])
        }
    }

    @Test("the journey's timeout bounds all its steps: the step that runs out fails as timeout, the rest are skipped")
    func timeoutCoversTheJourney() async throws {
        try await withSim { sim, engine in
            sim.setFault(RouteFault(delayMs: 700), for: "/api/health")
            let results = try await Self.run(sim, engine, probes: """
              - name: slow
                timeout: 1s
                journey:
                  steps:
                    - name: first
                      http: { path: /api/health }
                    - name: second
                      http: { path: /api/health }
                    - name: third
                      http: { path: /health }
            """)
            let r = try #require(results.first)
            #expect(r.verdict == .fail && r.failureClass == .timeout, "\(r.message)")
            // Which step runs out depends on how long the first took on a loaded machine; either way the steps
            // after it never run.
            let steps = try #require(r.journey?.steps)
            let failing = try #require(r.journey?.failing)
            #expect(failing.index <= 1 && steps[failing.index].failureClass == .timeout, "\(r.message)")
            #expect(r.message.hasPrefix("step \(failing.index + 1)/3 \(steps[failing.index].name): "), "\(r.message)")
            #expect(steps.suffix(from: failing.index + 1).allSatisfy { $0.verdict == .skip })
            #expect(r.finishedAt.timeIntervalSince(r.startedAt) < 1.5, "the whole journey kept to its 1 s (+ slack)")
        }
    }
}

/// Step numbers seen in `.journeyStep` events, in order.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int] = []
    func add(_ p: JourneyProgress) { lock.withLock { seen.append(p.step) } }
    var steps: [Int] { lock.withLock { seen } }
}
