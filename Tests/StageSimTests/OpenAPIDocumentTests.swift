import Foundation
import Testing

@testable import StageSim

@Suite("/openapi.json: the routes the sim serves, and only the deployed ones")
struct OpenAPIDocumentTests {
    /// "METHOD /path" for every operation of the served document.
    static func operations(_ doc: [String: Any]) -> Set<String> {
        var out = Set<String>()
        for (path, item) in doc["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys { out.insert("\(method.uppercased()) \(path)") }
        }
        return out
    }

    static func document(_ sim: SimServer) async throws -> [String: Any] {
        let reply = try await sim.get("/openapi.json")
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "application/json")
        return try #require(reply.json())
    }

    @Test func listsEveryRouteWithMethodsSecurityTagsAndParameters() async throws {
        try await withSim { sim in
            let doc = try await Self.document(sim)
            #expect(doc["openapi"] as? String == "3.1.0")
            var expected = Set<String>()
            for route in StagingRoutes.all {
                for method in route.methods { expected.insert("\(method.rawValue) \(route.path)") }
            }
            #expect(Self.operations(doc) == expected)
            #expect(expected.contains("GET /api/threads/{id}") && expected.contains("DELETE /api/threads/{id}"))
            #expect(!Self.operations(doc).contains { $0.hasSuffix(" /ws") || $0.contains("/__sim") || $0.contains("/openapi.json") })

            let scheme = (doc["components"] as? [String: Any]).flatMap { $0["securitySchemes"] as? [String: [String: Any]] }?["bearer"]
            #expect(scheme?["type"] as? String == "http" && scheme?["scheme"] as? String == "bearer")
            let tags = (doc["tags"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(tags == ["health", "auth", "discovery", "agents", "threads", "streams"])

            let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
            // Auth routes say so; open ones do not.
            #expect(paths["/api/threads"]?["get"]?["security"] as? [[String: [String]]] == [["bearer": []]])
            #expect(paths["/health"]?["get"]?["security"] == nil)
            #expect(paths["/health"]?["get"]?["tags"] as? [String] == ["health"])
            #expect(paths["/api/events/stream"]?["get"]?["tags"] as? [String] == ["streams"])
            // The created status, the path parameter, the body a POST must have.
            let create = try #require(paths["/api/threads"]?["post"])
            #expect((create["responses"] as? [String: Any])?["201"] != nil)
            let byID = try #require(paths["/api/threads/{id}"]?["get"])
            let parameter = (byID["parameters"] as? [[String: Any]])?.first
            #expect(parameter?["name"] as? String == "id" && parameter?["in"] as? String == "path" && parameter?["required"] as? Bool == true)
            #expect((byID["responses"] as? [String: Any])?["404"] != nil)
            #expect((paths["/api/threads/{id}"]?["delete"]?["responses"] as? [String: Any])?["204"] != nil)
            let chat = try #require(paths["/api/chat/messages"]?["post"]?["requestBody"] as? [String: Any])
            #expect(chat["required"] as? Bool == true)
            // Every operation id is unique and one word.
            let ids = paths.values.flatMap { $0.values.compactMap { $0["operationId"] as? String } }
            #expect(Set(ids).count == expected.count)
            #expect(ids.allSatisfy { !$0.contains(where: { !$0.isLetter && !$0.isNumber && $0 != "_" }) })
        }
    }

    @Test func aScenarioThatRemovedRoutesLeavesThemOut() async throws {
        try await withSim(scenario: "ws-1011-routes-404") { sim in
            let ops = Self.operations(try await Self.document(sim))
            for gone in ["POST /api/agents/start", "POST /api/agents/stop", "POST /api/agents/cancel", "GET /api/messages",
                         "GET /api/events/stream"] {
                #expect(!ops.contains(gone), "\(gone)")
            }
            // 403 is a deployed route refusing, not a missing one.
            #expect(ops.contains("GET /api/chat/messages") && ops.contains("POST /api/chat/stream"))
            #expect(ops.contains("GET /api/agents/status"))

            // Back when the scenario changes; a run-time 404 removes a route the same way.
            try sim.setScenario("healthy")
            #expect(Self.operations(try await Self.document(sim)).contains("POST /api/agents/start"))
            sim.setFault(.status(404), for: "/api/threads")
            let ops2 = Self.operations(try await Self.document(sim))
            #expect(!ops2.contains("GET /api/threads") && !ops2.contains("GET /api/threads/{id}"), "a missing collection takes its ids with it")
            #expect(try await sim.get("/api/threads/thread-1", token: sim.devToken).status == 404)
        }
    }

    @Test func report000sMissingRoutesAreOutToo() async throws {
        try await withSim(scenario: "ws-403-routes-404") { sim in
            let ops = Self.operations(try await Self.document(sim))
            #expect(!ops.contains("GET /api/user/profile") && !ops.contains("GET /api/health"))
            #expect(ops.contains("GET /health"))
        }
    }

    @Test func theDocumentItselfCanBeFaulted() async throws {
        try await withSim { sim async throws in
            sim.setFault(.status(500), for: "/openapi.json")
            #expect(try await sim.get("/openapi.json").status == 500)
            #expect(try await sim.post("/openapi.json").status == 500)
            sim.clearFaults()
            #expect(try await sim.post("/openapi.json").status == 405)
        }
    }
}
