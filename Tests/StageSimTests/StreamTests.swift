import Foundation
import Testing

@testable import StageSim

@Suite("server-sent event streams and their modes")
struct StreamTests {
    @Test(arguments: [
        ("/api/chat/stream", ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]),
        ("/api/agents/stream", ["agent_status", "agent_status", "agent_status"]),
        ("/api/events/stream", ["connection_established", "agent_started", "agent_thinking", "agent_completed"]),
    ])
    func okStreamsTheScriptThenDoneThenEnds(path: String, names: [String]) async throws {
        try await withSim { sim in
            let stream = try await sim.eventStream(path)
            defer { stream.close() }
            #expect(stream.status == 200)
            #expect(stream.headers["content-type"] == "text/event-stream")
            #expect(stream.headers["transfer-encoding"] == "chunked")
            let events = try await stream.readToEnd(timeout: 3)
            #expect(events.map(\.name) == names + ["done"])
            let first = try #require(jsonObject(events[0].data))
            #expect(first["seq"] as? Int == 1)
            #expect((first["run_id"] as? String)?.hasPrefix("run_") == true)
        }
    }

    @Test func streamsNeedABearerToken() async throws {
        try await withSim { sim in
            for path in StreamScripts.paths {
                let stream = try await sim.eventStream(path, authenticated: false)
                defer { stream.close() }
                #expect(stream.status == 401, "\(path)")
            }
            #expect(try await sim.get("/api/chat/stream", token: sim.devToken).status == 405)
        }
    }

    @Test func noFirstByteSendsHeadersThenNothingAndStopStillReturns() async throws {
        let sim = try await SimServer.start()
        sim.setStreamMode(.noFirstByte, for: "/api/events/stream")
        let stream = try await sim.eventStream("/api/events/stream")
        defer { stream.close() }
        #expect(stream.status == 200)
        #expect(try await stream.isSilent(for: 0.3))
        #expect(try await sim.get("/__sim/state").json()?["open_streams"] as? Int == 1)

        let stopped = await completes(within: 3) { await sim.stop() }
        #expect(stopped, "stop() waited for a stream that never sends")
        // Cut off, not finished: the connection closes without the final chunk.
        #expect(await stream.connection.closedByPeer(within: 3))
    }

    @Test(arguments: [StreamMode.noFirstByte, .stallAfter(1), .slowDrip(gapMs: 60_000, count: 2)])
    func aQuietStreamNoticesItsClientLeaving(mode: StreamMode) async throws {
        try await withSim { sim in
            sim.setStreamMode(mode, for: "/api/agents/stream")
            let stream = try await sim.eventStream("/api/agents/stream")
            if mode != .noFirstByte { _ = try await stream.next(timeout: 2) }
            #expect(try await sim.get("/__sim/state").json()?["open_streams"] as? Int == 1)
            stream.close()
            // Asking the server (not sleeping) until the parked stream has ended.
            let deadline = ContinuousClock.now.advanced(by: .seconds(3))
            var open = 1
            while open != 0, ContinuousClock.now < deadline {
                open = try await sim.get("/__sim/state").json()?["open_streams"] as? Int ?? -1
            }
            #expect(open == 0)
        }
    }

    @Test func stallAfterSendsThatManyEventsThenGoesSilent() async throws {
        let sim = try await SimServer.start()
        sim.setStreamMode(.stallAfter(2), for: "/api/chat/stream")
        let stream = try await sim.eventStream("/api/chat/stream")
        defer { stream.close() }
        var names: [String] = []
        for _ in 0..<2 {
            guard case .event(let event) = try await stream.next(timeout: 2) else {
                Issue.record("the stream ended")
                return
            }
            names.append(event.name)
        }
        #expect(names == ["agent_started", "agent_thinking"])
        #expect(try await stream.isSilent(for: 0.3))

        let stopped = await completes(within: 3) { await sim.stop() }
        #expect(stopped)
        #expect(await stream.connection.closedByPeer(within: 3))
    }

    @Test func neverFinishKeepsSendingEventsAndNeverEnds() async throws {
        let sim = try await SimServer.start()
        sim.setStreamMode(.neverFinish, for: "/api/agents/stream")
        let stream = try await sim.eventStream("/api/agents/stream")
        defer { stream.close() }
        var names: [String] = []
        for _ in 0..<5 {
            guard case .event(let event) = try await stream.next(timeout: 2) else {
                Issue.record("the stream ended")
                break
            }
            names.append(event.name)
        }
        // The script, then heartbeats, 200 ms apart.
        #expect(names == ["agent_status", "agent_status", "agent_status", "heartbeat", "heartbeat"])
        let stopped = await completes(within: 3) { await sim.stop() }
        #expect(stopped, "stop() waited for an endless stream")
    }

    @Test func slowDripSendsCountEventsGapApartThenEnds() async throws {
        try await withSim { sim in
            sim.setStreamMode(.slowDrip(gapMs: 120, count: 3), for: "/api/events/stream")
            let started = ContinuousClock.now
            let stream = try await sim.eventStream("/api/events/stream")
            defer { stream.close() }
            let events = try await stream.readToEnd(timeout: 2)
            #expect(events.map(\.name) == ["connection_established", "agent_started", "agent_thinking", "done"])
            #expect(started.duration(to: .now) >= .milliseconds(240))
        }
    }

    @Test func routeFaultsAnswerBeforeAnyStreaming() async throws {
        try await withSim { sim in
            sim.setStreamMode(.noFirstByte, for: "/api/chat/stream")
            sim.setFault(.status(403), for: "/api/chat/stream")
            let reply = try await sim.post("/api/chat/stream", token: sim.devToken)
            #expect(reply.status == 403)
            #expect(reply.json()?["detail"] as? String == "Forbidden")
        }
    }

    @Test func clearFaultsPutsStreamsBackToTheScenario() async throws {
        try await withSim(scenario: "ws-1011-streams-hang") { sim in
            sim.setStreamMode(.ok, for: "/api/events/stream")
            #expect(sim.streamModes == ["/api/chat/stream": .stallAfter(2)])
            sim.clearFaults()
            #expect(sim.streamModes == ["/api/chat/stream": .stallAfter(2), "/api/events/stream": .noFirstByte])
        }
    }
}
