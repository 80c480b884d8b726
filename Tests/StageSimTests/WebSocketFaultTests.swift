import Foundation
import Testing

@testable import StageSim

@Suite("/ws fault modes, set through the Swift API")
struct WebSocketFaultTests {
    @Test func handshakeStatusRefusesTheUpgradeWithThatStatusAndAJSONBody() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(handshakeStatus: 403))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            #expect(ws.status == 403)
            #expect(ws.headers["content-type"] == "application/json")
            #expect(ws.headers["sec-websocket-accept"] == nil)
            #expect(ws.body == #"{"detail":"Forbidden"}"#)
            #expect(await ws.connection.closedByPeer(within: 3))

            // Plain HTTP on the same server is untouched, and the next handshake can succeed.
            #expect(try await sim.get("/health").status == 200)
            sim.setWSFaults(nil)
            let healthy = try await sim.webSocket(token: sim.devToken)
            defer { healthy.close() }
            #expect(healthy.status == 101)
        }
    }

    @Test func rejectAllTokensClosesValidOnes1008() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(rejectAllTokens: true))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            let (texts, code, reason) = try await ws.readUntilClose()
            let error = try #require(jsonObject(texts.first ?? ""))
            #expect(error["error_code"] as? String == "AUTH_REQUIRED")
            #expect(
                (error["details"] as? [String: Any])?["error"] as? String
                    == "user_context must be a UserExecutionContext instance")
            #expect(code == 1008)
            #expect(reason == "Authentication failed")
        }
    }

    @Test func closeAfterWelcomeSendsTheWelcomeThenCloses() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(closeAfterWelcome: 1011))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            let (texts, code, reason) = try await ws.readUntilClose()
            #expect(texts.count == 1)
            #expect(jsonObject(texts[0])?["type"] as? String == "system_message")
            #expect(code == 1011)
            #expect(reason == "Internal error")
        }
    }

    @Test func closeOnConnectClosesBeforeAnyWelcome() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(closeOnConnect: 1011))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            #expect(ws.status == 101)
            #expect(try await ws.nextFrame() == .close(code: 1011, reason: "Internal error"))
        }
    }

    @Test func legacyWelcomeIsTheOldFlatShape() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(legacyWelcome: true))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            let welcome = try #require(jsonObject(try await ws.nextText()))
            #expect(welcome["type"] as? String == "connection_established")
            #expect(welcome["user_id"] as? String == "staging-e2e-user-003")
            #expect((welcome["connection_id"] as? String)?.hasPrefix("ws_") == true)
            #expect(welcome["data"] == nil)
        }
    }

    @Test func noSubprotocolEchoAcceptsWithoutChoosingAProtocol() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(noSubprotocolEcho: true))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            #expect(ws.status == 101)
            #expect(ws.subprotocol == nil)
            // The token was still read from the offered protocol.
            #expect(jsonObject(try await ws.nextText())?["type"] as? String == "system_message")
        }
    }

    @Test func omittedEventsNeverArrive() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(omitEvents: ["agent_completed"], eventDelayMs: 5))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            try await ws.send(text: #"{"type":"user_message","payload":{"content":"hi"}}"#)
            var types: [String?] = []
            for _ in 0..<5 { types.append(jsonObject(try await ws.nextText())?["type"] as? String) }
            #expect(types == ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_response"])
            #expect(try await ws.isSilent(for: 0.3))
        }
    }

    @Test func closeAfterSecondsGoesAway1001() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(closeAfterSeconds: 0.3))
            let opened = ContinuousClock.now
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            let (texts, code, reason) = try await ws.readUntilClose(timeout: 3)
            #expect(opened.duration(to: .now) >= .milliseconds(300))
            #expect(texts.count == 1)
            #expect(code == 1001)
            #expect(reason == "going away")
            #expect(await ws.connection.closedByPeer(within: 3))
        }
    }

    @Test func maxConcurrentRefusesTheConnectionBeyondTheLimitAfterItsWelcome() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(maxConcurrent: 1))
            let first = try await sim.webSocket(token: sim.devToken)
            defer { first.close() }
            _ = try await first.nextText()

            let second = try await sim.webSocket(token: sim.devToken)
            defer { second.close() }
            let (texts, code, reason) = try await second.readUntilClose()
            #expect(texts.count == 1)
            #expect(jsonObject(texts[0])?["type"] as? String == "system_message")
            #expect(code == 1011)
            #expect(reason == "Factory SSOT validation failed")

            // The first one is unaffected.
            try await first.send(text: #"{"type":"ping"}"#)
            #expect(jsonObject(try await first.nextText())?["type"] as? String == "pong")
        }
    }

    /// Report 002's limit met only the test that opened several sockets at once: the sim counts per client
    /// (the X-Stagetop-Probe header), so other probes connecting at the same moment are not caught by it.
    @Test func maxConcurrentCountsPerClient() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(maxConcurrent: 1))
            func open(_ client: String) async throws -> RawWebSocket {
                try await RawWebSocket.connect(port: sim.port, protocols: [RawWebSocket.subprotocol(for: sim.devToken)],
                                               headers: ["X-Stagetop-Probe": client])
            }
            let a = try await open("websocket_connection_real")
            defer { a.close() }
            _ = try await a.nextText()
            let b = try await open("message_ordering_real")
            defer { b.close() }
            _ = try await b.nextText()
            #expect(try await b.isSilent(for: 0.2), "another client's first socket is within the limit")

            let a2 = try await open("websocket_connection_real")
            defer { a2.close() }
            let (_, code, reason) = try await a2.readUntilClose()
            #expect(code == 1011)
            #expect(reason == "Factory SSOT validation failed")
        }
    }

    @Test func openConnectionsKeepTheFaultsOfTheirHandshake() async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            sim.setWSFaults(WSFaults(omitEvents: WebSocketMessages.chatEvents))
            try await ws.send(text: #"{"type":"user_message","payload":{"content":"hi"}}"#)
            #expect(jsonObject(try await ws.nextText())?["type"] as? String == "agent_started")
        }
    }
}
