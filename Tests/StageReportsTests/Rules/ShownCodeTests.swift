import Foundation
import Testing
import StageModel
@testable import StageReports

/// `check`'s table, the Markdown report and the Prometheus gauges show the code `ShownCode`
/// (Sources/StageModel/Rules/ShownCode.swift) picks, the rule the dashboard's CODE column uses
/// (Tests/StageUITests/Rules/ShownCodeTests.swift).
@Suite struct ShownCodeTests {
    static let t0 = Date(timeIntervalSince1970: 1_788_000_000)

    /// One run of each shape: a WebSocket closed 1011 after its 101, a refused upgrade, an HTTP 307,
    /// a burst, a timeout with no code at all.
    static var snapshot: Snapshot {
        func state(_ r: ProbeResult) -> ProbeState { ProbeState(name: r.probe, group: "g", kind: r.kind, target: "T", last: r) }
        var closed = ProbeResult(probe: "ws_closed", kind: .websocket, verdict: .fail, failureClass: .wsInternal, message: "closed 1011",
                                 status: 101, closeCode: 1011, closeReason: "Internal error", startedAt: t0, finishedAt: t0)
        closed.websocket = WebSocketInfo(handshakeStatus: 101, connected: 1)
        var refused = ProbeResult(probe: "ws_refused", kind: .websocket, verdict: .fail, failureClass: .wsHandshake, message: "upgrade refused",
                                  status: 403, startedAt: t0, finishedAt: t0)
        refused.websocket = WebSocketInfo(handshakeStatus: 403)
        let http = ProbeResult(probe: "http_redirect", kind: .http, verdict: .fail, failureClass: .redirect, message: "redirected",
                               status: 307, startedAt: t0, finishedAt: t0)
        let burst = ProbeResult(probe: "burst", kind: .burst, verdict: .pass, message: "50 requests", statuses: [200: 38, 429: 12],
                                startedAt: t0, finishedAt: t0)
        let timeout = ProbeResult(probe: "timed_out", kind: .http, verdict: .error, failureClass: .timeout, message: "timeout",
                                  startedAt: t0, finishedAt: t0)
        return Snapshot(configName: "c", targetHost: "h", startedAt: t0, takenAt: t0,
                        probes: [closed, refused, http, burst, timeout].map(state))
    }

    static let expected = ["ws_closed": "1011", "ws_refused": "403", "http_redirect": "307", "burst": "38×200 12×429", "timed_out": "-"]

    @Test func checksTableShowsTheRulesCode() throws {
        let lines = TextTable.render(Self.snapshot).split(separator: "\n")
        for p in Self.snapshot.probes {
            let row = try #require(lines.first { $0.hasPrefix(p.name + " ") })
            let shown = ShownCode(p)?.text ?? "-"
            #expect(shown == Self.expected[p.name])
            #expect(row.contains("  " + shown + "  "), "\(row)")
        }
    }

    @Test func theMarkdownTableShowsTheRulesCode() throws {
        let md = MarkdownReport.render(Self.snapshot, startedAt: Self.t0, finishedAt: Self.t0)
        for p in Self.snapshot.probes {
            let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| \(p.name) |") })
            let shown = ShownCode(p).map { if case .close(let c) = $0 { "close \(c)" } else { $0.text } } ?? "-"
            #expect(row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }[5] == shown, "\(row)")
        }
        #expect(md.contains("| close 1011 |") && md.contains("| 38×200 12×429 |"))
    }

    @Test func prometheusGaugesFollowTheRule() {
        let text = PrometheusReport.render(Self.snapshot, finishedAt: Self.t0)
        func sample(_ family: String, _ probe: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(family + "{") && $0.contains("probe=\"\(probe)\"") }.map { String($0.split(separator: " ").last!) }
        }
        for p in Self.snapshot.probes {
            let status = p.last.flatMap { ShownCode.httpStatus($0, connection: p.connection) }
            #expect(sample("stagetop_probe_http_status", p.name) == status.map(String.init), "\(p.name)")
            let close: Int? = if case .close(let c)? = ShownCode(p) { c } else { nil }
            #expect(sample("stagetop_probe_ws_close_code", p.name) == close.map(String.init), "\(p.name)")
        }
        // The closed WebSocket keeps both gauges: its upgrade's 101 and the 1011 that ended it.
        #expect(sample("stagetop_probe_http_status", "ws_closed") == "101" && sample("stagetop_probe_ws_close_code", "ws_closed") == "1011")
        #expect(sample("stagetop_probe_http_status", "burst") == "200")
    }
}
