import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

@Suite("WebSocketProbeRunner against the simulated staging")
struct WebSocketProbeRunnerTests {
    func runner(_ sim: SimServer, _ engine: WebSocketEngine, token: Secret? = nil, log: WSEventLog? = nil,
                hold: WebSocketHoldOptions = WebSocketHoldOptions()) -> WebSocketProbeRunner {
        WebSocketProbeRunner(engine: engine, target: wsTarget(sim.wsURL), token: token ?? Secret(sim.devToken), hold: hold,
                             events: log?.sink)
    }

    @Test("chat flow passes with every event timed from connect, in order, and the handshake measured")
    func happyChatFlow() async throws {
        try await withWSSim(WSFaults(eventDelayMs: 30)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe("websocket_chat_flow", steps: chatFlowSteps(),
                                                          conditions: ["[CONNECTED] == true", "[EVENTS] contains agent_completed"]))
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(r.failureClass == nil)
            #expect(r.kind == .websocket)
            #expect(r.message.hasPrefix("7 steps ok in "))
            let types = r.events.map(\.type)
            #expect(Array(types.prefix(6)) == ["system_message", "agent_started", "agent_thinking", "tool_executing",
                                               "tool_completed", "agent_completed"])
            // Arrival times grow, and the sim's 30 ms between chat events shows as gaps.
            let times = r.events.map(\.atMs)
            #expect(times == times.sorted())
            let gaps = zip(times.dropFirst(2), times.dropFirst(1)).map { $0 - $1 }
            // Summed: under a loaded test run one event can arrive late and the next at once (a 45 then a 15),
            // while four gaps of 30 ms cannot add up to less than their span.
            #expect(gaps.prefix(4).reduce(0, +) >= 100, "gaps \(gaps)")
            #expect(r.status == 101)
            #expect(r.websocket?.subprotocol == "jwt.<redacted>")
            #expect(r.websocket?.connected == 1 && r.websocket?.attempted == 1)
            #expect((r.websocket?.slowestHandshakeMs ?? 0) > 0)
            let t = try #require(r.timings)
            let ttfb = try #require(t.ttfb, "the 101 arrived, so there is a ttfb")
            #expect(ttfb > 0 && ttfb >= t.connect && t.total == r.latencyMs)
            #expect((r.latencyMs ?? 0) >= times[5])
            #expect(r.conditions.count == 2 && r.conditions.allSatisfy(\.ok))
        }
    }

    @Test("bearer and query auth reach the sim too; none is refused with 1008")
    func authModes() async throws {
        try await withWSSim { sim, engine in
            let run = runner(sim, engine)
            for mode in [WSAuthMode.bearer, .query] {
                let r = await run.run(wsProbe(auth: mode))
                #expect(r.verdict == .pass, "\(mode): \(r.message)")
                #expect(r.websocket?.subprotocol == nil)
                #expect(r.websocket?.url == sim.wsURL, "the token query never shows in the URL")
            }
            let r = await run.run(wsProbe(auth: .none))
            #expect(r.verdict == .fail && r.failureClass == .wsPolicy && r.closeCode == 1008)
        }
    }

    @Test("403 on the upgrade is ws_handshake with the status, headers and body kept")
    func handshake403() async throws {
        try await withWSSim(WSFaults(handshakeStatus: 403)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe())
            #expect(r.verdict == .fail)
            #expect(r.failureClass == .wsHandshake)
            #expect(r.status == 403)
            #expect(r.message.hasPrefix("handshake refused: 403 Forbidden"), "\(r.message)")
            #expect(r.websocket?.handshakeStatus == 403)
            #expect(r.websocket?.connected == 0)
            #expect(r.websocket?.handshakeHeaders.contains { $0.name.lowercased() == "content-type" } == true)
            #expect(r.response?.status == 403)
            #expect(r.response?.bodyText.contains("Forbidden") == true)
        }
    }

    @Test("a bad token is ws_policy with 1008, the reason, the server's error_message, and a close event")
    func badToken() async throws {
        try await withWSSim { sim, engine in
            let log = WSEventLog()
            let r = await runner(sim, engine, token: Secret("not.a-valid.token"), log: log).run(wsProbe())
            #expect(r.verdict == .fail)
            #expect(r.failureClass == .wsPolicy)
            #expect(r.closeCode == 1008)
            #expect(r.closeReason == "Authentication failed")
            #expect(r.message.hasPrefix("closed 1008 (policy violation): Authentication failed"), "\(r.message)")
            #expect(r.message.contains("AUTH_REQUIRED: Authentication failed: Valid JWT token required"))
            #expect(r.events.map(\.type) == ["error_message"])
            let close = try #require(log.closes.first)
            #expect(close.code == 1008 && close.reason == "Authentication failed" && close.byServer && close.probe == "ws_probe")
        }
    }

    @Test("staging refusing good tokens (report 001) reads the same, with its details")
    func rejectAllTokens() async throws {
        try await withWSSim(WSFaults(rejectAllTokens: true)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe())
            #expect(r.failureClass == .wsPolicy && r.closeCode == 1008)
        }
    }

    @Test("[CLOSE_CODE] == 1008 turns a rejection into the expected outcome")
    func rejectionExpectedByCondition() async throws {
        try await withWSSim { sim, engine in
            let r = await runner(sim, engine, token: Secret("bogus")).run(wsProbe(conditions: ["[CLOSE_CODE] == 1008"]))
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(r.closeCode == 1008)
            #expect(r.message.hasSuffix("(expected by conditions)"))
        }
    }

    @Test("1011 after the welcome is ws_internal; 1011 on connect too")
    func internalError() async throws {
        try await withWSSim(WSFaults(closeAfterWelcome: 1011)) { sim, engine in
            let log = WSEventLog()
            let run = runner(sim, engine, log: log)
            var r = await run.run(wsProbe(steps: chatFlowSteps()))
            #expect(r.verdict == .fail && r.failureClass == .wsInternal, "\(r.message)")
            #expect(r.closeCode == 1011 && r.closeReason == "Internal error")
            // The close races our send: it is found either on the send or while waiting for agent_started.
            #expect(r.message.hasPrefix("closed 1011 (internal error): Internal error while "), "\(r.message)")
            #expect(r.events.map(\.type) == ["system_message"])

            sim.setWSFaults(WSFaults(closeOnConnect: 1011))
            r = await run.run(wsProbe())
            #expect(r.failureClass == .wsInternal && r.closeCode == 1011)
            #expect(r.message.contains("while waiting for system_message"))
            #expect(log.closes.map(\.code) == [1011, 1011])
        }
    }

    @Test("the legacy welcome against the new expectation is schema, quoting what came")
    func legacyWelcomeIsSchema() async throws {
        try await withWSSim(WSFaults(legacyWelcome: true)) { sim, engine in
            let start = Date()
            let r = await runner(sim, engine).run(wsProbe(steps: chatFlowSteps()))
            #expect(r.verdict == .fail && r.failureClass == .schema)
            #expect(r.message.hasPrefix(#"expected {type: system_message, data.event: connection_established}, got {"type":"connection_established","#), "\(r.message)")
            #expect(Date().timeIntervalSince(start) < 4, "a wrong shape fails at once, not at the deadline")
        }
    }

    @Test("the new system_message welcome against the old expectation is schema too")
    func newWelcomeAgainstOldExpectation() async throws {
        try await withWSSim { sim, engine in
            let r = await runner(sim, engine).run(wsProbe(steps: [expectType("connection_established", within: 3)]))
            #expect(r.failureClass == .schema, "\(r.message)")
            #expect(r.message.contains(#"got {"type":"system_message""#))
        }
    }

    @Test("a missing agent_completed is missing_event naming it and what did come")
    func missingEvent() async throws {
        try await withWSSim(WSFaults(omitEvents: ["agent_completed"], eventDelayMs: 10)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe(steps: chatFlowSteps(completedWithin: 1)))
            #expect(r.verdict == .fail && r.failureClass == .missingEvent)
            #expect(r.message == "agent_completed not received within 1.0 s; got agent_started, agent_thinking, tool_executing, tool_completed, agent_response",
                    "\(r.message)")
            #expect(r.latencyMs == nil)
        }
    }

    @Test("no events at all names the first missing one and the steps never reached")
    func noAgentEvents() async throws {
        let all = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed", "agent_response"]
        try await withWSSim(WSFaults(omitEvents: all)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe(steps: [welcomeStep, sendChat, expectType("agent_started", within: 0.5),
                                                                  expectType("agent_completed")]))
            #expect(r.failureClass == .missingEvent)
            #expect(r.message == "agent_started not received within 0.5 s; got nothing; not reached: agent_completed", "\(r.message)")
        }
    }

    @Test("a server that does not echo the jwt subprotocol is ws_subprotocol, without showing it")
    func noEcho() async throws {
        try await withWSSim(WSFaults(noSubprotocolEcho: true)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe())
            #expect(r.verdict == .fail && r.failureClass == .wsSubprotocol)
            #expect(r.message == "server did not echo the offered subprotocol jwt.<redacted>")
            #expect(r.websocket?.subprotocol == nil)
            #expect(r.events.isEmpty, "steps never run on a connection that failed negotiation")
        }
    }

    @Test("concurrency 5 reports 5/5 connected and the slowest handshake")
    func concurrencyFive() async throws {
        try await withWSSim { sim, engine in
            let r = await runner(sim, engine).run(wsProbe("websocket_concurrent", concurrency: 5))
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(r.message.hasPrefix("5/5 connected; slowest handshake "))
            #expect(r.websocket?.connected == 5 && r.websocket?.attempted == 5)
            #expect((r.websocket?.slowestHandshakeMs ?? 0) > 0)
        }
    }

    @Test("concurrency beyond the server's limit fails with the first failure's class (report 002's 1011)")
    func concurrencyOverLimit() async throws {
        try await withWSSim(WSFaults(eventDelayMs: 50, maxConcurrent: 2)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe(concurrency: 5, steps: [welcomeStep, sendChat, expectType("agent_started")]))
            #expect(r.verdict == .fail, "\(r.message)")
            #expect(r.message.hasPrefix("5/5 connected; "))
            // The sim closes with a proper handshake (WebSocketSession.closeAndDrain), so the 1011 always arrives.
            #expect(r.failureClass == .wsInternal, "\(r.message)")
            #expect(r.message.contains("Factory SSOT validation failed"))
            #expect(r.closeCode == 1011)
        }
    }

    @Test("a refused handshake on some connections: k/N connected, class of the first failure")
    func concurrencyRefused() async throws {
        try await withWSSim(WSFaults(handshakeStatus: 403)) { sim, engine in
            let r = await runner(sim, engine).run(wsProbe(concurrency: 3))
            #expect(r.failureClass == .wsHandshake)
            #expect(r.message.hasPrefix("0/3 connected; 3 failed, #1: handshake refused: 403 Forbidden"), "\(r.message)")
            #expect(r.websocket?.connected == 0 && r.websocket?.attempted == 3)
        }
    }

    @Test("a refused connection is network; a host that does not exist cannot run (error)")
    func networkFailures() async throws {
        let engine = WebSocketEngine()
        let port = closedPort()
        let r = await WebSocketProbeRunner(engine: engine, target: wsTarget("ws://127.0.0.1:\(port)/ws"), token: Secret("t0ken"))
            .run(wsProbe())
        #expect(r.verdict == .fail && r.failureClass == .network)
        #expect(r.message == "connection refused")
        let bad = await WebSocketProbeRunner(engine: engine, target: wsTarget("ws://no-such-host.invalid/ws"), token: nil)
            .run(wsProbe(auth: .none))
        #expect(bad.verdict == .error && bad.failureClass == .network, "\(bad.message)")
        await engine.shutdown()
    }

    @Test("no token for an authenticated probe is an error, not a connection attempt")
    func noToken() async throws {
        let engine = WebSocketEngine()
        let r = await WebSocketProbeRunner(engine: engine, target: wsTarget("ws://127.0.0.1:9/ws"), token: nil).run(wsProbe())
        #expect(r.verdict == .error && r.failureClass == .auth)
        #expect(r.message == "auth: subprotocol but no token (set auth.token or auth.login)")
        await engine.shutdown()
    }

    @Test("an oversize frame is ws_close 1009 and the engine carries on")
    func oversizeFromSim() async throws {
        // The sim's welcome (~200 bytes) is far over a 64-byte limit: the same path as a 2 GiB frame header.
        try await withWSSim(limits: WebSocketLimits(maxFrameSize: 64)) { sim, engine in
            let log = WSEventLog()
            let r = await runner(sim, engine, log: log).run(wsProbe())
            #expect(r.verdict == .fail && r.failureClass == .wsClose, "\(r.message)")
            #expect(r.closeCode == 1009)
            #expect(r.message.hasPrefix("frame larger than 64 B; closed 1009 (message too big)"), "\(r.message)")
            #expect(log.closes.first?.byServer == false)
            let again = await runner(sim, engine).run(wsProbe(steps: []))
            #expect(again.verdict == .pass, "the engine still works: \(again.message)")
        }
    }
}
