import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

/// Stream probes against the simulated staging over loopback, with short limits (300–800 ms).
/// Every test ends by itself: the watchdog is what ends the hanging ones.
@Suite("StreamProbeRunner: watchdogs, events and classes against the sim")
struct StreamProbeRunnerTests {
    static let chatEvents = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed", "done"]

    func runner(_ sim: SimServer, _ engine: CurlEngine, log: EventLog? = nil) -> StreamProbeRunner {
        StreamProbeRunner(engine: engine, target: TargetConfig(baseURL: sim.baseURL), token: Secret(sim.devToken),
                          progress: log?.sink)
    }

    @Test("ok: passes with its SSE events listed, body TTFB and gaps measured, conditions on them")
    func okStream() async throws {
        try await withSim { sim, engine in
            let spec = streamProbe("chat_stream", path: "/api/chat/stream", method: "POST", firstByte: 0.8, maxGap: 0.8, finish: 3,
                                   conditions: ["[STATUS] == 200", "[EVENTS] contains agent_completed", "[TTFB] < 800ms",
                                                "[MAX_GAP] < 800ms", "len([EVENTS]) == 6"])
            let r = await runner(sim, engine).run(spec)
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(r.kind == .stream && r.failureClass == nil && r.status == 200)
            #expect(r.stream?.events == Self.chatEvents)
            #expect(r.events.map(\.type) == Self.chatEvents)
            #expect(r.conditions.count == 5 && r.conditions.allSatisfy(\.ok))
            #expect(r.stream?.watchdog == nil)
            let info = try #require(r.stream)
            #expect(info.firstByteMs != nil && info.bytes > 0 && info.chunks >= 1)
            #expect((info.longestGapMs ?? 0) < 800)
            #expect(r.message.hasPrefix("200 OK, 6 events, \(info.bytes) B in "))
            #expect(r.timings?.ttfb == info.firstByteMs, "a stream's TTFB is its first body byte")
        }
    }

    @Test("without conditions a stream passes when it finished within its limits")
    func noConditions() async throws {
        try await withSim { sim, engine in
            let r = await runner(sim, engine).run(streamProbe(path: "/api/agents/stream", firstByte: 0.8, maxGap: 0.8, finish: 3))
            #expect(r.verdict == .pass)
            #expect(r.stream?.events == ["agent_status", "agent_status", "agent_status", "done"])
        }
    }

    @Test("noFirstByte: hang on first_byte_within, on time although no byte ever comes")
    func noFirstByte() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.noFirstByte, for: "/api/events/stream")
            let started = ContinuousClock.now
            let r = await runner(sim, engine).run(streamProbe("critical_event_delivery", path: "/api/events/stream",
                                                              firstByte: 0.3, maxGap: 0.3, finish: 5))
            let elapsed = ContinuousClock.now - started
            #expect(r.verdict == .hang && r.failureClass == .hang)
            #expect(r.message == "no first byte within 0.3 s")
            #expect(r.status == 200, "the headers came; the body never did")
            let fire = try #require(r.stream?.watchdog)
            #expect(fire.limit == .firstByte && fire.probe == "critical_event_delivery")
            #expect(fire.lateByMs >= 0 && fire.lateByMs < 250)
            #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(2))
            #expect(r.latencyMs == nil, "a hang is not a latency sample")
            #expect(r.stream?.firstByteMs == nil)
            #expect(r.timings != nil && r.timings?.ttfb == nil, "no body byte: no TTFB (null), never the header time nor the run's length")
        }
    }

    @Test("stallAfter(2): hang on max_gap \"after 2 events\"")
    func stallAfter() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.stallAfter(2), for: "/api/chat/stream")
            let r = await runner(sim, engine).run(streamProbe("streaming_partial_results", path: "/api/chat/stream", method: "POST",
                                                              firstByte: 0.8, maxGap: 0.4, finish: 5))
            #expect(r.verdict == .hang && r.failureClass == .hang)
            let info = try #require(r.stream)
            #expect(info.watchdog?.limit == .maxGap)
            #expect(info.events == ["agent_started", "agent_thinking"])
            #expect(r.message == "no data for 0.4 s after 2 events, \(info.bytes) B")
        }
    }

    @Test("neverFinish: hang on finish_within while events keep coming")
    func neverFinish() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.neverFinish, for: "/api/agents/stream")
            // Events every 200 ms, well inside max_gap: only finish_within can end it.
            let r = await runner(sim, engine).run(streamProbe(path: "/api/agents/stream", firstByte: 0.8, maxGap: 0.8, finish: 1))
            #expect(r.verdict == .hang)
            #expect(r.stream?.watchdog?.limit == .finish)
            #expect(r.message.hasPrefix("not finished within 1.0 s ("))
            #expect((r.stream?.events.count ?? 0) >= 2, "events kept coming until the limit")
        }
    }

    @Test("slowDrip under the limits passes; the longest gap is the drip")
    func slowDrip() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.slowDrip(gapMs: 120, count: 4), for: "/api/events/stream")
            let r = await runner(sim, engine).run(streamProbe(path: "/api/events/stream", firstByte: 0.5, maxGap: 0.5, finish: 3))
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(r.stream?.events.count == 5)
            let gap = try #require(r.stream?.longestGapMs)
            #expect(gap >= 90 && gap < 500)
        }
    }

    @Test("slowDrip over max_gap is a hang: the watchdog is not fooled by a stream that is merely slow")
    func slowDripOverLimit() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.slowDrip(gapMs: 600, count: 3), for: "/api/events/stream")
            let r = await runner(sim, engine).run(streamProbe(path: "/api/events/stream", firstByte: 0.5, maxGap: 0.3, finish: 3))
            #expect(r.verdict == .hang && r.stream?.watchdog?.limit == .maxGap)
            #expect(r.message.hasPrefix("no data for 0.3 s after 1 event, "))
        }
    }

    @Test("403 on /api/chat/stream is auth, 404 on /api/events/stream is route (report 003), not hangs")
    func refusedStreams() async throws {
        try await withSim("ws-1011-routes-404") { sim, engine in
            let run = runner(sim, engine)
            var r = await run.run(streamProbe(path: "/api/chat/stream", method: "POST", firstByte: 0.5, maxGap: 0.5, finish: 2))
            #expect(r.verdict == .fail && r.failureClass == .auth && r.status == 403)
            #expect(r.message.hasPrefix("403 Forbidden"))
            #expect(r.stream?.watchdog == nil)
            r = await run.run(streamProbe(path: "/api/events/stream", firstByte: 0.5, maxGap: 0.5, finish: 2))
            #expect(r.verdict == .fail && r.failureClass == .route && r.status == 404)
            #expect(r.message.hasPrefix("404 Not Found"))
        }
    }

    @Test("a failed condition on a finished stream is a fail, naming the condition")
    func failedCondition() async throws {
        try await withSim { sim, engine in
            let r = await runner(sim, engine).run(streamProbe(path: "/api/agents/stream", firstByte: 0.8, maxGap: 0.8, finish: 3,
                                                              conditions: ["[EVENTS] contains agent_completed"]))
            #expect(r.verdict == .fail && r.failureClass == .condition)
            #expect(r.message.contains("; failed [EVENTS] contains agent_completed"))
        }
    }

    @Test("no token: 401 from the route is auth; auth: bearer without any token is an error")
    func tokens() async throws {
        try await withSim { sim, engine in
            let target = TargetConfig(baseURL: sim.baseURL)
            var r = await StreamProbeRunner(engine: engine, target: target, token: nil)
                .run(streamProbe(path: "/api/agents/stream", auth: .none, firstByte: 0.5))
            #expect(r.failureClass == .auth && r.status == 401)
            r = await StreamProbeRunner(engine: engine, target: target, token: nil)
                .run(streamProbe(path: "/api/agents/stream", auth: .bearer, firstByte: 0.5))
            #expect(r.verdict == .error && r.failureClass == .auth)
            #expect(r.message == "auth: bearer but no token (set auth.token or auth.login)")
        }
    }

    @Test("progress events: one at the start, one at the first byte, throttled while data flows, all before the result")
    func progressEvents() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.slowDrip(gapMs: 60, count: 8), for: "/api/events/stream")
            let log = EventLog()
            let r = await runner(sim, engine, log: log)
                .run(streamProbe("events", path: "/api/events/stream", firstByte: 0.5, maxGap: 0.5, finish: 3))
            #expect(r.verdict == .pass)
            let progress = log.progress
            #expect(progress.count >= 3, "start, first byte, and at least one while flowing (\(progress.count))")
            #expect(progress.count <= 2 + 9, "throttled: at most one per 100 ms beyond the first two")
            let first = try #require(progress.first)
            #expect(first.probe == "events" && first.events == 0 && first.bytes == 0 && first.firstByteAt == nil)
            #expect(first.firstByteWithinMs == 500 && first.maxGapMs == 500 && first.finishWithinMs == 3000)
            #expect(progress[1].firstByteAt != nil && progress[1].events <= 1)
            #expect(zip(progress, progress.dropFirst()).allSatisfy { $0.bytes <= $1.bytes })
            #expect(progress.allSatisfy { $0.startedAt == first.startedAt })
        }
    }

    @Test("the live panel's last update before a stall shows every event that came (trailing flush)")
    func progressBeforeStall() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.stallAfter(2), for: "/api/chat/stream")
            let log = EventLog()
            let r = await runner(sim, engine, log: log).run(streamProbe(path: "/api/chat/stream", method: "POST",
                                                                        firstByte: 0.8, maxGap: 0.4))
            #expect(r.verdict == .hang)
            #expect(log.progress.last?.events == 2, "\(log.progress.map(\.events))")
            #expect(log.progress.last?.bytes == r.stream?.bytes)
        }
    }

    @Test("progress events keep coming for a stalled stream's start, and the hang ends it")
    func progressOnHang() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.noFirstByte, for: "/api/events/stream")
            let log = EventLog()
            let r = await runner(sim, engine, log: log).run(streamProbe(path: "/api/events/stream", firstByte: 0.3))
            #expect(r.verdict == .hang)
            #expect(log.progress.count == 1, "only the start: nothing else happened")
        }
    }

    @Test("eight hanging streams at once each fire on time; the engine is free afterwards")
    func concurrentHangs() async throws {
        try await withSim { sim, engine in
            sim.setStreamMode(.noFirstByte, for: "/api/events/stream")
            sim.setStreamMode(.stallAfter(1), for: "/api/agents/stream")
            let run = runner(sim, engine)
            let results = await withTaskGroup(of: ProbeResult.self) { group in
                for i in 0..<8 {
                    let spec = i % 2 == 0
                        ? streamProbe("s\(i)", path: "/api/events/stream", firstByte: 0.3 + Double(i) * 0.05)
                        : streamProbe("s\(i)", path: "/api/agents/stream", firstByte: 1, maxGap: 0.3)
                    group.addTask { await run.run(spec) }
                }
                var out: [ProbeResult] = []
                for await r in group { out.append(r) }
                return out
            }
            #expect(results.count == 8 && results.allSatisfy { $0.verdict == .hang })
            #expect(results.compactMap { $0.stream?.watchdog?.lateByMs }.allSatisfy { $0 < 250 })
            #expect(await eventually { engine.activeTransfers == 0 })
        }
    }
}
