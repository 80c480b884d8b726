import Foundation
import Testing

@testable import StageSim

@Suite("/ws in the healthy scenario: auth, welcome, chat, pings")
struct WebSocketTests {
    @Test func echoesTheJWTSubprotocolAndWelcomesInTheSystemMessageWrapper() async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: sim.devToken, extraProtocols: ["chat.v1"])
            defer { ws.close() }
            #expect(ws.status == 101)
            #expect(ws.headers["sec-websocket-accept"] != nil)
            // Only the jwt.… protocol is chosen, exactly as offered.
            #expect(ws.subprotocol == RawWebSocket.subprotocol(for: sim.devToken))

            let welcome = try #require(jsonObject(try await ws.nextText()))
            #expect(welcome["type"] as? String == "system_message")
            let data = try #require(welcome["data"] as? [String: Any])
            #expect(data["event"] as? String == "connection_established")
            #expect(data["user_id"] as? String == "staging-e2e-user-003")
            #expect(data["server_time"] is String)
            // Report 002's `ws_staging-_1757362867_61a02cfa`.
            let id = try #require(data["connection_id"] as? String)
            let parts = id.split(separator: "_")
            #expect(id.hasPrefix("ws_staging-_"))
            #expect(parts.count == 4 && Int(parts[2]) != nil && parts[3].count == 8)
        }
    }

    @Test func acceptsABearerHeaderOrAQueryTokenWithoutASubprotocol() async throws {
        try await withSim { sim in
            let bearer = try await RawWebSocket.connect(
                port: sim.port, headers: ["Authorization": "Bearer \(sim.devToken)"])
            defer { bearer.close() }
            #expect(bearer.status == 101)
            #expect(bearer.subprotocol == nil)
            #expect(jsonObject(try await bearer.nextText())?["type"] as? String == "system_message")

            let query = try await RawWebSocket.connect(port: sim.port, path: "/ws?token=\(sim.devToken)")
            defer { query.close() }
            #expect(query.status == 101)
            #expect(jsonObject(try await query.nextText())?["type"] as? String == "system_message")
        }
    }

    @Test func aLoginTokenWorksAndNamesItsUser() async throws {
        try await withSim { sim in
            let token = try await sim.loginToken(user: "someone-else")
            let ws = try await sim.webSocket(token: token)
            defer { ws.close() }
            let data = jsonObject(try await ws.nextText())?["data"] as? [String: Any]
            #expect(data?["user_id"] as? String == "someone-else")
        }
    }

    @Test func chatFlowEmitsTheFiveEventsInOrderThenTheResponse() async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            try await ws.send(text: #"{"type":"user_message","payload":{"content":"status?"}}"#)

            var messages: [[String: Any]] = []
            for _ in 0..<6 { messages.append(try #require(jsonObject(try await ws.nextText()))) }
            #expect(messages.map { $0["type"] as? String } == [
                "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed", "agent_response",
            ])
            let runIDs = Set(messages.compactMap { ($0["data"] as? [String: Any])?["run_id"] as? String })
            #expect(runIDs.count == 1)
            let answer = (messages.last?["data"] as? [String: Any])?["content"] as? String
            #expect(answer?.contains("status?") == true)
            #expect(try await ws.isSilent(for: 0.2))
        }
    }

    @Test func eventDelayIsConfigurable() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(eventDelayMs: 120))
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            let started = ContinuousClock.now
            try await ws.send(text: #"{"type":"user_message","payload":{"content":"slow"}}"#)
            for _ in 0..<6 { _ = try await ws.nextText() }
            // Five gaps between six messages; sleeps never end early.
            #expect(started.duration(to: .now) >= .milliseconds(600))
        }
    }

    @Test func jsonPingGetsAJSONPongAndPingFramesGetPongFrames() async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            try await ws.send(text: #"{"type":"ping"}"#)
            #expect(jsonObject(try await ws.nextText())?["type"] as? String == "pong")

            try await ws.sendPing(Data("are-you-there".utf8))
            #expect(try await ws.nextFrame() == .pong(Data("are-you-there".utf8)))
        }
    }

    @Test func nonsenseMessagesGetAnErrorMessageAndTheSocketStaysOpen() async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            try await ws.send(text: "not json")
            #expect(jsonObject(try await ws.nextText())?["error_code"] as? String == "INVALID_MESSAGE")
            try await ws.send(text: #"{"type":"dance"}"#)
            #expect(jsonObject(try await ws.nextText())?["error_code"] as? String == "UNSUPPORTED_MESSAGE_TYPE")
            try await ws.send(text: #"{"type":"ping"}"#)
            #expect(jsonObject(try await ws.nextText())?["type"] as? String == "pong")
        }
    }

    @Test(arguments: [
        ("no token", nil as String?, "No token provided"),
        ("garbage", "garbage", "Invalid token"),
        ("expired", SimToken.sign(.init(sub: "u", iat: 0, exp: 1)), "Token has expired"),
    ])
    func badTokensGetAuthRequiredThenClose1008(label: String, token: String?, reason: String) async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: token)
            defer { ws.close() }
            // The upgrade is accepted (and an offered subprotocol echoed) so the client can read why.
            #expect(ws.status == 101, "\(label)")
            if let token { #expect(ws.subprotocol == RawWebSocket.subprotocol(for: token)) }
            let (texts, code, closeReason) = try await ws.readUntilClose()
            #expect(texts.count == 1, "\(label)")
            let error = try #require(jsonObject(texts.first ?? ""))
            #expect(error["type"] as? String == "error_message")
            #expect(error["error_code"] as? String == "AUTH_REQUIRED")
            #expect(
                error["error_message"] as? String
                    == "Authentication failed: Valid JWT token required for WebSocket connection")
            #expect((error["details"] as? [String: Any])?["error"] as? String == reason, "\(label)")
            #expect(code == 1008)
            #expect(closeReason == "Authentication failed")
            #expect(await ws.connection.closedByPeer(within: 3))
        }
    }

    @Test func aPlainJWTAfterTheJWTPrefixIsUnderstoodToo() async throws {
        try await withSim { sim in
            let ws = try await RawWebSocket.connect(port: sim.port, protocols: ["jwt.\(sim.devToken)"])
            defer { ws.close() }
            #expect(ws.subprotocol == "jwt.\(sim.devToken)")
            #expect(jsonObject(try await ws.nextText())?["type"] as? String == "system_message")
        }
    }

    @Test func upgradesElsewhereThanWsAre404() async throws {
        try await withSim { sim in
            let ws = try await RawWebSocket.connect(port: sim.port, path: "/socket", protocols: ["jwt.x"])
            defer { ws.close() }
            #expect(ws.status == 404)
            #expect(ws.body == #"{"detail":"Not Found"}"#)
        }
    }

    @Test func messagesOverOneMebibyteAreRefusedWith1009() async throws {
        try await withSim { sim in
            let ws = try await sim.webSocket(token: sim.devToken)
            defer { ws.close() }
            _ = try await ws.nextText()
            // The frame declares 1 MiB + 1; its first bytes are enough for the refusal. Sending all of it raced
            // the server's close: the rest still arriving made the kernel reset the connection, sometimes
            // before our send finished (a failed run: "send failed: errno 104").
            try await ws.send(opcode: 0x1, payload: Data(repeating: UInt8(ascii: "a"), count: 64), declaredLength: (1 << 20) + 1)
            let (_, code, _) = try await ws.readUntilClose()
            #expect(code == 1009)
        }
    }

    @Test func aClientThatHangsUpWithoutACloseFrameFreesItsSlot() async throws {
        try await withSim { sim in
            sim.setWSFaults(WSFaults(maxConcurrent: 1))
            let first = try await sim.webSocket(token: sim.devToken)
            _ = try await first.nextText()
            first.close()
            // Asking the server (not sleeping) until the connection is gone.
            let deadline = ContinuousClock.now.advanced(by: .seconds(3))
            var open = 1
            while open != 0, ContinuousClock.now < deadline {
                open = try await sim.get("/__sim/state").json()?["ws_connections"] as? Int ?? -1
            }
            #expect(open == 0)
            let next = try await sim.webSocket(token: sim.devToken)
            defer { next.close() }
            _ = try await next.nextText()
            #expect(try await next.isSilent(for: 0.2))
        }
    }

    @Test func stopClosesOpenSocketsWith1001Promptly() async throws {
        let sim = try await SimServer.start()
        let ws = try await sim.webSocket(token: sim.devToken)
        defer { ws.close() }
        _ = try await ws.nextText()
        #expect(try await sim.get("/__sim/state").json()?["ws_connections"] as? Int == 1)

        let stopped = await completes(within: 3) { await sim.stop() }
        #expect(stopped, "stop() waited for an open WebSocket")
        let (_, code, _) = try await ws.readUntilClose(timeout: 3)
        #expect(code == 1001)
    }
}
