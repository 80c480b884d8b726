import Foundation
import StageTestSupport
import Testing

/// `stagetop init --openapi` end to end: the real binary reads the simulated staging's own `/openapi.json`
/// (served by `stagetop sim` over loopback) or a YAML document written here, writes a config that the real
/// loader accepts and `check` passes, and lists what it skipped, on stderr and in the file.
@Suite("init --openapi", .serialized)
struct OpenAPIInitTests {
    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func verdicts(_ report: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for p in report["probes"] as? [[String: Any]] ?? [] {
            out[p["name"] as? String ?? ""] = "\(p["verdict"] ?? "") \(p["message"] ?? "")"
        }
        return out
    }

    @Test("the sim's own /openapi.json becomes a config whose every probe passes check --sim healthy")
    func simDocumentConverts() throws {
        let (sim, url) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let out = Binary.tempFile("from-openapi-\(UUID().uuidString).yaml")
        let r = try Binary.run(["init", "--openapi", "\(url)/openapi.json", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)

        // One probe per GET without required parameters, named from the operationId, grouped by tag.
        #expect(text.contains("  base_url: \"\(url)\""), "no servers in the document: the URL's origin")
        #expect(text.contains("  openapi: \"\(url)/openapi.json\""))
        #expect(text.contains("  token: ${STAGING_JWT}"))
        #expect(text.contains("- name: \"get_health\"\n    group: \"health\"\n    http: { path: \"/health\" }\n    conditions: [\"[STATUS] == 200\"]"))
        #expect(text.contains("http: { path: \"/api/threads\", auth: bearer }"))
        #expect(text.contains("stream: { path: \"/api/events/stream\", auth: bearer, first_byte_within: 3s"))
        // What it skipped and why, in the file and on stderr.
        for skipped in ["POST /api/threads (post_api_threads): not a GET", "GET /api/threads/{id} (get_api_threads_id): needs id (path)",
                        "DELETE /api/threads/{id} (delete_api_threads_id): not a GET", "POST /auth/e2e/token (post_auth_e2e_token): not a GET"] {
            #expect(text.contains("#   - \(skipped)"), "the file lacks \(skipped)")
            #expect(r.stderr.contains("  - \(skipped)"), "stderr lacks \(skipped): \(r.stderr)")
        }
        #expect(r.stderr.contains("wrote 11 probes from \(url)/openapi.json into \(out)"), "\(r.stderr)")

        let report = Binary.tempFile("from-openapi-\(UUID().uuidString).json")
        let check = try Binary.run(["check", out, "--sim", "healthy", "--json", report])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        let verdicts = Self.verdicts(try Self.json(report))
        #expect(verdicts.count == 11)
        #expect(verdicts.values.allSatisfy { $0.hasPrefix("pass") }, "\(verdicts)")
        #expect(!check.stderr.contains("not in the deployed API"), "the sim's document has every route it serves: \(check.stderr)")
    }

    @Test("a YAML document from a file: base URL from servers, bearer only where secured, check passes against the sim")
    func yamlFileConverts() throws {
        let (sim, url) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let doc = Binary.tempFile("staging-\(UUID().uuidString).yaml", """
        openapi: 3.0.3
        info: { title: netra staging, version: "1" }
        servers:
          - url: \(url)
        components:
          securitySchemes:
            jwt: { type: http, scheme: bearer, bearerFormat: JWT }
        tags: [{ name: health }, { name: agents }]
        paths:
          /health:
            get: { tags: [health], operationId: backend_health, responses: { 200: { description: ok } } }
          /api/agents/status:
            get:
              tags: [agents]
              operationId: agentStatus
              security: [{ jwt: [] }]
              responses: { 200: { description: ok } }
          /api/agents/start:
            post: { tags: [agents], operationId: agentStart, security: [{ jwt: [] }], responses: { 200: { description: ok } } }
          /api/threads/{thread_id}:
            get:
              operationId: getThread
              parameters: [{ name: thread_id, in: path, required: true, schema: { type: string } }]
              responses: { 200: { description: ok } }
          /ws:
            get: { operationId: websocket, responses: { 101: { description: upgrade } } }
        """)
        let out = Binary.tempFile("from-yaml-\(UUID().uuidString).yaml")
        let r = try Binary.run(["init", "--openapi", doc, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("name: \"netra_staging\""))
        #expect(text.contains("  base_url: \"\(url)\""))
        #expect(text.contains("  # openapi: "))
        #expect(text.contains("- name: \"backend_health\"") && text.contains("http: { path: \"/health\" }"))
        #expect(text.contains("- name: \"agentStatus\"") && text.contains("http: { path: \"/api/agents/status\", auth: bearer }"))
        #expect(text.contains("#   - GET /ws (websocket): a WebSocket route"))
        #expect(text.contains("#   - GET /api/threads/{thread_id} (getThread): needs thread_id (path)"))
        #expect(text.contains("#   - POST /api/agents/start (agentStart): not a GET"))

        // Against the sim it names, with the sim's token in the variable the file reads.
        let token = try LoopbackHTTP.request("\(url)/auth/e2e/token", method: "POST", headers: ["X-E2E-Bypass-Key": "sim-bypass-key"], body: "{}")
        let jwt = try #require((try JSONSerialization.jsonObject(with: Data(token.body.utf8)) as? [String: Any])?["access_token"] as? String)
        let check = try Binary.run(["check", out], env: ["STAGING_JWT": jwt])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("2/2 passed"), "\(check.stdout)")
    }

    @Test("refusals say why and exit 2: not OpenAPI, no GET, an unreachable URL, an existing output, a bad --base-url")
    func refusals() throws {
        let (sim, url) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let notOpenAPI = try Binary.run(["init", "--openapi", "examples/staging.yaml"])
        #expect(notOpenAPI.status == 2)
        #expect(notOpenAPI.stderr.contains("examples/staging.yaml:1:1: error: not an OpenAPI document: it has no 'openapi' version key"), "\(notOpenAPI.stderr)")

        let swagger = Binary.tempFile("swagger.json", #"{"swagger":"2.0","paths":{}}"#)
        let swaggerRun = try Binary.run(["init", "--openapi", swagger])
        #expect(swaggerRun.status == 2 && swaggerRun.stderr.contains("this is a Swagger 2.0 document, not OpenAPI 3"), "\(swaggerRun.stderr)")

        let postOnly = Binary.tempFile("post-only.yaml", "openapi: 3.1.0\nservers: [{ url: \"\(url)\" }]\npaths:\n  /api/threads:\n    post: { responses: { 201: { description: created } } }\n")
        let noGET = try Binary.run(["init", "--openapi", postOnly])
        #expect(noGET.status == 2)
        #expect(noGET.stderr.contains("error: the document has no GET operation to probe (1 operation, none a GET)"), "\(noGET.stderr)")

        let missing = try Binary.run(["init", "--openapi", "\(url)/no-such-document.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("\(url)/no-such-document.json answered 404 Not Found"), "\(missing.stderr)")
        let closed = "http://127.0.0.1:\(LoopbackHTTP.freePort())/openapi.json"
        let refused = try Binary.run(["init", "--openapi", closed])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("cannot fetch \(closed): connection refused"), "\(refused.stderr)")
        let noFile = try Binary.run(["init", "--openapi", "no-such-openapi.yaml"])
        #expect(noFile.status == 2 && noFile.stderr.contains("cannot read no-such-openapi.yaml"), "\(noFile.stderr)")

        let existing = Binary.tempFile("existing-\(UUID().uuidString).yaml", "keep me\n")
        let kept = try Binary.run(["init", "--openapi", "\(url)/openapi.json", "-o", existing])
        #expect(kept.status == 2)
        #expect(kept.stderr.contains("\(existing) exists; not overwriting it (add --force to replace it)"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me\n")
        let forced = try Binary.run(["init", "--openapi", "\(url)/openapi.json", "-o", existing, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")

        let badBase = try Binary.run(["init", "--openapi", "\(url)/openapi.json", "--base-url", "staging.example.com"])
        #expect(badBase.status == 2 && badBase.stderr.contains("--base-url 'staging.example.com' is not an http(s) URL"), "\(badBase.stderr)")
        let both = try Binary.run(["init", "--openapi", "x.json", "--from-gatus", "g.yaml"])
        #expect(both.status == 2 && both.stderr.contains("--from-gatus and --openapi cannot be used together"), "\(both.stderr)")
    }
}
