import Foundation
import Testing

@testable import StageSim

@Suite("each shipped scenario reproduces its report's WebSocket and stream failures")
struct ScenarioSocketTests {
    @Test func healthyChatsAndStreamsToTheEnd() async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            #expect(ws.subprotocol == RawWebSocket.subprotocol(for: sim.devToken))
            _ = try await ws.nextText()
            try await ws.send(text: #"{"type":"user_message","payload":{"content":"status?"}}"#)
            var types: [String] = []
            for _ in 0..<6 { types.append(jsonObject(try await ws.nextText())?["type"] as? String ?? "?") }
            #expect(types.last == "agent_response")
            for path in StreamScripts.paths {
                let stream = try await sim.eventStream(path)
                defer { stream.close() }
                #expect(try await stream.readToEnd(timeout: 3).last?.name == "done", "\(path)")
            }
        }
    }

    @Test func report000HandshakeIs403() async throws {
        try await withSim(scenario: "ws-403-routes-404") { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            #expect(ws.status == 403)
            #expect(ws.body.contains("Forbidden"))
        }
    }

    @Test func report001EveryConnectionCloses1008AndNoEventsCome() async throws {
        try await withSim(scenario: "ws-1008-bad-bypass") { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            let (texts, code, reason) = try await ws.readUntilClose()
            #expect(texts.map { jsonObject($0)?["type"] as? String } == ["error_message"])
            #expect(code == 1008)
            #expect(reason == "Authentication failed")
        }
    }

    @Test func report002SecondConcurrentConnectionGets1011() async throws {
        try await withSim(scenario: "redirect-307-discovery-500") { sim in
            let first = try await sim.webSocket(token: sim.devToken)
            defer { first.close() }
            #expect(jsonObject(try await first.nextText())?["type"] as? String == "system_message")
            let second = try await sim.webSocket(token: sim.devToken)
            defer { second.close() }
            let (texts, code, reason) = try await second.readUntilClose()
            #expect(texts.count == 1)
            #expect(code == 1011)
            #expect(reason == "Factory SSOT validation failed")
        }
    }

    @Test func report003WelcomeThen1011AndEventStreamMissingChatStreamForbidden() async throws {
        try await withSim(scenario: "ws-1011-routes-404") { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            let (texts, code, reason) = try await ws.readUntilClose()
            #expect(texts.count == 1)
            #expect(code == 1011)
            #expect(reason == "Internal error")

            #expect(try await sim.get("/api/events/stream", token: sim.devToken).status == 404)
            #expect(try await sim.post("/api/chat/stream", token: sim.devToken).status == 403)
            let agents = try await sim.eventStream("/api/agents/stream")
            defer { agents.close() }
            #expect(try await agents.readToEnd(timeout: 3).last?.name == "done")
        }
    }

    @Test func report004ClosesOnConnectAndTheTwoStreamsHang() async throws {
        let sim = try await SimServer.start(scenario: "ws-1011-streams-hang")
        let ws = try await sim.webSocket(token: sim.devToken)
        defer { ws.close() }
        #expect(try await ws.nextFrame() == .close(code: 1011, reason: "Internal error"))

        let chat = try await sim.eventStream("/api/chat/stream")
        defer { chat.close() }
        #expect(chat.status == 200)
        for _ in 0..<2 {
            guard case .event = try await chat.next(timeout: 2) else {
                Issue.record("chat stream ended")
                break
            }
        }
        #expect(try await chat.isSilent(for: 0.3))

        let events = try await sim.eventStream("/api/events/stream")
        defer { events.close() }
        #expect(events.status == 200)
        #expect(try await events.isSilent(for: 0.3))

        // The agents stream is fine in this report.
        let agents = try await sim.eventStream("/api/agents/stream")
        defer { agents.close() }
        #expect(try await agents.readToEnd(timeout: 3).last?.name == "done")

        let stopped = await completes(within: 3) { await sim.stop() }
        #expect(stopped, "stop() waited for hanging streams")
    }

    @Test func legacyWelcomeScenarioSendsTheFlatShapeAndOtherwiseChats() async throws {
        try await withSim(scenario: "legacy-welcome") { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            #expect(jsonObject(try await ws.nextText())?["type"] as? String == "connection_established")
            try await ws.send(text: #"{"type":"user_message","payload":{"content":"hi"}}"#)
            #expect(jsonObject(try await ws.nextText())?["type"] as? String == "agent_started")
        }
    }

    @Test func missingAgentCompletedScenarioSkipsOnlyThatEvent() async throws {
        try await withSim(scenario: "missing-agent-completed") { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            try await ws.send(text: #"{"type":"user_message","payload":{"content":"hi"}}"#)
            var types: [String] = []
            for _ in 0..<5 { types.append(jsonObject(try await ws.nextText())?["type"] as? String ?? "?") }
            #expect(!types.contains("agent_completed"))
            #expect(types.last == "agent_response")
            #expect(try await ws.isSilent(for: 0.3))
        }
    }

    @Test func switchingScenarioAtRunTimeChangesTheNextHandshake() async throws {
        try await withSim { sim in
            #expect(try await sim.post("/__sim/scenario/ws-403-routes-404").status == 200)
            let refused = try await sim.webSocket(token: sim.devToken)
            defer { refused.close() }
            #expect(refused.status == 403)
            try sim.setScenario("healthy")
            let accepted = try await sim.webSocket(token: sim.devToken)
            defer { accepted.close() }
            #expect(accepted.status == 101)
        }
    }
}
