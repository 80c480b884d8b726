import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

@Suite("HTTPProbeRunner: verdicts, classes and messages")
struct HTTPProbeRunnerTests {
    func runner(_ sim: SimServer, _ engine: CurlEngine, token: Secret? = nil) -> HTTPProbeRunner {
        HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: sim.baseURL, headers: [("X-Client", "stagetop")]),
                        token: token)
    }

    @Test("200 passes with \"200 OK\", timings and the response captured")
    func pass() async throws {
        try await withSim { sim, engine in
            let r = await runner(sim, engine).run(httpProbe("backend_health", path: "/health",
                conditions: ["[STATUS] == 200", "[BODY].status == healthy", "[RESPONSE_TIME] < 5s"]))
            #expect(r.verdict == .pass)
            #expect(r.failureClass == nil)
            #expect(r.message == "200 OK")
            #expect(r.status == 200)
            #expect(r.kind == .http)
            #expect(r.conditions.count == 3 && r.conditions.allSatisfy(\.ok))
            #expect(r.latencyMs == r.timings?.total)
            #expect(r.response?.status == 200)
            #expect(r.response?.bodyText.contains("healthy") == true)
            #expect(r.finishedAt >= r.startedAt)
        }
    }

    @Test("307 not followed fails as redirect and names the target")
    func redirectNotFollowed() async throws {
        try await withSim { sim, engine in
            sim.setFault(RouteFault(redirectTo: "/health/"), for: "/health")
            let r = await runner(sim, engine).run(httpProbe(path: "/health", conditions: ["[STATUS] == 200"]))
            #expect(r.verdict == .fail)
            #expect(r.failureClass == .redirect)
            #expect(r.status == 307)
            #expect(r.message == "307 Temporary Redirect → \(sim.baseURL)/health/")
        }
    }

    @Test("307 followed when follow_redirects is on")
    func redirectFollowed() async throws {
        try await withSim { sim, engine in
            sim.setFault(RouteFault(redirectTo: "/health/"), for: "/health")
            let r = await runner(sim, engine).run(httpProbe(path: "/health", follow: true, conditions: ["[STATUS] == 200"]))
            #expect(r.verdict == .pass)
            #expect(r.message == "200 OK")
        }
    }

    @Test("404 → route, 405 → route, 500 → server with the body's detail, 429 → rate_limit")
    func statusClasses() async throws {
        try await withSim { sim, engine in
            let run = runner(sim, engine)
            sim.setFault(.status(404), for: "/api/health")
            var r = await run.run(httpProbe(path: "/api/health"))
            #expect(r.verdict == .fail && r.failureClass == .route && r.message == "404 Not Found")

            sim.setFault(.status(500, detail: "database connection pool exhausted\nstack…"), for: "/api/discovery/services")
            r = await run.run(httpProbe(path: "/api/discovery/services", conditions: ["[STATUS] == 200"]))
            #expect(r.verdict == .fail && r.failureClass == .server)
            #expect(r.message == "500 Internal Server Error: database connection pool exhausted")

            sim.setFault(.status(429), for: "/api/health")
            r = await run.run(httpProbe(path: "/api/health"))
            #expect(r.failureClass == .rateLimit && r.message == "429 Too Many Requests")
        }
    }

    @Test("401 without a token and 403 with one are auth failures")
    func authClasses() async throws {
        try await withSim { sim, engine in
            var r = await runner(sim, engine).run(httpProbe(path: "/api/user/profile"))
            #expect(r.status == 401)
            #expect(r.verdict == .fail && r.failureClass == .auth)
            #expect(r.message.hasPrefix("401 Unauthorized"))

            sim.setFault(.status(403), for: "/api/user/profile")
            r = await runner(sim, engine, token: Secret(sim.devToken)).run(httpProbe(path: "/api/user/profile", auth: .bearer))
            #expect(r.status == 403 && r.failureClass == .auth && r.message == "403 Forbidden")
        }
    }

    @Test("the bearer token is sent, and appears nowhere in the result")
    func bearerNeverLeaks() async throws {
        try await withSim { sim, engine in
            let token = sim.devToken
            let r = await runner(sim, engine, token: Secret(token)).run(
                httpProbe(path: "/api/user/profile", auth: .bearer, conditions: ["[STATUS] == 200", "has([BODY].user_id) == true"]))
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(!String(describing: r).contains(token))
            #expect(!String(reflecting: r).contains(token))
            #expect(!r.message.contains(token))
            #expect(r.response?.headers.contains { $0.value.contains(token) || $0.name == "Authorization" } == false)
            #expect(r.response?.bodyText.contains(token) == false)
            #expect(!r.conditions.contains { $0.actual.contains(token) })
        }
    }

    @Test("auth: bearer without a token is an error, not a request")
    func bearerWithoutToken() async throws {
        try await withSim { sim, engine in
            let r = await runner(sim, engine, token: nil).run(httpProbe(path: "/api/user/profile", auth: .bearer))
            #expect(r.verdict == .error && r.failureClass == .auth)
            #expect(r.status == nil)
        }
    }

    @Test("a slow route over the probe timeout fails as timeout, bounded")
    func timeout() async throws {
        try await withSim { sim, engine in
            sim.setFault(.delay(ms: 2000), for: "/api/health")
            let start = ContinuousClock.now
            let r = await runner(sim, engine).run(httpProbe(path: "/api/health", timeout: 0.3))
            #expect(ContinuousClock.now - start < .milliseconds(1500))
            #expect(r.verdict == .fail && r.failureClass == .timeout)
            #expect(r.message == "timeout after 0.3 s")
            #expect(r.status == nil && r.latencyMs == nil)
        }
    }

    @Test("connection refused fails as network")
    func refused() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let run = HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: "http://127.0.0.1:\(closedPort())"), token: nil)
        let r = try await withTimeout(10) { await run.run(httpProbe(path: "/health")) }
        #expect(r.verdict == .fail && r.failureClass == .network)
        #expect(r.message == "connection refused")
    }

    @Test("a failed condition on a 200 says which and what it saw")
    func conditionFailure() async throws {
        try await withSim { sim, engine in
            sim.setFault(.delay(ms: 50), for: "/api/health")
            let r = await runner(sim, engine).run(httpProbe(path: "/api/health", conditions: ["[STATUS] == 200", "[RESPONSE_TIME] < 10ms"]))
            #expect(r.verdict == .fail && r.failureClass == .condition)
            #expect(r.message.hasPrefix("200 OK; failed [RESPONSE_TIME] < 10ms (actual "))
        }
    }

    @Test("a body of the wrong shape fails as schema")
    func wrongShape() async throws {
        try await withSim { sim, engine in
            sim.setFault(.wrongShape, for: "/api/discovery/services")
            let r = await runner(sim, engine).run(httpProbe(path: "/api/discovery/services",
                conditions: ["[STATUS] == 200", "len([BODY].services) >= 1", "[BODY].services[0].name == netra-backend"]))
            #expect(r.verdict == .fail)
            #expect(r.failureClass == .schema || r.failureClass == .condition)
        }
    }

    @Test("error detail: JSON detail/error/message, else the first text line, capped")
    func errorDetail() {
        #expect(HTTPStatusText.errorDetail(Array(#"{"detail":"Not Found"}"#.utf8)) == "Not Found")
        #expect(HTTPStatusText.errorDetail(Array(#"{"error":{"message":"boom"}}"#.utf8)) == "boom")
        #expect(HTTPStatusText.errorDetail(Array("\n  upstream timed out  \nmore".utf8)) == "upstream timed out")
        #expect(HTTPStatusText.errorDetail([]) == nil)
        #expect(HTTPStatusText.errorDetail(Array(String(repeating: "a", count: 500).utf8))?.count == 120)
    }
}
