import Foundation
import Testing
import StageModel
@testable import StageReports

/// Each kind's own fields (Sources/StageReports/Kinds/) reach the reports and survive a recording.
@Suite struct KindFieldsTests {
    static let t0 = Date(timeIntervalSince1970: 1_788_000_000)

    /// A failed run of `kind` carrying everything that kind records. The switch has no `default:`: a new
    /// kind must say what it carries here too.
    static func run(_ kind: ProbeKind) -> ProbeResult {
        var r = ProbeResult(probe: "\(kind.rawValue)_probe", kind: kind, verdict: .fail, failureClass: .server, message: "failed",
                            latencyMs: 80, startedAt: t0, finishedAt: t0.addingTimeInterval(1))
        let response = ResponseCapture(status: 500, headers: [(name: "Content-Type", value: "text/plain"), (name: "Set-Cookie", value: "sid=secret")],
                                       body: Array("oops".utf8), bodyBytes: 4)
        switch kind {
        case .http:
            r.status = 500; r.response = response
        case .websocket:
            r.status = 101; r.closeCode = 1011; r.closeReason = "Internal error"
            r.websocket = WebSocketInfo(url: "wss://h/ws", handshakeStatus: 101, subprotocol: "chat", connected: 4, attempted: 5,
                                        slowestHandshakeMs: 88.4, connectedSince: t0, lastPingRTTMs: 1.5, reconnects: 2)
        case .stream:
            r.status = 200; r.response = response
            r.stream = StreamInfo(firstByteMs: 120.5, chunks: 4, bytes: 412, events: ["a", "message"], longestGapMs: 10_000,
                                  watchdog: WatchdogFire(probe: r.probe, limit: .maxGap, limitMs: 10_000, at: t0.addingTimeInterval(1), lateByMs: 12,
                                                         events: 3, bytes: 412))
        case .burst:
            r.statuses = [200: 38, 429: 12]
        case .journey:
            r.status = 404
            r.journey = JourneyInfo(steps: [
                JourneyStepResult(name: "create", kind: .http, verdict: .pass, status: 201, latencyMs: 12.5, message: "201 Created",
                                  offsetMs: 0, durationMs: 13, captures: [CapturedValue(name: "thread_id", value: "thread-9", secret: false),
                                                                          CapturedValue(name: "token", value: "••••", secret: true)],
                                  conditions: [ConditionResult(expr: "[STATUS] == 201", ok: true, actual: "201")]),
                JourneyStepResult(name: "read", kind: .http, verdict: .fail, failureClass: .route, status: 404, latencyMs: 3.5,
                                  message: "404 Not Found", offsetMs: 14, durationMs: 4),
                JourneyStepResult(name: "chat", kind: .websocket, verdict: .skip, message: "not run: an earlier step failed"),
            ])
        }
        return r
    }

    @Test(arguments: ProbeKind.allCases)
    func aRecordingKeepsTheKindsFields(_ kind: ProbeKind) throws {
        let r = Self.run(kind)
        let line = try #require(RecordingCodec.encode(.event(.finished(r))))
        guard case .event(.finished(let back)) = try RecordingCodec.decode(line) else {
            Issue.record("not a result: \(line)"); return
        }
        #expect(back.websocket == r.websocket && back.stream == r.stream && back.statuses == r.statuses && back.journey == r.journey)
        #expect(back.closeCode == r.closeCode && back.status == r.status)
        // The response's status, size and non-secret headers are kept; its body never is.
        #expect(back.response?.status == r.response?.status && back.response?.bodyBytes == r.response?.bodyBytes)
        #expect(back.response?.headers.map(\.name) == r.response.map { _ in ["Content-Type"] })
        #expect(!line.contains("sid=secret") && !line.contains("oops"))
    }

    @Test func theReportsShowWhatEachKindAdds() {
        let probes = ProbeKind.allCases.map { k in
            let r = Self.run(k)
            return ProbeState(name: r.probe, group: "g", kind: k, target: "T", last: r)
        }
        let s = Snapshot(configName: "c", targetHost: "h", startedAt: Self.t0, takenAt: Self.t0, probes: probes)
        let json = JSONReport.render(s, startedAt: Self.t0, finishedAt: Self.t0)
        #expect(json.components(separatedBy: "\"statuses\"").count == 2, "only the burst has statuses")
        #expect(json.components(separatedBy: "\"steps\"").count == 2, "only the journey has steps")
        #expect(json.contains("\"captures\": {\n") && json.contains("\"thread_id\": \"thread-9\""))
        let md = MarkdownReport.render(s, startedAt: Self.t0, finishedAt: Self.t0)
        #expect(md.contains("**websocket_probe** (fail): failed; status 101; close 1011 internal error \"Internal error\""))
        #expect(md.contains("**stream_probe** (fail): failed; status 200; watchdog: no data for 10.0 s after 3 events, 412 B"))
        #expect(md.contains("**burst_probe** (fail): failed; statuses 38×200 12×429"))
        #expect(md.contains("**http_probe** (fail): failed; status 500"))
        let junit = JUnitReport.render(s, startedAt: Self.t0, finishedAt: Self.t0)
        #expect(junit.contains("status: 101\nclose: 1011 Internal error"))
        #expect(md.contains("**journey_probe** (fail): failed; failed at step 2/3 read (http), class route, status 404; passed before it: create; skipped after it: chat"))
        #expect(junit.contains("step: 2/3 read (http) status 404"))
    }
}
