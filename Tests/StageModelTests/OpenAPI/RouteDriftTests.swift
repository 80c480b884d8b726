import Foundation
import Testing

@testable import StageModel

@Suite("route drift: which probes the deployed OpenAPI document lacks, and how their 404 reads")
struct RouteDriftTests {
    static let document = """
    openapi: 3.1.0
    servers: [{ url: "https://api.example.com/v1" }]
    paths:
      /health: { get: { responses: { '200': { description: ok } } } }
      /threads: { get: { responses: { '200': { description: ok } } }, post: { responses: { '201': { description: ok } } } }
      /threads/{id}: { get: { responses: { '200': { description: ok } } } }
      /files/{name}.{ext}: { get: { responses: { '200': { description: ok } } } }
    """

    func deployed() throws -> DeployedRoutes {
        DeployedRoutes(spec: try OpenAPISpec.parse(Self.document, source: "d.yaml"), source: "d.yaml")
    }

    @Test func matchesMethodAndPathUnderTheServersPath() throws {
        let d = try deployed()
        #expect(d.count == 5)
        #expect(d.has(method: "GET", path: "/v1/health"))
        #expect(d.has(method: "get", path: "/v1/health/"), "a trailing slash is ignored")
        #expect(d.has(method: "GET", path: "/v1/health?x=1"), "the query is ignored")
        #expect(!d.has(method: "GET", path: "/health"), "the document's paths sit under its server's /v1")
        #expect(d.has(method: "POST", path: "/v1/threads") && !d.has(method: "DELETE", path: "/v1/threads"))
        #expect(d.has(method: "GET", path: "/v1/threads/t-1") && !d.has(method: "GET", path: "/v1/threads//"), "{id} is not empty")
        #expect(!d.has(method: "GET", path: "/v1/threads/t-1/messages"), "{id} is one segment")
        #expect(d.has(method: "GET", path: "/v1/files/report.tar.gz") && !d.has(method: "GET", path: "/v1/files/report"))
        #expect(d.has(method: "HEAD", path: "/v1/health") && d.has(method: "OPTIONS", path: "/v1/threads"))
    }

    func config(_ probes: String) throws -> StageConfig {
        try ConfigLoader.parse(yaml: """
        target: { base_url: "https://api.example.com/v1/" }
        auth: { token: t }
        probes:
        \(probes)
        """, file: "c.yaml", options: ConfigLoadOptions(environment: [:]))
    }

    @Test func marksHTTPStreamAndBurstProbesTheDocumentLacks() throws {
        let c = try config("""
          - { name: health, http: { path: /health } }
          - { name: thread, http: { path: "/threads/thread-1?full=1", auth: bearer } }
          - { name: start, http: { method: POST, path: /agents/start, auth: bearer } }
          - { name: feed, stream: { path: /events/stream } }
          - { name: load, burst: { path: /threads, method: DELETE, requests: 2, within: 1s } }
          - { name: elsewhere, http: { path: "https://other.example.com/nothing" } }
          - { name: ws, websocket: { auth: none } }
        """)
        let drift = RouteDrift.mark(c, against: try deployed())
        #expect(drift.source == "d.yaml")
        #expect(drift.undeployed == [
            "start": "POST /v1/agents/start", "feed": "GET /v1/events/stream", "load": "DELETE /v1/threads",
        ])
    }

    @Test func aSecretInThePathIsMaskedInTheRoute() throws {
        let c = try ConfigLoader.parse(yaml: """
        target: { base_url: "https://api.example.com/v1" }
        probes: [{ name: hook, http: { method: POST, path: "/hooks/${HOOK_SECRET}" } }]
        """, file: "c.yaml", options: ConfigLoadOptions(environment: ["HOOK_SECRET": "s3cr3t-hook-value"]))
        let drift = RouteDrift.mark(c, against: try deployed())
        #expect(drift.undeployed == ["hook": "POST /v1/hooks/\(SecretScrubber.mask)"])
    }

    @Test func only404sOfMarkedProbesAreRetold() {
        let drift = RouteDrift(source: "d", undeployed: ["start": "POST /v1/agents/start", "load": "GET /v1/x"])
        let at = Date()
        func run(_ probe: String, _ kind: ProbeKind = .http, status: Int?, cls: FailureClass?, statuses: [Int: Int] = [:]) -> ProbeResult {
            ProbeResult(probe: probe, kind: kind, verdict: cls == nil ? .pass : .fail, failureClass: cls, message: "404 Not Found",
                        status: status, statuses: statuses, startedAt: at, finishedAt: at)
        }
        func message(_ event: ProbeEvent) -> String? {
            if case .finished(let r) = event { return r.message }
            return nil
        }
        let retold = drift.apply(.finished(run("start", status: 404, cls: .route)))
        #expect(message(retold) == "route: not in the deployed API (POST /v1/agents/start)")
        if case .finished(let r) = retold { #expect(r.verdict == .fail && r.failureClass == .route && r.status == 404) }
        #expect(message(drift.apply(.finished(run("load", .burst, status: nil, cls: .route, statuses: [404: 3])))) == "route: not in the deployed API (GET /v1/x)")
        // A 404 on a deployed route, a 405, a 500 or a pass keep their own words.
        #expect(message(drift.apply(.finished(run("other", status: 404, cls: .route)))) == "404 Not Found")
        #expect(message(drift.apply(.finished(run("start", status: 405, cls: .route)))) == "404 Not Found")
        #expect(message(drift.apply(.finished(run("start", status: 500, cls: .server)))) == "404 Not Found")
        #expect(message(drift.apply(.finished(run("start", status: 200, cls: nil)))) == "404 Not Found")
    }

    @Test func theConfigKeyTakesAURLOrAFileBesideTheConfig() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.document.utf8).write(to: dir.appendingPathComponent("api.yaml"))
        let file = dir.appendingPathComponent("c.yaml").path
        func load(_ openapi: String) throws(ConfigError) -> StageConfig {
            try ConfigLoader.parse(yaml: "target: { base_url: https://api.example.com, openapi: \"\(openapi)\" }\nprobes: [{ name: h, http: { path: /h } }]\n",
                                   file: file, options: ConfigLoadOptions(environment: ["HOST": "api.example.com"]))
        }
        let url = try load("https://${HOST}/openapi.json").target.openapi
        #expect(url == OpenAPILocation(value: "https://api.example.com/openapi.json", isURL: true, setAt: SourceLocation(file: file, line: 1, column: 55)))
        let local = try load("./api.yaml").target.openapi
        #expect(local?.value == dir.appendingPathComponent("api.yaml").standardizedFileURL.path && local?.isURL == false)
        do {
            _ = try load("./missing.yaml")
            Issue.record("loaded a missing document")
        } catch {
            #expect(error.description.hasPrefix("\(file):1:55: error: target.openapi './missing.yaml' does not exist"))
        }
        #expect(throws: ConfigError.self) { try load("ftp://x/openapi.json") }
    }
}
