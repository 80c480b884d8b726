import Foundation
import StageTestSupport
import Testing

/// Journeys through the real binary: `examples/journeys.yaml` against the sim (healthy, and a store that loses
/// writes), route drift on a journey's step, and a captured token that no output ever shows.
@Suite("journeys end to end", .serialized)
struct JourneyEndToEndTests {
    static let example = Binary.repoRoot.appendingPathComponent("examples/journeys.yaml").path

    static func probes(_ path: String) throws -> [String: [String: Any]] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var out: [String: [String: Any]] = [:]
        for p in doc["probes"] as? [[String: Any]] ?? [] { out[p["name"] as? String ?? ""] = p }
        return out
    }

    @Test("examples/journeys.yaml passes against the healthy sim: every step of every journey")
    func examplePasses() throws {
        let json = Binary.tempFile("journeys-\(UUID().uuidString).json")
        let r = try Binary.run(["check", Self.example, "--sim", "healthy", "--json", json])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        let probes = try Self.probes(json)
        #expect(Set(probes.keys) == ["complete_user_journey", "token_refresh_flow", "thread_roundtrip"])
        for (name, p) in probes {
            let steps = p["steps"] as? [[String: Any]] ?? []
            #expect(!steps.isEmpty && steps.allSatisfy { $0["verdict"] as? String == "pass" }, "\(name): \(steps)")
        }
        #expect((probes["complete_user_journey"]?["steps"] as? [[String: Any]])?.map { $0["name"] as? String ?? "" }
                == ["login", "profile", "create_thread", "chat", "post_message", "history"])
    }

    @Test("lost writes: the read after a create 404s as route at step 2/3, the delete is skipped, and every report names the step")
    func lostWrites() throws {
        let json = Binary.tempFile("lost-\(UUID().uuidString).json"), junit = Binary.tempFile("lost-\(UUID().uuidString).xml")
        let md = Binary.tempFile("lost-\(UUID().uuidString).md")
        let r = try Binary.run(["check", Self.example, "--sim", "lost-writes", "--only", "thread_roundtrip",
                                "--json", json, "--junit", junit, "--markdown", md])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        let p = try #require(try Self.probes(json)["thread_roundtrip"])
        #expect(p["verdict"] as? String == "fail" && p["class"] as? String == "route" && p["status"] as? Int == 404)
        #expect(p["message"] as? String == "step 2/3 read: 404 Not Found", "\(p["message"] ?? "")")
        let steps = p["steps"] as? [[String: Any]] ?? []
        #expect(steps.map { $0["verdict"] as? String ?? "" } == ["pass", "fail", "skip"])
        #expect(steps.first?["status"] as? Int == 201)
        #expect((steps.first?["captures"] as? [String: Any])?["thread_id"] as? String != nil)
        #expect(r.stdout.contains("step 2/3 read: 404"))
        let junitText = try String(contentsOfFile: junit, encoding: .utf8), mdText = try String(contentsOfFile: md, encoding: .utf8)
        #expect(junitText.contains("step: 2/3 read (http) status 404"), "\(junitText)")
        #expect(mdText.contains("failed at step 2/3 read (http), class route, status 404; passed before it: create; skipped after it: delete"), "\(mdText)")
    }

    @Test("route drift on a journey: the step whose route the deployed API lacks reads 'not in the deployed API'")
    func journeyStepDrift() throws {
        let (sim, url) = try AgentProcesses.sim(scenario: "ws-1011-routes-404")
        defer { sim.terminate() }
        let config = Binary.tempFile("journey-drift-\(UUID().uuidString).yaml", """
        name: drift
        target: { base_url: "\(url)" }
        auth:
          login: { method: POST, path: /auth/e2e/token, headers: { X-E2E-Bypass-Key: sim-bypass-key }, token_path: access_token }
        probes:
          - name: thread_then_messages
            journey:
              steps:
                - name: create
                  http: { method: POST, path: /api/threads, auth: bearer, body: { title: t } }
                  capture: { id: "[BODY].id" }
                - name: messages
                  http: { path: "/api/messages?thread_id={{id}}", auth: bearer }
        """)
        let json = Binary.tempFile("journey-drift-\(UUID().uuidString).json")
        let r = try Binary.run(["check", config, "--openapi", "\(url)/openapi.json", "--json", json])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("thread_then_messages step 'messages': GET /api/messages is not in the deployed API"), "\(r.stderr)")
        let p = try #require(try Self.probes(json)["thread_then_messages"])
        #expect(p["message"] as? String == "step 2/2 messages: route: not in the deployed API (GET /api/messages)", "\(p)")
        #expect(p["class"] as? String == "route")
    }

    /// A server that issues a non-JWT session token, then echoes it back: in a body field, a header, and an
    /// error's detail. Only the capture's secrecy can keep it out of the outputs.
    static func echoServer(token: String) -> RawServer {
        RawServer { conn in
            while let head = conn.readRequest() {
                let path = head.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                let auth = RawConnection.header("Authorization", in: head) ?? ""
                let (status, body): (String, String)
                switch path {
                case "/login": (status, body) = ("200 OK", #"{"session_token":"\#(token)","user":"u1"}"#)
                case "/me": (status, body) = ("200 OK", #"{"user":"u1","echo":"\#(auth)"}"#)
                default: (status, body) = ("500 Internal Server Error", #"{"detail":"session \#(auth.replacingOccurrences(of: "Bearer ", with: "")) was rejected"}"#)
                }
                conn.send("HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nX-Echo: \(auth)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            }
        }
    }

    @Test("a captured token is in no output: table, detail view, JSON, JUnit, Markdown, Prometheus, recording, log")
    func capturedTokenNeverShows() throws {
        let token = "cnryjourney\(UUID().uuidString.prefix(8).lowercased())Q7"
        let server = Self.echoServer(token: token)
        defer { server.stop() }
        let config = Binary.tempFile("journey-canary-\(UUID().uuidString).yaml", """
        name: canary
        target: { base_url: "\(server.baseURL)" }
        defaults: { interval: 2s }
        probes:
          - name: session_journey
            journey:
              steps:
                - name: login
                  http: { path: /login }
                  capture: { token: "[BODY].session_token", user: "[BODY].user" }
                - name: me
                  http: { path: /me, headers: { Authorization: "Bearer {{token}}" } }
                  conditions: ["[BODY].echo == Bearer {{token}}", "[HEADER].X-Echo == Bearer {{token}}", "[BODY].user == {{user}}"]
                - name: refused
                  http: { path: /reject, headers: { Authorization: "Bearer {{token}}" } }
        """)
        var outputs: [(String, String)] = []
        let json = Binary.tempFile("jc.json"), junit = Binary.tempFile("jc.xml"), md = Binary.tempFile("jc.md")
        let prom = Binary.tempFile("jc.prom"), rec = Binary.tempFile("jc-\(UUID().uuidString).jsonl")
        let check = try Binary.run(["check", config, "--json", json, "--junit", junit, "--markdown", md, "--prometheus", prom, "--record", rec])
        #expect(check.status == 1, "\(check.stdout)\n\(check.stderr)")
        outputs += [("check stdout", check.stdout), ("check stderr", check.stderr)]
        for (n, p) in [("JSON", json), ("JUnit", junit), ("Markdown", md), ("Prometheus", prom), ("recording", rec)] {
            outputs.append((n, (try? String(contentsOfFile: p, encoding: .utf8)) ?? ""))
        }
        // The journey ran as meant: the echoed token matched (so it was sent), the third step failed on the server.
        let p = try #require(try Self.probes(json)["session_journey"])
        #expect(p["message"] as? String == "step 3/3 refused: 500 Internal Server Error: session •••• was rejected", "\(p)")
        let steps = p["steps"] as? [[String: Any]] ?? []
        #expect(steps.prefix(2).allSatisfy { $0["verdict"] as? String == "pass" }, "\(steps)")
        #expect((steps.first?["captures"] as? [String: Any])?["token"] as? String == "••••")
        #expect((steps.first?["captures"] as? [String: Any])?["user"] as? String == "u1", "a capture that is no secret is shown")

        let log = Binary.tempFile("jc-\(UUID().uuidString).log")
        let t = try Tmux.start("'\(Binary.path)' watch '\(config)' --log '\(log)'; sleep 30", width: 160, height: 50)
        defer { t.kill() }
        #expect(t.waitFor(timeout: 20) { $0.contains("session_journey") && $0.contains("step 3/3") }.ok, "\(t.capture())")
        outputs.append(("dashboard table", t.capture()))
        t.send("Enter")
        #expect(t.waitFor(timeout: 10) { $0.contains("Steps") && $0.contains("{{token}} = ") }.ok, "\(t.capture())")
        let detail = t.capture()
        outputs.append(("detail view", detail))
        #expect(detail.contains("{{user}} = u1") && detail.contains("(secret)"), "\(detail)")
        t.send("q"); t.send("q")
        _ = t.waitFor(timeout: 10) { !$0.contains("session_journey") }
        outputs.append(("watch --log", (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))

        let b64 = Data(token.utf8).base64EncodedString()
        let needles = [token, b64, String(b64.prefix { $0 != "=" }), String(token.prefix(12))]
        for (name, text) in outputs {
            #expect(!text.isEmpty || name == "check stderr", "\(name) is empty: nothing was checked")
            for n in needles where text.contains(n) {
                Issue.record("\(name) carries the captured token (\(n.prefix(6))…): …\(text.components(separatedBy: n)[0].suffix(80))")
            }
        }
    }
}
