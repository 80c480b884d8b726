import Foundation
import StageTestSupport
import Testing

/// Route drift end to end: `check --openapi` (and `target.openapi`) against the simulated staging in a
/// scenario modelled on a report whose deployed revision lacked routes. Exactly the probes of those routes
/// read `route: not in the deployed API (…)`; a 404 on a deployed route keeps its own words.
@Suite("check --openapi: route drift", .serialized)
struct RouteDriftCheckTests {
    static func config(_ base: String, openapi: String? = nil) -> String {
        Binary.tempFile("drift-\(UUID().uuidString).yaml", """
        name: drift
        target:
          base_url: "\(base)"
        \(openapi.map { "  openapi: \"\($0)\"" } ?? "")
        auth: { token: "${STAGING_JWT}" }
        probes:
          - { name: backend_health, http: { path: /health } }
          - { name: agent_start, http: { method: POST, path: /api/agents/start, auth: bearer } }
          - { name: message_list, http: { path: /api/messages, auth: bearer } }
          - { name: events, stream: { path: /api/events/stream, auth: bearer, first_byte_within: 3s } }
          - { name: agent_load, burst: { method: POST, path: /api/agents/stop, auth: bearer, requests: 3, within: 300ms } }
          - { name: chat_messages, http: { path: /api/chat/messages, auth: bearer } }
          - { name: missing_thread, http: { path: /api/threads/thread-never, auth: bearer } }
          - { name: ws, websocket: { auth: bearer } }
        """)
    }

    static let removed = [
        "agent_start": "POST /api/agents/start", "message_list": "GET /api/messages", "events": "GET /api/events/stream",
        "agent_load": "POST /api/agents/stop",
    ]

    static func probes(_ path: String) throws -> [String: [String: Any]] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var out: [String: [String: Any]] = [:]
        for p in doc["probes"] as? [[String: Any]] ?? [] { out[p["name"] as? String ?? ""] = p }
        return out
    }

    func expectDrift(_ r: BinaryRun, report: String, source: String) throws {
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        let probes = try Self.probes(report)
        for (name, route) in Self.removed {
            #expect(probes[name]?["message"] as? String == "route: not in the deployed API (\(route))", "\(name): \(probes[name] ?? [:])")
            #expect(probes[name]?["class"] as? String == "route" && probes[name]?["verdict"] as? String == "fail", "\(name)")
            #expect(r.stderr.contains("stagetop: note: \(name): \(route) is not in the deployed API (\(source)"), "\(name): \(r.stderr)")
            #expect(r.stdout.contains("route: not in the deployed API (\(route))"), "the table: \(r.stdout)")
        }
        #expect(r.stderr.components(separatedBy: "is not in the deployed API").count - 1 == Self.removed.count, "exactly those: \(r.stderr)")
        // A deployed route that 404s (an unknown id) and one that refuses (403) keep their own words.
        let missing = try #require(probes["missing_thread"])
        #expect(missing["class"] as? String == "route" && missing["status"] as? Int == 404)
        #expect((missing["message"] as? String)?.hasPrefix("404 Not Found") == true, "\(missing)")
        #expect(!((missing["message"] as? String) ?? "").contains("deployed"))
        #expect(probes["chat_messages"]?["class"] as? String == "auth")
        #expect(probes["backend_health"]?["verdict"] as? String == "pass")
    }

    @Test("check --openapi <sim>/openapi.json in the 2025-09-08 cycle 1 scenario names exactly the routes it removed")
    func flagAgainstARemovedRoutesScenario() throws {
        let (sim, url) = try AgentProcesses.sim(scenario: "ws-1011-routes-404")
        defer { sim.terminate() }
        let token = try LoopbackHTTP.request("\(url)/auth/e2e/token", method: "POST", headers: ["X-E2E-Bypass-Key": "sim-bypass-key"], body: "{}")
        let jwt = try #require((try JSONSerialization.jsonObject(with: Data(token.body.utf8)) as? [String: Any])?["access_token"] as? String)
        let report = Binary.tempFile("drift-\(UUID().uuidString).json")
        let junit = Binary.tempFile("drift-\(UUID().uuidString).xml")
        let r = try Binary.run(["check", Self.config(url), "--openapi", "\(url)/openapi.json", "--json", report, "--junit", junit],
                               env: ["STAGING_JWT": jwt])
        try expectDrift(r, report: report, source: "\(url)/openapi.json")
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("route: not in the deployed API (POST /api/agents/start)"))

        // Without the document, the same 404s read as they always did.
        let plain = Binary.tempFile("drift-\(UUID().uuidString).json")
        let before = try Binary.run(["check", Self.config(url), "--json", plain], env: ["STAGING_JWT": jwt])
        #expect(before.status == 1)
        #expect(try Self.probes(plain)["agent_start"]?["message"] as? String == "404 Not Found")
        #expect(!before.stderr.contains("deployed API"))
    }

    @Test("target.openapi on base_url's origin is read from the sim with --sim; a YAML file beside the config works too")
    func configKeyWithSimAndFile() throws {
        let report = Binary.tempFile("drift-\(UUID().uuidString).json")
        let key = Self.config("https://api.staging.example.com", openapi: "https://api.staging.example.com/openapi.json")
        let r = try Binary.run(["check", key, "--sim", "ws-1011-routes-404", "--json", report])
        try expectDrift(r, report: report, source: "http://127.0.0.1:")

        // The healthy sim's document has every route: no note, no retold message.
        let healthy = Binary.tempFile("drift-\(UUID().uuidString).json")
        let ok = try Binary.run(["check", key, "--sim", "healthy", "--json", healthy])
        #expect(!ok.stderr.contains("not in the deployed API"), "\(ok.stderr)")
        #expect(try Self.probes(healthy)["agent_start"]?["verdict"] as? String == "pass")

        // A local YAML document, relative to the config file.
        let dir = URL(fileURLWithPath: key).deletingLastPathComponent()
        let docName = "deployed-\(UUID().uuidString).yaml"
        try Data("""
        openapi: 3.1.0
        paths:
          /health: { get: { responses: { '200': { description: ok } } } }
          /api/chat/messages: { get: { responses: { '200': { description: ok } } } }
          /api/threads/{id}: { get: { responses: { '200': { description: ok } } } }
        """.utf8).write(to: dir.appendingPathComponent(docName))
        let fileConfig = Self.config("https://api.staging.example.com", openapi: "./\(docName)")
        let fromFile = Binary.tempFile("drift-\(UUID().uuidString).json")
        let f = try Binary.run(["check", fileConfig, "--sim", "ws-1011-routes-404", "--json", fromFile])
        try expectDrift(f, report: fromFile, source: dir.appendingPathComponent(docName).path)
    }

    @Test("a document that cannot be fetched is a warning and the run goes on; a local one that is missing or broken is exit 2")
    func unreachableAndBrokenDocuments() throws {
        let (sim, url) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let config = Self.config(url)
        let env = ["STAGING_JWT": "not-used-by-backend-health"]
        let r = try Binary.run(["check", config, "--only", "backend_health", "--openapi", "\(url)/nothing-here.json"], env: env)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("1/1 passed"))
        #expect(r.stderr.contains("warning: \(url)/nothing-here.json answered 404 Not Found (the OpenAPI document of --openapi); running without route drift"), "\(r.stderr)")

        let missing = try Binary.run(["check", config, "--openapi", "no-such-openapi.json"], env: env)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-openapi.json:1:1: error: cannot read the OpenAPI document (--openapi)"), "\(missing.stderr)")
        #expect(missing.stdout.isEmpty, "nothing ran")

        let broken = Binary.tempFile("broken-openapi.yaml", "openapi: 3.1.0\npaths: [\n")
        let b = try Binary.run(["check", config, "--openapi", broken], env: env)
        #expect(b.status == 2)
        #expect(b.stderr.contains("\(broken):3:1: error: not valid YAML"), "\(b.stderr)")

        let keyMissing = Self.config(url, openapi: "./missing-openapi.yaml")
        let k = try Binary.run(["check", keyMissing], env: env)
        #expect(k.status == 2)
        #expect(k.stderr.contains("\(keyMissing):4:12: error: target.openapi './missing-openapi.yaml' does not exist"), "\(k.stderr)")
    }
}

/// The agent reads the document once at start, says which probes it lacks in its event log, retells their
/// 404s in its snapshot, and marks a probe added by a reload against the same document.
@Suite("agent: route drift", .serialized)
struct AgentRouteDriftTests {
    static let base = """
    name: agent-drift
    target:
      base_url: https://api.staging.example.com
      openapi: https://api.staging.example.com/openapi.json
    auth: { token: "${STAGING_JWT}" }
    defaults: { interval: 500ms, timeout: 2s }
    probes:
      - { name: backend_health, http: { path: /health } }
      - { name: agent_start, http: { method: POST, path: /api/agents/start, auth: bearer } }

    """

    func messages(_ address: String) -> [String: String] {
        guard let body = try? LoopbackHTTP.request("http://\(address)/api/v1/snapshot", timeout: 2).body,
              let doc = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for p in doc["probes"] as? [[String: Any]] ?? [] { out[p["name"] as? String ?? ""] = p["message"] as? String }
        return out
    }

    @Test("agent --sim ws-1011-routes-404 with target.openapi: undeployed probes noted and retold, also after a reload")
    func agentMarksAndReloadKeepsTheDocument() throws {
        let path = Binary.tempFile("agent-drift-\(UUID().uuidString).yaml", Self.base)
        let agent = try ChildProcess(Binary.path, ["agent", path, "--sim", "ws-1011-routes-404", "--listen", "127.0.0.1:0"],
                                     directory: Binary.repoRoot.path)
        defer { agent.terminate() }
        let address = try #require(poll(timeout: 20) { () -> String? in
            guard let r = agent.stderr.range(of: #"listen=127\.0\.0\.1:\d+"#, options: .regularExpression) else { return nil }
            return String(agent.stderr[r].dropFirst("listen=".count))
        }, "agent did not start: \(agent.stderr)")
        let first = poll(timeout: 10) { () -> [String: String]? in
            let m = messages(address)
            let ran = [m["agent_start"], m["backend_health"]].allSatisfy { $0 != nil && $0 != "no result" }
            return ran ? m : nil
        }
        #expect(first?["agent_start"] == "route: not in the deployed API (POST /api/agents/start)", "\(first ?? [:])")
        #expect(first?["backend_health"] == "200 OK")
        let events = (try? LoopbackHTTP.stream("http://\(address)/api/v1/events?after=0", timeout: 3) { $0.contains("not in the deployed API") })?.body ?? ""
        #expect(events.contains("agent_start: POST /api/agents/start is not in the deployed API"), "\(events.prefix(2000))")

        // A reload adds a probe of another removed route: marked against the document read at start.
        try (Self.base + "  - { name: message_list, http: { path: /api/messages, auth: bearer } }\n")
            .write(toFile: path, atomically: false, encoding: .utf8)
        agent.signal(SIGHUP)
        let reloaded = poll(timeout: 10) { () -> String? in messages(address)["message_list"].flatMap { $0 == "no result" ? nil : $0 } }
        #expect(reloaded == "route: not in the deployed API (GET /api/messages)", "\(agent.stderr)")

        agent.signal(SIGTERM)
        #expect(agent.wait(timeout: .seconds(10)) == 0)
    }
}
