import Foundation
@testable import StageModel
@testable import StageUI

/// Snapshots for the live parts of the dashboard: held-open and concurrent WebSockets, closes,
/// streams in flight and fired watchdogs, the login step, bursts and closed cycles.
enum DashboardFixtures {
    static let now = Fixtures.now
    static func ago(_ s: Double) -> Date { now.addingTimeInterval(-s) }

    static func ws(_ name: String, _ verdict: Verdict, _ cls: FailureClass? = nil, message: String, closeCode: Int? = nil,
                   closeReason: String? = nil, info: WebSocketInfo, events: [TimedEvent] = []) -> ProbeState {
        var r = Fixtures.result(name, .websocket, verdict, cls, message: message, status: info.handshakeStatus, closeCode: closeCode,
                                closeReason: closeReason, latency: 52, events: events)
        r.websocket = info
        var p = Fixtures.probe(name, group: "websocket", kind: .websocket, target: "WS /ws", result: r)
        p.connection = info
        return p
    }

    static let chatEvents = [
        TimedEvent(type: "system_message", atMs: 0), TimedEvent(type: "agent_started", atMs: 41.2),
        TimedEvent(type: "agent_thinking", atMs: 130.4), TimedEvent(type: "tool_executing", atMs: 1630.4),
        TimedEvent(type: "tool_completed", atMs: 1702.9),
    ]

    static func probes() -> [ProbeState] {
        var out: [ProbeState] = []
        out.append(ws("websocket_connection", .fail, .wsInternal, message: "closed 1011 Internal error", closeCode: 1011,
                      closeReason: "Internal error", info: WebSocketInfo(url: "wss://api.staging.example.com/ws", handshakeStatus: 101,
                                                                        subprotocol: "jwt.<redacted>", connected: 1, attempted: 1, slowestHandshakeMs: 35.2),
                      events: chatEvents))
        out.append(ws("websocket_auth", .fail, .wsPolicy, message: "closed 1008 Authentication failed", closeCode: 1008,
                      closeReason: "Authentication failed", info: WebSocketInfo(handshakeStatus: 101, connected: 1)))
        out.append(ws("websocket_chat_flow", .fail, .wsHandshake, message: "upgrade refused: 403 Forbidden",
                      info: WebSocketInfo(handshakeStatus: 403, handshakeHeaders: [(name: "Content-Type", value: "text/plain"),
                                                                                   (name: "Set-Cookie", value: "sid=abc123secret")],
                                          connected: 0, attempted: 1)))
        out.append(ws("websocket_concurrent", .pass, message: "5 connections, every step met",
                      info: WebSocketInfo(handshakeStatus: 101, subprotocol: "jwt.<redacted>", connected: 4, attempted: 5, slowestHandshakeMs: 88.4)))
        out.append(ws("websocket_held", .pass, message: "connected", info: WebSocketInfo(handshakeStatus: 101, subprotocol: "jwt.<redacted>",
                                                                                     connected: 1, attempted: 1, connectedSince: ago(185),
                                                                                     lastPingRTTMs: 1.2, reconnects: 2)))
        var burst = Fixtures.result("rate_limiting", .burst, .pass, message: "50 requests in 1.9s", status: nil, latency: 1900)
        burst.statuses = [200: 38, 429: 12]
        out.append(Fixtures.probe("rate_limiting", group: "api", kind: .burst, target: "GET /api/health ×50", result: burst))
        var stream = Fixtures.result("chat_stream", .stream, .hang, .hang, message: "no data for 10.0 s after 3 events, 412 B", status: 200, latency: nil)
        stream.stream = StreamInfo(firstByteMs: 120.4, chunks: 4, bytes: 412, events: ["agent_started", "message", "message", "message"],
                                   longestGapMs: 10_000, watchdog: fire("chat_stream", .maxGap, 10_000, at: ago(30)))
        out.append(Fixtures.probe("chat_stream", group: "stream", kind: .stream, target: "POST /api/chat/stream (stream)", result: stream,
                                  runningSince: ago(4.2)))
        out.append(Fixtures.probe("events_stream", group: "stream", kind: .stream, target: "GET /api/events/stream (stream)",
                                  result: Fixtures.result("events_stream", .stream, .pass, message: "finished: 12 events", latency: 2300),
                                  runningSince: ago(14)))
        for name in ["backend_health", "agent_discovery", "thread_history", "agent_start"] {
            out.append(Fixtures.probe(name, group: "api", result: Fixtures.result(name, .http, .pass, latency: 70)))
        }
        return out
    }

    static func fire(_ probe: String, _ limit: WatchdogLimit, _ ms: Double, at: Date, late: Double = 12) -> WatchdogFire {
        WatchdogFire(probe: probe, limit: limit, limitMs: ms, at: at, lateByMs: late, events: 3, bytes: 412)
    }

    /// Streams in flight at `takenAt`: chat_stream waiting 4.2 s for its first byte (limit 5 s),
    /// events_stream streaming with 6 s of silence (max gap 10 s) after 14 s (finish within 60 s).
    static func streams(startOffset: Double = 0) -> [StreamProgress] {
        [
            StreamProgress(probe: "chat_stream", startedAt: ago(4.2), firstByteWithinMs: 5000, maxGapMs: 10_000, finishWithinMs: 60_000),
            StreamProgress(probe: "events_stream", startedAt: ago(14), firstByteAt: ago(13), lastDataAt: ago(6), events: 3, bytes: 412,
                           firstByteWithinMs: 5000, maxGapMs: 10_000, finishWithinMs: 60_000),
        ]
    }

    static let closes: [CloseRecord] = [
        CloseRecord(at: ago(300), probe: "websocket_held", code: 1000, reason: "", byServer: false),
        CloseRecord(at: ago(200), probe: "websocket_held", code: 1006, reason: "connection reset"),
        CloseRecord(at: ago(120), probe: "websocket_auth", code: 1008, reason: "Authentication failed"),
        CloseRecord(at: ago(62), probe: "websocket_connection", code: 1011, reason: "Internal error"),
    ]
    static let closeCounts = [1000: 3, 1006: 1, 1008: 2, 1011: 5]

    static func cycle(_ n: Int, passed: Int, counted: Int = 25, hung: Int = 0, failed: Int? = nil, flips: [Flip] = []) -> CycleSummary {
        CycleSummary(number: n, startedAt: Fixtures.t0.addingTimeInterval(Double(n - 1) * 60), finishedAt: Fixtures.t0.addingTimeInterval(Double(n) * 60 - 5),
                     passed: passed, counted: counted, failed: failed ?? (counted - passed - hung), hung: hung, errored: 0,
                     latencyAvgMs: 82.7, verdicts: [:], flips: flips)
    }

    /// Cycle 1 21/25, cycle 2 22/25 (backend_health fixed, agent_start broke, thread_history fixed).
    static let improving = [
        cycle(1, passed: 21, hung: 2),
        cycle(2, passed: 22, hung: 1, flips: [Flip(probe: "backend_health", from: .fail, to: .pass), Flip(probe: "agent_start", from: .pass, to: .fail),
                                               Flip(probe: "thread_history", from: .hang, to: .pass)]),
    ]
    /// The 2025-09-09 report: 22/25 then 21/25, which it called an improvement.
    static let worsening = [cycle(1, passed: 22, hung: 1), cycle(2, passed: 21, hung: 2, flips: [Flip(probe: "websocket_connection", from: .pass, to: .fail)])]

    static func snapshot(takenAt: Date = now, login: LoginState? = nil, cycles: [CycleSummary] = improving, streams: [StreamProgress]? = nil,
                         closes: [CloseRecord] = closes, counts: [Int: Int] = closeCounts, watchdogs: [WatchdogFire]? = nil) -> Snapshot {
        Snapshot(configName: "netra-staging", targetHost: "api.staging.example.com", startedAt: Fixtures.t0, takenAt: takenAt,
                 completedCycles: cycles.count, probes: probes(), closes: closes, closeCounts: counts,
                 activeStreams: streams ?? self.streams(), watchdogs: watchdogs ?? [fire("critical_event_delivery", .firstByte, 5000, at: ago(90), late: 0),
                                                                                   fire("chat_stream", .maxGap, 10_000, at: ago(30))],
                 login: login, cycles: cycles, cycleInProgress: 7)
    }
}
