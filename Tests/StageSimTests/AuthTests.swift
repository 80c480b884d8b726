import Foundation
import Testing

@testable import StageSim

@Suite("authentication: bypass key and bearer tokens")
struct AuthTests {
    /// Every bearer-protected route with a method it serves.
    static let protectedRoutes: [(method: String, path: String)] = [
        ("GET", "/api/user/profile"), ("GET", "/api/threads"), ("POST", "/api/threads"),
        ("GET", "/api/messages"), ("GET", "/api/chat/messages"), ("POST", "/api/chat/messages"),
        ("GET", "/api/agents/status"), ("POST", "/api/agents/start"), ("POST", "/api/agents/stop"),
        ("POST", "/api/agents/cancel"), ("GET", "/api/threads/thread-1"), ("DELETE", "/api/threads/thread-1"),
    ]

    @Test func wrongOrMissingBypassKeyIs401() async throws {
        try await withSim { sim in
            for headers in [[:], ["X-E2E-Bypass-Key": "guess"]] {
                let reply = try await sim.post("/auth/e2e/token", headers: headers)
                #expect(reply.status == 401)
                #expect(reply.json()?["detail"] as? String == "Invalid E2E bypass key")
            }
        }
    }

    @Test func bypassKeyIsConfigurable() async throws {
        try await withSim(bypassKey: "other-key") { sim in
            #expect(sim.bypassKey == "other-key")
            let old = try await sim.post("/auth/e2e/token", headers: ["X-E2E-Bypass-Key": SimServer.defaultBypassKey])
            #expect(old.status == 401)
            _ = try await sim.loginToken()
        }
    }

    @Test func protectedRoutesRejectMissingToken() async throws {
        try await withSim { sim in
            for route in Self.protectedRoutes {
                let reply = try await sim.send(route.method, route.path, body: route.method == "POST" ? "{}" : nil)
                #expect(reply.status == 401, "\(route.method) \(route.path)")
                #expect(reply.json()?["detail"] as? String == "Not authenticated", "\(route.method) \(route.path)")
                #expect(reply.header("WWW-Authenticate") == "Bearer")
            }
        }
    }

    @Test func protectedRoutesAcceptTheDevToken() async throws {
        try await withSim { sim in
            for route in Self.protectedRoutes where route.path != "/api/chat/messages" || route.method == "GET" {
                let reply = try await sim.send(
                    route.method, route.path, token: sim.devToken, body: route.method == "POST" ? "{}" : nil)
                // 201 for a created thread, 204 for a deleted one (the GET of thread-1 comes first).
                #expect((200..<300).contains(reply.status), "\(route.method) \(route.path): \(reply.status)")
            }
        }
    }

    @Test(arguments: [
        ("garbage", "Invalid token"),
        ("a.b.c", "Invalid token"),
        (SimToken.sign(.init(sub: "u", iat: 0, exp: 1)), "Token has expired"),
        (SimToken.sign(.init(sub: "u", iss: "someone-else", iat: 0, exp: 4_000_000_000)), "Invalid token issuer 'someone-else'"),
        (AuthTests.tamperedToken(), "Invalid token signature"),
    ])
    func badTokensAre401WithAReason(token: String, detail: String) async throws {
        try await withSim { sim in
            let reply = try await sim.get("/api/user/profile", token: token)
            #expect(reply.status == 401)
            #expect(reply.json()?["detail"] as? String == detail)
        }
    }

    /// A valid token whose payload was swapped for another user's, keeping the old signature.
    static func tamperedToken() -> String {
        let genuine = SimToken.issue(subject: "staging-e2e-user-003").split(separator: ".")
        let forged = SimToken.issue(subject: "admin").split(separator: ".")
        return [genuine[0], forged[1], genuine[2]].joined(separator: ".")
    }

    @Test func nonBearerSchemeIsRejected() async throws {
        try await withSim { sim in
            let reply = try await sim.get("/api/threads", headers: ["Authorization": "Basic dXNlcjpwYXNz"])
            #expect(reply.status == 401)
        }
    }
}
