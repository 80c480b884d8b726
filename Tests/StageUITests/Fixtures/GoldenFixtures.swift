import Foundation
@testable import StageModel
@testable import StageUI

/// The staging session the golden screens show: every probe kind several times, passing and failing —
/// a redirect, a 404, a 500, a timeout, WebSocket 1011 and 1008 closes and a refused upgrade, a burst
/// that was rate limited, a hung stream and one running past its max_gap before its first byte — with
/// closes, fired watchdogs, two closed cycles and a working login. Fixed dates, UTC, no clock.
enum GoldenFixtures {
    static let now = Fixtures.now // 2025-09-09 11:24:44 UTC
    static func ago(_ s: Double) -> Date { now.addingTimeInterval(-s) }

    /// 16 runs, 30 s apart, ending in the probe's last result; `failingFor` runs before it share its
    /// verdict. Latency figures come from these runs, as the store's histogram would give them.
    static func withRuns(_ p: ProbeState, seed: Int, scale: Double = 1, failingFor: Int = 0) -> ProbeState {
        var p = p
        guard let last = p.last else { return p }
        p.history = (0..<16).map { j in
            if j == 15 { return HistoryPoint(at: last.finishedAt, verdict: last.verdict, latencyMs: last.latencyMs) }
            let v: Verdict = j >= 15 - failingFor ? last.verdict : .pass
            return HistoryPoint(at: last.finishedAt.addingTimeInterval(Double(j - 15) * 30), verdict: v,
                                latencyMs: v == .hang ? nil : (40 + Double((j * 37 + seed * 11) % 160)) * scale)
        }
        let ms = p.history.compactMap(\.latencyMs).sorted()
        func q(_ f: Double) -> Double? { ms.isEmpty ? nil : ms[min(ms.count - 1, Int(Double(ms.count) * f))] }
        p.stats = LatencySummary(last: last.latencyMs, avg: ms.isEmpty ? nil : ms.reduce(0, +) / Double(ms.count),
                                 p50: q(0.5), p95: q(0.95), p99: q(0.99), samples: ms.count)
        p.runs = 16
        p.verdictSince = p.history[15 - failingFor].at
        return p
    }

    static func http(_ name: String, group: String, _ verdict: Verdict, _ cls: FailureClass? = nil, message: String = "200 OK", status: Int? = 200,
                     latency: Double?, target: String, ago seconds: Double = 4, seed: Int, failingFor: Int = 0) -> ProbeState {
        withRuns(Fixtures.probe(name, group: group, target: target,
                                result: Fixtures.result(name, .http, verdict, cls, message: message, status: status, latency: latency, ago: seconds)),
                 seed: seed, failingFor: failingFor)
    }

    /// A WebSocket probe with its runs; its connection state stays as the fixture set it.
    static func ws(_ p: ProbeState, seed: Int, failingFor: Int = 0) -> ProbeState { withRuns(p, seed: seed, failingFor: failingFor) }

    static func probes() -> [ProbeState] {
        var out: [ProbeState] = []
        // HTTP
        var redirect = Fixtures.result("backend_health", .http, .fail, .redirect, message: "307 Temporary Redirect → /health/", status: 307, latency: 81.2,
                                       conditions: [ConditionResult(expr: "[STATUS] == 200", ok: false, actual: "307"),
                                                    ConditionResult(expr: "[RESPONSE_TIME] < 300ms", ok: true, actual: "81.2ms")],
                                       timings: Timings(dns: 0.4, connect: 1.1, tls: 6.0, ttfb: 73.7, total: 81.2),
                                       response: ResponseCapture(status: 307, headers: [(name: "Location", value: "/health/"),
                                                                                        (name: "Set-Cookie", value: "session=abc123secret")],
                                                                 body: Array("Temporary Redirect".utf8), bodyBytes: 18))
        redirect.finishedAt = ago(6)
        out.append(withRuns(Fixtures.probe("backend_health", group: "health", target: "GET /health", result: redirect), seed: 1, failingFor: 3))
        out.append(http("api_health", group: "health", .pass, latency: 12.5, target: "GET /api/health", seed: 2))
        out.append(http("user_profile", group: "api", .fail, .route, message: "404 Not Found", status: 404, latency: 40.1,
                        target: "GET /api/user/profile", seed: 3))
        out.append(http("agent_discovery", group: "api", .fail, .server, message: "500 Internal Server Error", status: 500, latency: 120.3,
                        target: "GET /api/discovery/services", seed: 4, failingFor: 1))
        out.append(http("message_history", group: "api", .error, .timeout, message: "timeout: no response within 10.0 s", status: nil,
                        latency: nil, target: "GET /api/threads/t1/messages", seed: 5, failingFor: 1))
        out.append(http("thread_create", group: "api", .pass, message: "201 Created", status: 201, latency: 95.6, target: "POST /api/threads", seed: 6))
        out.append(http("agent_config", group: "api", .pass, latency: 64.0, target: "GET /api/agents/config", ago: 12, seed: 7))
        // Without a result there are no latency figures either.
        for var p in [Fixtures.probe("new_probe", group: "api", target: "GET /api/new", result: nil),
                      Fixtures.probe("legacy_probe", group: "health", target: "GET /legacy", result: nil, enabled: false)] {
            p.stats = LatencySummary(); p.runs = 0; p.verdictSince = nil
            out.append(p)
        }
        // WebSocket
        out.append(ws(DashboardFixtures.ws("websocket_connection", .fail, .wsInternal, message: "closed 1011 Internal error", closeCode: 1011,
                                        closeReason: "Internal error",
                                        info: WebSocketInfo(url: "wss://api.staging.example.com/ws", handshakeStatus: 101, subprotocol: "jwt.<redacted>",
                                                            connected: 1, attempted: 1, slowestHandshakeMs: 35.2),
                                        events: DashboardFixtures.chatEvents), seed: 8, failingFor: 9))
        out.append(ws(DashboardFixtures.ws("websocket_auth", .fail, .wsPolicy, message: "closed 1008 Authentication failed", closeCode: 1008,
                                           closeReason: "Authentication failed", info: WebSocketInfo(handshakeStatus: 101, connected: 1)), seed: 9, failingFor: 15))
        out.append(ws(DashboardFixtures.ws("websocket_upgrade", .fail, .wsHandshake, message: "upgrade refused: 403 Forbidden",
                                        info: WebSocketInfo(handshakeStatus: 403, handshakeHeaders: [(name: "Content-Type", value: "text/plain")],
                                                            connected: 0, attempted: 1)), seed: 10, failingFor: 2))
        out.append(ws(DashboardFixtures.ws("websocket_concurrent", .pass, message: "5 connections, every step met",
                                        info: WebSocketInfo(handshakeStatus: 101, subprotocol: "jwt.<redacted>", connected: 5, attempted: 5,
                                                            slowestHandshakeMs: 88.4)), seed: 11))
        out.append(ws(DashboardFixtures.ws("websocket_held", .pass, message: "connected",
                                        info: WebSocketInfo(handshakeStatus: 101, subprotocol: "jwt.<redacted>", connected: 1, attempted: 1,
                                                            connectedSince: ago(185), lastPingRTTMs: 1.2, reconnects: 2)), seed: 12))
        // Bursts
        var limited = Fixtures.result("rate_limiting", .burst, .pass, message: "50 requests in 1.9s", status: nil, latency: 1900)
        limited.statuses = [200: 38, 429: 12]
        out.append(withRuns(Fixtures.probe("rate_limiting", group: "burst", kind: .burst, target: "GET /api/health ×50", result: limited), seed: 13, scale: 12))
        var refused = Fixtures.result("login_burst", .burst, .fail, .rateLimit, message: "40 of 50 rate limited (429)", status: nil, latency: 640)
        refused.statuses = [200: 10, 429: 40]
        out.append(withRuns(Fixtures.probe("login_burst", group: "burst", kind: .burst, target: "POST /auth/login ×50", result: refused), seed: 14, scale: 6, failingFor: 1))
        var calm = Fixtures.result("search_burst", .burst, .pass, message: "20 requests in 0.8s", status: nil, latency: 812)
        calm.statuses = [200: 20]
        out.append(withRuns(Fixtures.probe("search_burst", group: "burst", kind: .burst, target: "GET /api/search ×20", result: calm), seed: 15, scale: 5))
        // Streams
        var hung = Fixtures.result("chat_stream", .stream, .hang, .hang, message: "no data for 10.0 s after 3 events, 412 B", status: 200, latency: nil,
                                   events: [TimedEvent(type: "agent_started", atMs: 120.4), TimedEvent(type: "message", atMs: 410.0),
                                            TimedEvent(type: "message", atMs: 1210.7), TimedEvent(type: "message", atMs: 1893.2)])
        hung.stream = StreamInfo(firstByteMs: 120.4, chunks: 4, bytes: 412, events: ["agent_started", "message", "message", "message"],
                                 longestGapMs: 10_000, watchdog: DashboardFixtures.fire("chat_stream", .maxGap, 10_000, at: ago(30)))
        out.append(withRuns(Fixtures.probe("chat_stream", group: "stream", kind: .stream, target: "POST /api/chat/stream (stream)", result: hung,
                                           runningSince: ago(4.2)), seed: 16, scale: 15, failingFor: 1))
        var finished = Fixtures.result("events_stream", .stream, .pass, message: "finished: 12 events", latency: 2300)
        finished.stream = StreamInfo(firstByteMs: 48.0, chunks: 12, bytes: 2048, events: Array(repeating: "message", count: 12), longestGapMs: 640)
        out.append(withRuns(Fixtures.probe("events_stream", group: "stream", kind: .stream, target: "GET /api/events/stream (stream)", result: finished,
                                           runningSince: ago(14)), seed: 17, scale: 15))
        out.append(withRuns(Fixtures.probe("agent_progress", group: "stream", kind: .stream, target: "GET /api/agents/progress (stream)",
                                           result: Fixtures.result("agent_progress", .stream, .pass, message: "finished: 3 events", latency: 1450),
                                           runningSince: ago(11.5)), seed: 18, scale: 10))
        return out
    }

    /// chat_stream waiting 4.2 s for its first byte (limit 5 s), events_stream 6 s into a gap (max 10 s),
    /// agent_progress configured with only max_gap, 11.5 s without a first byte: past the limit the
    /// watchdog uses, not yet judged.
    static let streams: [StreamProgress] = [
        StreamProgress(probe: "chat_stream", startedAt: ago(4.2), firstByteWithinMs: 5000, maxGapMs: 10_000, finishWithinMs: 60_000),
        StreamProgress(probe: "events_stream", startedAt: ago(14), firstByteAt: ago(13), lastDataAt: ago(6), events: 3, bytes: 412,
                       firstByteWithinMs: 5000, maxGapMs: 10_000, finishWithinMs: 60_000),
        StreamProgress(probe: "agent_progress", startedAt: ago(11.5), maxGapMs: 10_000),
    ]

    static let log: [LogEntry] = [
        LogEntry(at: Fixtures.t0.addingTimeInterval(5), message: "started: 20 probes, netra-staging"),
        LogEntry(at: ago(400), probe: "backend_health", from: .pass, to: .fail, failureClass: .redirect, message: "307 Temporary Redirect → /health/"),
        LogEntry(at: ago(300), probe: "websocket_connection", from: .pass, to: .fail, failureClass: .wsInternal, message: "closed 1011 Internal error"),
        LogEntry(at: ago(62), message: "closed 1011 Internal error", closeCode: 1011),
        LogEntry(at: ago(45), probe: "message_history", from: .pass, to: .error, failureClass: .timeout, message: "timeout: no response within 10.0 s"),
        LogEntry(at: ago(30), probe: "chat_stream", from: .pass, to: .hang, failureClass: .hang, message: "no data for 10.0 s after 3 events, 412 B"),
        LogEntry(at: ago(20), probe: "login_burst", from: .pass, to: .fail, failureClass: .rateLimit, message: "40 of 50 rate limited (429)"),
    ]

    /// Six closed cycles of 19 counted probes, one every 7 minutes, going downhill: the 1011s, then the
    /// hang, the timeout and the rate limit arrive; backend_health's redirect was there from the start.
    static let cycles: [CycleSummary] = {
        let shape: [(passed: Int, hung: Int, errored: Int, flips: [Flip])] = [
            (13, 0, 0, []),
            (13, 0, 0, [Flip(probe: "user_profile", from: .pass, to: .fail), Flip(probe: "thread_create", from: .fail, to: .pass)]),
            (12, 0, 0, [Flip(probe: "websocket_connection", from: .pass, to: .fail)]),
            (11, 1, 0, [Flip(probe: "agent_discovery", from: .pass, to: .fail), Flip(probe: "events_stream", from: .hang, to: .pass),
                        Flip(probe: "chat_stream", from: .pass, to: .hang)]),
            (11, 1, 0, []),
            (10, 1, 1, [Flip(probe: "message_history", from: .pass, to: .error)]),
        ]
        return shape.enumerated().map { k, c in
            let n = k + 1
            return CycleSummary(number: n, startedAt: Fixtures.t0.addingTimeInterval(Double(k) * 420), finishedAt: Fixtures.t0.addingTimeInterval(Double(n) * 420 - 12),
                                passed: c.passed, counted: 19, failed: 19 - 1 - c.passed - c.hung - c.errored, hung: c.hung, errored: c.errored,
                                latencyAvgMs: 310.4 + Double(k * 17 % 40), verdicts: [:], flips: c.flips)
        }
    }()

    static func snapshot() -> Snapshot {
        Snapshot(configName: "netra-staging", targetHost: "api.staging.example.com", startedAt: Fixtures.t0, takenAt: now,
                 completedCycles: cycles.count, probes: probes(), log: log, closes: DashboardFixtures.closes, closeCounts: DashboardFixtures.closeCounts,
                 activeStreams: streams,
                 watchdogs: [DashboardFixtures.fire("critical_event_delivery", .firstByte, 5000, at: ago(90), late: 0),
                             DashboardFixtures.fire("chat_stream", .maxGap, 10_000, at: ago(30))],
                 login: LoginState(phase: .ok, message: "200 OK", status: 200, at: ago(600), expiresAt: now.addingTimeInterval(724)),
                 cycles: cycles, cycleInProgress: 7)
    }

    /// The detail view's request section: placeholders for secrets, as the CLI passes them.
    static let requests: [String: ProbeRequestInfo] = [
        "chat_stream": ProbeRequestInfo(url: "https://api.staging.example.com/api/chat/stream", method: "POST",
                                        headers: [("Authorization", "Bearer $STAGING_JWT"), ("Accept", "text/event-stream")],
                                        curl: "curl -sS -N -X POST -H 'Authorization: Bearer $STAGING_JWT' -H 'Accept: text/event-stream' --data '{\"message\":\"hello\"}' 'https://api.staging.example.com/api/chat/stream'"),
        "websocket_connection": ProbeRequestInfo(url: "wss://api.staging.example.com/ws", method: "GET",
                                                 headers: [("Sec-WebSocket-Protocol", "jwt.$STAGING_JWT")],
                                                 curl: "websocat -H 'Sec-WebSocket-Protocol: jwt.$STAGING_JWT' 'wss://api.staging.example.com/ws'"),
    ]
}
