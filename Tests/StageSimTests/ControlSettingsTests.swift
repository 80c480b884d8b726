import Foundation
import Testing

@testable import StageSim

@Suite("/__sim/ws, /__sim/streams, /__sim/token and token lifetime")
struct ControlSettingsTests {
    @Test func putWSSetsFaultsStateShowsThemAndNullClears() async throws {
        try await withSim(scenario: "ws-1011-routes-404") { sim in
            let put = try await sim.send("PUT", "/__sim/ws", body: #"{"legacyWelcome":true,"omitEvents":["agent_thinking"]}"#)
            #expect(put.status == 200)
            let ws = try #require(put.json()?["ws"] as? [String: Any])
            #expect(ws["legacyWelcome"] as? Bool == true)
            #expect(ws["omitEvents"] as? [String] == ["agent_thinking"])
            // The override replaces the scenario's faults as a whole.
            #expect(ws["closeAfterWelcome"] == nil)
            #expect(sim.wsFaults == WSFaults(legacyWelcome: true, omitEvents: ["agent_thinking"]))

            let socket = try await sim.webSocket(token: sim.devToken)
            defer { socket.close() }
            #expect(jsonObject(try await socket.nextText())?["type"] as? String == "connection_established")

            #expect(try await sim.send("PUT", "/__sim/ws", body: "null").status == 200)
            #expect(sim.wsFaults.closeAfterWelcome == 1011)
            #expect(try await sim.get("/__sim/ws").json()?["closeAfterWelcome"] as? Int == 1011)

            #expect(try await sim.send("PUT", "/__sim/ws", body: "{}").status == 200)
            #expect(sim.wsFaults == WSFaults())
            #expect(try await sim.send("DELETE", "/__sim/ws").status == 200)
            #expect(sim.wsFaults.closeAfterWelcome == 1011)
        }
    }

    @Test func badWSFaultsAreRefused() async throws {
        try await withSim { sim in
            for body in [
                #"{"closeAfterWelcom":1011}"#,  // misspelt: refused, not ignored
                #"{"closeAfterWelcome":1006}"#,  // reserved, never sent on the wire
                #"{"handshakeStatus":101}"#,
                #"{"closeAfterSeconds":0}"#,
                #"{"rejectAllTokens":"yes"}"#,
                "[1]",
                "not json",
            ] {
                let reply = try await sim.send("PUT", "/__sim/ws", body: body)
                #expect(reply.status == 400, "\(body)")
            }
            #expect(sim.wsFaults == WSFaults())
            #expect(try await sim.post("/__sim/ws").status == 405)
        }
    }

    @Test func putStreamsSetsOneRoutesModeAndNullClears() async throws {
        try await withSim { sim in
            let put = try await sim.send(
                "PUT", "/__sim/streams", body: #"{"route":"/api/chat/stream","mode":{"kind":"slowDrip","gapMs":10,"count":2}}"#)
            #expect(put.status == 200)
            let streams = try #require(put.json()?["streams"] as? [String: [String: Any]])
            #expect(streams["/api/chat/stream"]?["kind"] as? String == "slowDrip")
            #expect(sim.streamModes == ["/api/chat/stream": .slowDrip(gapMs: 10, count: 2)])

            let stream = try await sim.eventStream("/api/chat/stream")
            defer { stream.close() }
            #expect(try await stream.readToEnd().map(\.name) == ["agent_started", "agent_thinking", "done"])

            #expect(try await sim.send("PUT", "/__sim/streams", body: #"{"route":"/api/chat/stream","mode":"neverFinish"}"#).status == 200)
            #expect(sim.streamModes == ["/api/chat/stream": .neverFinish])
            #expect(try await sim.send("PUT", "/__sim/streams", body: #"{"route":"/api/chat/stream","mode":null}"#).status == 200)
            #expect(sim.streamModes.isEmpty)

            for body in [
                #"{"route":"/api/health","mode":"ok"}"#,
                #"{"route":"/api/chat/stream","mode":{"kind":"stallAfter"}}"#,
                #"{"route":"/api/chat/stream","mode":{"kind":"stallAfter","events":-1}}"#,
                #"{"route":"/api/chat/stream","mode":"stallAfter"}"#,
                #"{"route":"/api/chat/stream","mode":{"kind":"sideways"}}"#,
            ] {
                #expect(try await sim.send("PUT", "/__sim/streams", body: body).status == 400, "\(body)")
            }
        }
    }

    @Test func streamModesRoundTripThroughJSON() throws {
        for mode in [StreamMode.ok, .noFirstByte, .stallAfter(2), .neverFinish, .slowDrip(gapMs: 250, count: 4)] {
            let decoded = try JSONDecoder().decode(StreamMode.self, from: JSONEncoder().encode(mode))
            #expect(decoded == mode)
        }
        let faults = WSFaults(handshakeStatus: 403, omitEvents: ["agent_completed"], maxConcurrent: 2)
        #expect(try JSONDecoder().decode(WSFaults.self, from: JSONEncoder().encode(faults)) == faults)
        #expect(try JSONDecoder().decode(WSFaults.self, from: Data("{}".utf8)) == WSFaults())
    }

    @Test func stateReportsConnectionsAndSettings() async throws {
        try await withSim { sim in
            let state = try #require(try await sim.get("/__sim/state").json())
            #expect(state["ws_connections"] as? Int == 0)
            #expect(state["open_streams"] as? Int == 0)
            #expect(state["token_lifetime_seconds"] as? Int == 900)
            #expect(state["ws_override"] is NSNull)
            #expect((state["streams"] as? [String: Any])?.isEmpty == true)
            #expect((state["rate_limit"] as? [String: Any])?["capacity"] as? Int == 20)
        }
    }

    @Test func tokenLifetimeIsConfigurableAndTheJWTCarriesExp() async throws {
        try await withSim { sim in
            sim.setTokenLifetime(seconds: 3)
            #expect(sim.tokenLifetimeSeconds == 3)
            let reply = try await sim.post("/auth/e2e/token", headers: ["X-E2E-Bypass-Key": sim.bypassKey])
            #expect(reply.json()?["expires_in"] as? Int == 3)
            let token = try #require(reply.json()?["access_token"] as? String)
            let claims = try SimToken.validate(token).get()
            #expect(claims.exp - claims.iat == 3)
            #expect(abs(Double(claims.exp) - Date().timeIntervalSince1970 - 3) < 2)
            // Good now, refused once it has expired (checked with a clock moved on, not by waiting).
            #expect(try await sim.get("/api/user/profile", token: token).status == 200)
            let later = Date(timeIntervalSince1970: Double(claims.exp))
            #expect(SimToken.validate(token, now: later) == .failure(.expired))

            let put = try await sim.send("PUT", "/__sim/token", body: #"{"lifetime_seconds":60}"#)
            #expect(put.json()?["token_lifetime_seconds"] as? Int == 60)
            #expect(try await sim.loginToken().isEmpty == false)
            #expect(try await sim.send("PUT", "/__sim/token", body: #"{"lifetime_seconds":0}"#).status == 400)
            // A server setting: switching scenario keeps it.
            try sim.setScenario("healthy")
            #expect(sim.tokenLifetimeSeconds == 60)
        }
    }
}
