import Foundation
import Testing
@testable import StageModel

@Suite("alerts: config and the threshold state machine")
struct AlertConfigTests {
    static func yaml(alerts: String, probeAlerts: String = "") -> String {
        """
        name: a
        target: { base_url: "http://127.0.0.1:9" }
        alerts:
        \(alerts)
        probes:
          - name: health
            http: { path: /health }
        \(probeAlerts)
        """
    }

    func load(_ yaml: String, env: [String: String] = [:]) throws(ConfigError) -> StageConfig {
        try ConfigLoader.parse(yaml: yaml, file: "c.yaml", options: ConfigLoadOptions(environment: env))
    }

    func error(_ yaml: String) -> String {
        do { _ = try load(yaml); return "" } catch { return error.description }
    }

    @Test("a webhook with ${VAR} in its URL, a format, headers; gatus's defaults for thresholds")
    func webhook() throws {
        let c = try load(Self.yaml(alerts: """
          - name: slack
            webhook: { url: "https://hooks.slack.com/services/${SLACK_PATH}", format: slack, headers: { X-A: b } }
        """), env: ["SLACK_PATH": "T0/B0/xyz"])
        let a = try #require(c.alerts.first)
        guard case .webhook(let hook) = a.channel else { Issue.record("not a webhook"); return }
        #expect(hook.url == "https://hooks.slack.com/services/T0/B0/xyz")
        #expect(hook.format == .slack)
        #expect(hook.headers.map(\.name) == ["X-A"])
        #expect(a.failureThreshold == 3 && a.successThreshold == 2 && !a.sendOnResolved)
        #expect(a.destination == "https://hooks.slack.com/…", "the path (Slack's secret) is never shown")
    }

    @Test("mistakes name file:line:col: both channels, neither, a bad URL, an unknown format, a probe naming an undefined alert")
    func errors() {
        #expect(error(Self.yaml(alerts: "  - name: x\n    webhook: { url: http://a }\n    command: [x]")).contains("c.yaml:6:14: error: alert 'x' has both webhook and command"))
        #expect(error(Self.yaml(alerts: "  - name: x")).contains("alert 'x' says nowhere to send"))
        #expect(error(Self.yaml(alerts: "  - name: x\n    webhook: { url: \"ftp://a\" }")).contains("c.yaml:5:21: error: webhook url of 'x' is not an http/https URL"))
        #expect(error(Self.yaml(alerts: "  - name: x\n    webhook: { url: \"http://a\", format: teams }")).contains("unknown webhook format 'teams'"))
        #expect(error(Self.yaml(alerts: "  - name: x\n    webhook: { url: \"http://a\" }\n    failure_threshold: 0")).contains("failure_threshold must be between 1 and 1000"))
        let undefined = error(Self.yaml(alerts: "  - name: ops\n    command: [/bin/true]", probeAlerts: "    alerts: [opz]"))
        #expect(undefined.contains("c.yaml:9:13: error: probe alerts: no alert named 'opz'"), "\(undefined)")
        #expect(undefined.contains("defined: ops"))
    }

    @Test("alerts: false opts a probe out; a list opts into the named ones")
    func probeSelection() throws {
        let off = try load(Self.yaml(alerts: "  - name: ops\n    command: [/bin/true]", probeAlerts: "    alerts: false"))
        #expect(off.probes[0].alerts == .none)
        let some = try load(Self.yaml(alerts: "  - name: ops\n    command: [/bin/true]", probeAlerts: "    alerts: [ops]"))
        #expect(some.probes[0].alerts == .only(["ops"]))
    }

    static func result(_ v: Verdict, at s: Double = 0) -> ProbeResult {
        ProbeResult(probe: "health", kind: .http, verdict: v, failureClass: v == .pass ? nil : .server, message: v.rawValue,
                    startedAt: Date(timeIntervalSince1970: s), finishedAt: Date(timeIntervalSince1970: s))
    }

    @Test("thresholds: a blip below failure_threshold is silent; fires once; resolves once after success_threshold passes; skip counts for nothing")
    func tracker() {
        let alert = AlertSpec(name: "ops", channel: .command(["/bin/true"]), failureThreshold: 2, successThreshold: 2, sendOnResolved: true)
        var t = AlertTracker(alerts: [alert], probes: [ProbeSpec(name: "health", body: .http(HTTPProbeSpec(path: "/health")))])
        let verdicts: [Verdict] = [.fail, .pass, .hang, .skip, .error, .fail, .pass, .fail, .pass, .pass, .pass]
        let events = verdicts.enumerated().map { i, v in t.observe(Self.result(v, at: Double(i))).map { "\(i):\($0.kind.rawValue)" } }.flatMap { $0 }
        // hang(2), skip ignored, error(4) → 2 in a row: failing at 4. pass(6) then fail(7) resets; pass 8, 9 → resolved at 9.
        #expect(events == ["4:failing", "9:resolved"])
    }

    @Test("send_on_resolved false: the alert still resets, so the next failure fires again")
    func noResolved() {
        let alert = AlertSpec(name: "ops", channel: .command(["/bin/true"]), failureThreshold: 1, successThreshold: 1)
        var t = AlertTracker(alerts: [alert], probes: [ProbeSpec(name: "health", body: .http(HTTPProbeSpec(path: "/health")))])
        let kinds = [Verdict.fail, .pass, .fail].flatMap { t.observe(Self.result($0)).map(\.kind.rawValue) }
        #expect(kinds == ["failing", "failing"])
    }
}
