import Foundation
import Testing

@testable import StageSim

@Suite("each shipped scenario reproduces its staging report")
struct ScenarioFaultTests {
    @Test func report000ProfileAndHealthRoutesMissing() async throws {
        try await withSim(scenario: "ws-403-routes-404") { sim in
            let profile = try await sim.get("/api/user/profile", token: sim.devToken)
            #expect(profile.status == 404)
            #expect(profile.json()?["detail"] as? String == "Not Found")
            // The report's "invalid token: expected 401 but got 404": the route is gone before auth.
            let invalid = try await sim.get("/api/user/profile", token: "garbage")
            #expect(invalid.status == 404)
            #expect(try await sim.get("/api/health").status == 404)
            #expect(try await sim.get("/health").status == 200)
            #expect(try await sim.get("/api/threads", token: sim.devToken).status == 200)
        }
    }

    @Test func report001BypassKeyRejected() async throws {
        try await withSim(scenario: "ws-1008-bad-bypass") { sim in
            let reply = try await sim.post("/auth/e2e/token", headers: ["X-E2E-Bypass-Key": sim.bypassKey])
            #expect(reply.status == 401)
            #expect(reply.text == #"{"detail":"Invalid E2E bypass key"}"#)
            // Direct JWTs still work over HTTP (the report's fallback); the WS 1008 is in ScenarioSocketTests.
            #expect(try await sim.get("/api/user/profile", token: sim.devToken).status == 200)
        }
    }

    @Test func report002HealthRedirectsAndDiscovery500() async throws {
        try await withSim(scenario: "redirect-307-discovery-500") { sim in
            let health = try await sim.get("/health")
            #expect(health.status == 307)
            #expect(health.header("Location") == "/health/")
            let apiHealth = try await sim.get("/api/health")
            #expect(apiHealth.status == 307)
            #expect(apiHealth.header("Location") == "/api/health/")
            // Following the redirect lands on a healthy route, as on staging.
            #expect(try await sim.get("/health/").status == 200)
            #expect(try await sim.get("/api/health/").status == 200)

            let discovery = try await sim.get("/api/discovery/services")
            #expect(discovery.status == 500)
            #expect(discovery.json()?["detail"] as? String == "Internal Server Error")
            #expect(try await sim.get("/api/mcp/tools").status == 200)
        }
    }

    @Test func report003AgentControlAndMessagesMissingChatForbidden() async throws {
        try await withSim(scenario: "ws-1011-routes-404") { sim in
            let token = sim.devToken
            for path in ["/api/agents/start", "/api/agents/stop", "/api/agents/cancel"] {
                #expect(try await sim.post(path, token: token).status == 404, "\(path)")
            }
            #expect(try await sim.get("/api/messages", token: token).status == 404)
            let chat = try await sim.get("/api/chat/messages", token: token)
            #expect(chat.status == 403)
            #expect(chat.json()?["detail"] as? String == "Forbidden")
            // The report's working routes still work.
            #expect(try await sim.get("/api/discovery/services").status == 200)
            #expect(try await sim.get("/api/agents/status", token: token).status == 200)
            #expect(try await sim.get("/api/threads", token: token).status == 200)
        }
    }

    @Test func report004EverythingAnswers200() async throws {
        try await withSim(scenario: "ws-1011-streams-hang") { sim async throws in
            #expect(try await sim.get("/health").status == 200)
            #expect(try await sim.get("/api/agents/status", token: sim.devToken).status == 200)
            #expect(sim.activeFaults["/api/agents/status"] == .delay(ms: 75, jitterMs: 15))
        }
    }

    @Test func wrongShapeKeeps200ButBreaksTheBody() async throws {
        try await withSim { sim in
            sim.setFault(.wrongShape, for: "/api/discovery/services")
            let reply = try await sim.get("/api/discovery/services")
            #expect(reply.status == 200)
            #expect(reply.json()?["services"] is String)

            sim.setFault(.wrongShape, for: "/api/agents/status")
            let status = try await sim.get("/api/agents/status", token: sim.devToken)
            #expect(status.status == 200)
            #expect(status.json()?["status"] == nil)
            // Auth still comes first: a wrong-shape route still refuses a missing token.
            #expect(try await sim.get("/api/agents/status").status == 401)
        }
    }

    @Test(arguments: [401, 403, 404, 429, 500])
    func statusFaultsAnswerWithADetail(status: Int) async throws {
        try await withSim { sim in
            sim.setFault(.status(status), for: "/api/health")
            let reply = try await sim.get("/api/health")
            #expect(reply.status == status)
            #expect(reply.json()?["detail"] as? String == SimResponses.reasonPhrase(status))
            if status == 429 { #expect(reply.header("Retry-After") == "1") }
        }
    }

    @Test func faultsCanSitOnPathsNoRouteServes() async throws {
        try await withSim { sim in
            sim.setFault(.status(503, detail: "maintenance"), for: "/api/events")
            let reply = try await sim.get("/api/events")
            #expect(reply.status == 503)
            #expect(reply.json()?["detail"] as? String == "maintenance")
        }
    }
}
