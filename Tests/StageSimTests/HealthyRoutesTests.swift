import Foundation
import Testing

@testable import StageSim

@Suite("healthy scenario: every route answers as staging should")
struct HealthyRoutesTests {
    @Test func healthRoutesAnswerHealthy() async throws {
        try await withSim { sim in
            let health = try await sim.get("/health")
            #expect(health.status == 200)
            #expect(health.header("Content-Type") == "application/json")
            let body = try #require(health.json())
            #expect(body["status"] as? String == "healthy")
            #expect(body["service"] as? String == "netra-backend")
            #expect(body["version"] is String)

            let api = try #require(try await sim.get("/api/health").json())
            #expect(api["status"] as? String == "healthy")
            let checks = try #require(api["checks"] as? [String: String])
            #expect(checks["database"] == "healthy")
        }
    }

    @Test func trailingSlashServesTheSameRoute() async throws {
        try await withSim { sim in
            let reply = try await sim.get("/health/")
            #expect(reply.status == 200)
            #expect(reply.json()?["status"] as? String == "healthy")
        }
    }

    @Test func discoveryListsThreeServicesAndElevenTools() async throws {
        try await withSim { sim in
            let services = try #require(try await sim.get("/api/discovery/services").json()?["services"] as? [[String: Any]])
            #expect(services.compactMap { $0["name"] as? String } == ["netra-backend", "auth-service", "mcp-server"])

            let tools = try #require(try await sim.get("/api/mcp/tools").json()?["tools"] as? [[String: Any]])
            #expect(tools.count == 11)
            #expect(tools.allSatisfy { ($0["name"] as? String)?.isEmpty == false && $0["description"] is String })
            #expect(Set(tools.compactMap { $0["name"] as? String }).count == 11)
        }
    }

    @Test func bypassLoginIssuesAValidToken() async throws {
        try await withSim { sim in
            let reply = try await sim.post(
                "/auth/e2e/token", headers: ["X-E2E-Bypass-Key": SimServer.defaultBypassKey],
                body: #"{"user":"staging-e2e-user-003"}"#)
            #expect(reply.status == 200)
            let body = try #require(reply.json())
            #expect(body["token_type"] as? String == "bearer")
            #expect(body["expires_in"] as? Int == 900)
            let token = try #require(body["access_token"] as? String)
            #expect(token.split(separator: ".").count == 3)
            let claims = try SimToken.validate(token).get()
            #expect(claims.sub == "staging-e2e-user-003")
            #expect(claims.iss == "stagetop-sim")
            #expect(claims.exp - claims.iat == 900)
        }
    }

    @Test func profileIsTheTokensUser() async throws {
        try await withSim { sim in
            let token = try await sim.loginToken(user: "someone-else")
            let profile = try await sim.get("/api/user/profile", token: token)
            #expect(profile.status == 200)
            #expect(profile.json()?["user_id"] as? String == "someone-else")

            let dev = try await sim.get("/api/user/profile", token: sim.devToken)
            #expect(dev.json()?["user_id"] as? String == "staging-e2e-user-003")
        }
    }

    @Test func agentsStartStopCancelShowInStatus() async throws {
        try await withSim { sim in
            let token = sim.devToken
            let status = try #require(try await sim.get("/api/agents/status", token: token).json())
            #expect(status["status"] as? String == "ready")
            #expect((status["agents"] as? [Any])?.isEmpty == false)

            let started = try #require(
                try await sim.post("/api/agents/start", token: token, body: #"{"agent_type":"triage_agent"}"#).json())
            #expect(started["status"] as? String == "started")
            let agentID = try #require(started["agent_id"] as? String)

            let agents = try #require(try await sim.get("/api/agents/status", token: token).json()?["agents"] as? [[String: Any]])
            #expect(agents.contains { $0["agent_id"] as? String == agentID && $0["status"] as? String == "running" })

            let stopped = try await sim.post("/api/agents/stop", token: token, body: #"{"agent_id":"\#(agentID)"}"#)
            #expect(stopped.status == 200)
            #expect(stopped.json()?["status"] as? String == "stopped")
            #expect(stopped.json()?["agent_id"] as? String == agentID)

            let cancelled = try await sim.post("/api/agents/cancel", token: token, body: #"{"agent_id":"\#(agentID)"}"#)
            #expect(cancelled.json()?["status"] as? String == "cancelled")
        }
    }

    @Test func threadsListAndCreate() async throws {
        try await withSim { sim in
            let token = sim.devToken
            let before = try #require(try await sim.get("/api/threads", token: token).json()?["threads"] as? [[String: Any]])
            #expect(!before.isEmpty)

            let created = try await sim.post("/api/threads", token: token, body: #"{"title":"probe thread"}"#)
            #expect(created.status == 201)
            let id = try #require(created.json()?["id"] as? String)

            let after = try #require(try await sim.get("/api/threads", token: token).json()?["threads"] as? [[String: Any]])
            #expect(after.count == before.count + 1)
            #expect(after.contains { $0["id"] as? String == id && $0["title"] as? String == "probe thread" })
        }
    }

    @Test func chatMessagesPostThenListByThread() async throws {
        try await withSim { sim in
            let token = sim.devToken
            let thread = try #require(
                try await sim.post("/api/threads", token: token, body: #"{"title":"chat"}"#).json()?["id"] as? String)
            let posted = try await sim.post(
                "/api/chat/messages", token: token, body: #"{"content":"status?","thread_id":"\#(thread)"}"#)
            #expect(posted.status == 200)
            #expect(posted.json()?["status"] as? String == "received")

            let inThread = try #require(
                try await sim.get("/api/messages?thread_id=\(thread)", token: token).json()?["messages"] as? [[String: Any]])
            #expect(inThread.count == 1)
            #expect(inThread.first?["content"] as? String == "status?")

            let chat = try await sim.get("/api/chat/messages", token: token)
            #expect(chat.status == 200)
            #expect((chat.json()?["messages"] as? [Any])?.isEmpty == false)

            let empty = try await sim.post("/api/chat/messages", token: token, body: "{}")
            #expect(empty.status == 422)
        }
    }

    @Test func unknownRouteIs404AndWrongMethodIs405() async throws {
        try await withSim { sim in
            let missing = try await sim.get("/api/events")
            #expect(missing.status == 404)
            #expect(missing.json()?["detail"] as? String == "Not Found")

            let wrongMethod = try await sim.get("/auth/e2e/token")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("Allow") == "POST")
        }
    }
}
