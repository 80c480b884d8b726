import Foundation
import StageModel
@testable import StageUI

/// Snapshots built straight from the model types, shaped like the staging reports.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_757_414_400) // 2025-09-09 10:40:00 UTC
    static let now = t0.addingTimeInterval(44 * 60 + 44) // 11:24:44 UTC

    static func result(_ name: String, _ kind: ProbeKind, _ verdict: Verdict, _ cls: FailureClass? = nil, message: String = "200 OK",
                       status: Int? = 200, closeCode: Int? = nil, closeReason: String? = nil, latency: Double? = 80,
                       ago: Double = 3, conditions: [ConditionResult] = [], timings: Timings? = nil,
                       response: ResponseCapture? = nil, events: [TimedEvent] = []) -> ProbeResult {
        ProbeResult(probe: name, kind: kind, verdict: verdict, failureClass: cls, message: message, status: status,
                    closeCode: closeCode, closeReason: closeReason, latencyMs: latency, timings: timings,
                    conditions: conditions, events: events, response: response,
                    startedAt: now.addingTimeInterval(-ago - 1), finishedAt: now.addingTimeInterval(-ago))
    }

    static func probe(_ name: String, group: String, kind: ProbeKind = .http, target: String = "GET /x", result: ProbeResult?,
                      avg: Double? = nil, samples: Int = 10, history: [HistoryPoint] = [], runningSince: Date? = nil,
                      enabled: Bool = true) -> ProbeState {
        let stats = LatencySummary(last: result?.latencyMs, avg: avg ?? result?.latencyMs, p50: (avg ?? 80) - 1,
                                   p95: (avg ?? 80) + 15, p99: (avg ?? 80) + 20, samples: result?.latencyMs == nil && avg == nil ? 0 : samples)
        return ProbeState(name: name, group: group, kind: kind, target: target, enabled: enabled, last: result, stats: stats,
                          history: history, verdictSince: now.addingTimeInterval(-92), runningSince: runningSince, runs: samples)
    }

    /// The 2025-09-09 P1 run: 25 probes, 21 pass, 2 fail (WebSocket 1011), 2 hang (streams),
    /// average latency 82.7 ms. The report called it "84%" and then skipped the 4; we count them.
    static func p1() -> Snapshot {
        var probes: [ProbeState] = []
        probes.append(probe("websocket_connection_real", group: "websocket", kind: .websocket, target: "WS /ws",
                            result: result("websocket_connection_real", .websocket, .fail, .wsInternal,
                                           message: "closed 1011 Internal error", status: nil, closeCode: 1011,
                                           closeReason: "Internal error", latency: 80.7),
                            avg: 82.7 - 11))
        probes.append(probe("websocket_authentication_real", group: "websocket", kind: .websocket, target: "WS /ws",
                            result: result("websocket_authentication_real", .websocket, .fail, .wsInternal,
                                           message: "1011 error on welcome message wait", status: nil, closeCode: 1011, latency: 4260),
                            avg: 82.7 - 10))
        probes.append(probe("streaming_partial_results_real", group: "streaming", kind: .stream, target: "POST /api/chat/stream (stream)",
                            result: result("streaming_partial_results_real", .stream, .hang, .hang,
                                           message: "no first byte within 5.0 s", status: 200, latency: nil)))
        probes.append(probe("critical_event_delivery_real", group: "streaming", kind: .stream, target: "GET /api/events/stream (stream)",
                            result: result("critical_event_delivery_real", .stream, .hang, .hang,
                                           message: "no data for 10.0 s after 3 events", status: 200, latency: nil),
                            runningSince: now.addingTimeInterval(-4.2)))
        let passing = ["websocket_message_send_real", "websocket_concurrent_connections_real", "agent_discovery_real",
                       "agent_configuration_real", "agent_execution_endpoints_real", "agent_streaming_capabilities_real",
                       "agent_status_monitoring_real", "tool_execution_endpoints_real", "agent_performance_real",
                       "message_persistence_real", "thread_creation_real", "thread_switching_real", "thread_history_real",
                       "user_context_isolation_real", "concurrent_users_real", "rate_limiting_real", "error_handling_real",
                       "connection_resilience_real", "session_persistence_real", "agent_lifecycle_management_real",
                       "message_ordering_real"]
        for (k, name) in passing.enumerated() {
            let group = name.hasPrefix("websocket") ? "websocket" : name.hasPrefix("agent") || name.hasPrefix("tool") ? "agents"
                : name.hasPrefix("message") || name.hasPrefix("thread") ? "messaging" : "platform"
            let d = Double(k + 2 - 11) // -9 … 11, with the two failures' -11, -10: offsets sum to 0
            let history = (0..<20).map { j in HistoryPoint(at: now.addingTimeInterval(Double(j - 20) * 10), verdict: .pass, latencyMs: 60 + Double((j * 7 + k) % 40)) }
            probes.append(probe(name, group: group, result: result(name, .http, .pass, latency: 82.7 + d, ago: Double(k % 7 + 1)),
                                avg: 82.7 + d, history: history))
        }
        let log = [
            LogEntry(at: t0.addingTimeInterval(5), message: "started: 25 probes, netra-staging"),
            LogEntry(at: t0.addingTimeInterval(65), probe: "websocket_connection_real", from: .pass, to: .fail,
                     failureClass: .wsInternal, message: "closed 1011 Internal error"),
            LogEntry(at: t0.addingTimeInterval(245), probe: "backend_health", from: .pass, to: .fail,
                     failureClass: .redirect, message: "307 Temporary Redirect → /health/"),
        ]
        return Snapshot(configName: "netra-staging", targetHost: "api.staging.example.com", insecure: false, startedAt: t0,
                        takenAt: now, completedCycles: 12, probes: probes, log: log)
    }

    /// One probe per failure the reports describe: 307 redirect, 404 route, 500, 403 handshake, 1008, hang.
    static func failures() -> Snapshot {
        let probes = [
            probe("backend_health", group: "health", target: "GET /health",
                  result: result("backend_health", .http, .fail, .redirect, message: "307 Temporary Redirect → /health/", status: 307, latency: 81.2,
                                 conditions: [ConditionResult(expr: "[STATUS] == 200", ok: false, actual: "307"),
                                              ConditionResult(expr: "[RESPONSE_TIME] < 300ms", ok: true, actual: "81.2ms")],
                                 timings: Timings(dns: 0.4, connect: 1.1, tls: 6.0, ttfb: 73.7, total: 81.2),
                                 response: ResponseCapture(status: 307, headers: [(name: "Location", value: "/health/"), (name: "Set-Cookie", value: "session=abc123secret")],
                                                           body: Array("Temporary Redirect".utf8), bodyBytes: 18))),
            probe("user_profile", group: "api", target: "GET /api/user/profile",
                  result: result("user_profile", .http, .fail, .route, message: "404 Not Found", status: 404, latency: 40.1)),
            probe("agent_discovery", group: "api", target: "GET /api/discovery/services",
                  result: result("agent_discovery", .http, .fail, .server, message: "500 Internal Server Error", status: 500, latency: 120.3)),
            probe("websocket_chat_flow", group: "websocket", kind: .websocket, target: "WS /ws",
                  result: result("websocket_chat_flow", .websocket, .fail, .wsHandshake, message: "upgrade refused: 403 Forbidden", status: 403, latency: 35.0)),
            probe("websocket_auth", group: "websocket", kind: .websocket, target: "WS /ws",
                  result: result("websocket_auth", .websocket, .fail, .wsPolicy, message: "closed 1008 Authentication failed", status: nil,
                                 closeCode: 1008, closeReason: "Authentication failed", latency: 52.0)),
            probe("chat_stream", group: "stream", kind: .stream, target: "POST /api/chat/stream (stream)",
                  result: result("chat_stream", .stream, .hang, .hang, message: "no data for 10.0 s after 3 events", status: 200, latency: nil)),
            probe("api_health", group: "health", target: "GET /api/health", result: result("api_health", .http, .pass, latency: 12.5)),
            probe("legacy_probe", group: "health", target: "GET /legacy", result: nil, enabled: false),
            probe("new_probe", group: "api", target: "GET /new", result: nil),
        ]
        return Snapshot(configName: "netra-staging", targetHost: "api.staging.example.com", insecure: true, startedAt: t0,
                        takenAt: now, completedCycles: 3, paused: true, probes: probes)
    }

    static func render(_ s: Snapshot, width: Int, height: Int, view: ViewState = ViewState(), renderer: Renderer = Renderer()) -> (Buffer, ViewState) {
        var v = view
        let b = renderer.frame(s, view: &v, width: width, height: height)
        return (b, v)
    }

    /// Row index of the first line containing `needle`.
    static func row(_ b: Buffer, _ needle: String) -> Int? { b.find(needle)?.y }
}
