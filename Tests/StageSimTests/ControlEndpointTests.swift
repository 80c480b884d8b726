import Foundation
import Testing

@testable import StageSim

@Suite("/__sim/ control endpoint and the Swift control API")
struct ControlEndpointTests {
    @Test func stateShowsScenarioAndFaults() async throws {
        try await withSim(scenario: "redirect-307-discovery-500") { sim in
            let state = try #require(try await sim.get("/__sim/state").json())
            #expect(state["scenario"] as? String == "redirect-307-discovery-500")
            let faults = try #require(state["faults"] as? [String: [String: Any]])
            #expect(faults["/health"]?["redirectTo"] as? String == "/health/")
            #expect(faults["/api/discovery/services"]?["status"] as? Int == 500)
            #expect((state["overrides"] as? [String: Any])?.isEmpty == true)
            #expect(state["in_flight"] as? Int == 0)
        }
    }

    @Test func stateCountsStagingRequestsServedNotControlOnes() async throws {
        try await withSim { sim in
            let before = try #require(try await sim.get("/__sim/state").json()?["requests_served"] as? Int)
            for _ in 0..<3 { #expect(try await sim.get("/api/health").status == 200) }
            #expect(try await sim.get("/nope-not-a-route").status == 404)
            let after = try #require(try await sim.get("/__sim/state").json()?["requests_served"] as? Int)
            #expect(after - before == 4, "three answers and one 404; the two state reads are not counted")
        }
    }

    @Test func putFlipsOneRouteAndNullClearsIt() async throws {
        try await withSim { sim in
            let put = try await sim.send(
                "PUT", "/__sim/faults", body: #"{"route":"/api/health","fault":{"status":500}}"#)
            #expect(put.status == 200)
            #expect(try await sim.get("/api/health").status == 500)
            #expect(try await sim.get("/health").status == 200)
            #expect(sim.activeFaults == ["/api/health": .status(500)])

            let clear = try await sim.send("PUT", "/__sim/faults", body: #"{"route":"/api/health","fault":null}"#)
            #expect(clear.status == 200)
            #expect(try await sim.get("/api/health").status == 200)
            #expect(sim.activeFaults.isEmpty)
        }
    }

    @Test func deleteClearsEveryOverrideButNotTheScenario() async throws {
        try await withSim(scenario: "ws-1011-routes-404") { sim in
            sim.setFault(.status(500), for: "/health")
            sim.setFault(RouteFault(redirectTo: "/elsewhere"), for: "/api/threads")
            let reply = try await sim.send("DELETE", "/__sim/faults")
            #expect(reply.status == 200)
            #expect(try await sim.get("/health").status == 200)
            #expect(try await sim.get("/api/threads", token: sim.devToken).status == 200)
            #expect(try await sim.get("/api/messages", token: sim.devToken).status == 404)
        }
    }

    @Test func anEmptyOverrideMasksTheScenarioFault() async throws {
        try await withSim(scenario: "redirect-307-discovery-500") { sim async throws in
            sim.setFault(RouteFault(), for: "/api/discovery/services")
            #expect(try await sim.get("/api/discovery/services").status == 200)
            #expect(sim.activeFaults["/api/discovery/services"] == nil)
            sim.setFault(nil, for: "/api/discovery/services")
            #expect(try await sim.get("/api/discovery/services").status == 500)
        }
    }

    @Test func postScenarioSwitchesAndClearsOverrides() async throws {
        try await withSim { sim in
            sim.setFault(.status(418), for: "/api/mcp/tools")
            let reply = try await sim.post("/__sim/scenario/ws-1008-bad-bypass")
            #expect(reply.status == 200)
            #expect(reply.json()?["scenario"] as? String == "ws-1008-bad-bypass")
            #expect(sim.scenario == "ws-1008-bad-bypass")
            #expect(try await sim.post("/auth/e2e/token", headers: ["X-E2E-Bypass-Key": sim.bypassKey]).status == 401)
            #expect(try await sim.get("/api/mcp/tools").status == 200)

            let unknown = try await sim.post("/__sim/scenario/no-such-thing")
            #expect(unknown.status == 404)
            #expect((unknown.json()?["known"] as? [String])?.contains("healthy") == true)
            #expect(sim.scenario == "ws-1008-bad-bypass")
        }
    }

    @Test func badControlRequestsAreRefused() async throws {
        try await withSim { sim async throws in
            #expect(try await sim.send("PUT", "/__sim/faults", body: "not json").status == 400)
            #expect(try await sim.send("PUT", "/__sim/faults", body: #"{"route":"health","fault":null}"#).status == 400)
            #expect(try await sim.send("PUT", "/__sim/faults", body: #"{"fault":{"status":500}}"#).status == 400)
            #expect(try await sim.get("/__sim/nothing").status == 404)
            #expect(try await sim.post("/__sim/state").status == 405)
        }
    }

    @Test func controlRoutesIgnoreFaultsAndLatency() async throws {
        try await withSim { sim in
            sim.setFault(.status(500), for: "/__sim/state")
            #expect(try await sim.get("/__sim/state").status == 200)
            let scenarios = try #require(try await sim.get("/__sim/scenarios").json())
            #expect((scenarios["scenarios"] as? [[String: Any]])?.count == Scenarios.all.count)
            #expect(scenarios["default_demo"] as? String == Scenarios.defaultDemo)
        }
    }

    @Test func setScenarioThrowsForUnknownNames() async throws {
        try await withSim { sim in
            #expect(throws: SimError.unknownScenario("nope", known: Scenarios.names)) {
                try sim.setScenario("nope")
            }
            try sim.setScenario("ws-403-routes-404")
            #expect(try await sim.get("/api/health").status == 404)
        }
    }
}
