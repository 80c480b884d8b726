import Foundation
import StageTestSupport
import Testing

/// `stagetop init --from-gatus` end to end: realistic gatus configs (written for these tests) pointed at the
/// simulated staging, converted by the real binary; the output loads, runs with `check` against the same sim,
/// and lists what it left out, on stderr and in the file.
@Suite("init --from-gatus", .serialized)
struct GatusInitTests {
    static let slackURL = "https://hooks.slack.com/services/T0CANARY/B0CANARY/gatusSecretWebhook42"

    /// A team's gatus config: HTTP endpoints in groups with conditions gatus users write, a WebSocket
    /// endpoint, alerting with Slack (literal URL) and PagerDuty, and the parts stagetop has no counterpart for.
    static func teamConfig(_ sim: String) -> String {
        let ws = sim.replacingOccurrences(of: "http://", with: "ws://")
        return """
        storage:
          type: sqlite
          path: /data/data.db
        ui:
          title: Staging health
        alerting:
          slack:
            webhook-url: "\(slackURL)"
            default-alert:
              failure-threshold: 2
              send-on-resolved: true
          pagerduty:
            integration-key: "abc123"
        endpoints:
          - name: backend health
            group: core
            url: "\(sim)/health"
            interval: 30s
            conditions:
              - "[STATUS] == 200"
              - "[BODY].status == healthy"
              - "[RESPONSE_TIME] < 1500"
              - "[CONNECTED] == true"
              - "[IP] == pat(127.*)"
              - "[DOMAIN_EXPIRATION] > 720h"
            alerts:
              - type: slack
              - type: pagerduty
          - name: api health
            group: core
            url: "\(sim)/api/health"
            interval: 1m30s
            client:
              timeout: 5s
            conditions:
              - "[status] == any(200, 429)"
              - "[BODY].checks.database == healthy"
              - "has([BODY].errors) == false"
          - name: discovery
            group: api
            url: "\(sim)/api/discovery/services"
            headers:
              Accept: application/json
            conditions:
              - "[STATUS] == 200"
              - "len([BODY].services) >= 3"
              - "[BODY].services[0].name == pat(netra-*)"
              - "any(200, 204) == [STATUS]"
            alerts:
              - type: slack
                failure-threshold: 5
          - name: websocket anonymous
            group: api
            url: "\(ws)/ws"
            body: "hello"
            conditions:
              - "[CONNECTED] == true"
              - "[BODY] == pat(*AUTH_REQUIRED*)"
          - name: domain-only
            url: "\(sim)/health"
            interval: 1h
            conditions: ["[DOMAIN_EXPIRATION] > 720h"]
          - name: redis
            group: infra
            url: "tcp://127.0.0.1:6379"
            conditions: ["[CONNECTED] == true"]
          - name: dns
            group: infra
            url: "8.8.8.8"
            dns:
              query-name: example.org
              query-type: A
            conditions: ["[DNS_RCODE] == NOERROR"]
        """
    }

    @Test("a team's gatus config converts, loads, passes check against the sim, and lists what it left out")
    func teamConfigConverts() throws {
        let (sim, url) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let gatus = Binary.tempFile("gatus-team.yaml", Self.teamConfig(url))
        let out = Binary.tempFile("from-gatus-\(UUID().uuidString).yaml")
        let r = try Binary.run(["init", "--from-gatus", gatus, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)

        // Left out, on stderr and in the file: every part without a counterpart, never silently.
        for fragment in ["storage:", "ui:", "endpoint 'redis' (group infra): TCP endpoints", "endpoint 'dns' (group infra): DNS endpoints",
                         "alert type pagerduty", "[DOMAIN_EXPIRATION] > 720h",
                         "endpoint 'domain-only': every condition is one stagetop cannot evaluate"] {
            #expect(r.stderr.contains(fragment), "stderr lacks \(fragment): \(r.stderr)")
            #expect(text.contains(fragment), "the file lacks \(fragment)")
        }
        // The literal webhook URL is not copied: the output reads it from a variable that stderr names.
        #expect(!text.contains("gatusSecretWebhook42") && !r.stderr.contains("gatusSecretWebhook42") && !r.stdout.contains("gatusSecretWebhook42"))
        #expect(r.stderr.contains("STAGETOP_ALERT_SLACK_URL"))
        #expect(text.contains("url: \"${STAGETOP_ALERT_SLACK_URL}\""))
        // What maps: names without spaces, groups, Go durations in one unit, redirects followed as gatus does,
        // conditions verbatim, alerts by threshold set.
        #expect(text.contains("- name: \"backend_health\""))
        #expect(text.contains("interval: 30s") && text.contains("interval: 90s") && text.contains("timeout: 5s"))
        #expect(text.contains("follow_redirects: true"))
        #expect(text.contains("- \"[status] == any(200, 429)\""))
        #expect(text.contains("alerts: [slack]") && text.contains("alerts: [slack_f5_s2_resolved]") && text.contains("alerts: false"))
        #expect(text.contains("send_text: \"hello\"") && text.contains("auth: none"))

        // It runs: every converted probe passes against the sim (the slack URL a stand-in; check sends no alerts).
        let json = Binary.tempFile("from-gatus-\(UUID().uuidString).json")
        let check = try Binary.run(["check", out, "--json", json], env: ["STAGETOP_ALERT_SLACK_URL": "https://hooks.example.invalid/x"])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let probes = doc["probes"] as? [[String: Any]] ?? []
        #expect(probes.count == 4)
        #expect(probes.allSatisfy { $0["verdict"] as? String == "pass" }, "\(probes.map { "\($0["name"] ?? "") \($0["verdict"] ?? "") \($0["message"] ?? "")" })")
    }

    @Test("what gatus would see failing fails in stagetop too: a route the sim lacks, a body condition that does not hold")
    func failuresStayFailures() throws {
        let (sim, url) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let gatus = Binary.tempFile("gatus-fail.yaml", """
        endpoints:
          - name: missing-route
            url: "\(url)/api/agents/start-v2"
            conditions: ["[STATUS] == 200"]
          - name: wrong-status-field
            url: "\(url)/health"
            conditions: ["[STATUS] == 200", "[BODY].status == UP"]
        """)
        let out = Binary.tempFile("from-gatus-fail-\(UUID().uuidString).yaml")
        #expect(try Binary.run(["init", "--from-gatus", gatus, "-o", out]).status == 0)
        #expect(try !String(contentsOfFile: out, encoding: .utf8).contains("alerts:"), "no alerts: no per-probe alerts keys")
        let check = try Binary.run(["check", out])
        #expect(check.status == 1, "\(check.stdout)")
        #expect(check.stdout.contains("missing-route") && check.stdout.contains("404"))
        #expect(check.stdout.contains("[BODY].status == UP (actual healthy)"), "\(check.stdout)")
    }

    @Test("init without --from-gatus writes the commented starter config, which passes check against the sim as written")
    func starter() throws {
        let out = Binary.tempFile("starter-\(UUID().uuidString).yaml")
        let r = try Binary.run(["init", "-o", out])
        #expect(r.status == 0 && r.stderr.contains("stagetop check \(out)"), "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("#") && text.contains("base_url:"))
        let check = try Binary.run(["check", out, "--sim", "healthy"])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("passed (100%)"))
    }

    @Test("refusals say why: not a gatus file, nothing convertible, an existing output file")
    func refusals() throws {
        let notGatus = Binary.tempFile("not-gatus.yaml", "probes: []\n")
        let r1 = try Binary.run(["init", "--from-gatus", notGatus])
        #expect(r1.status == 2 && r1.stderr.contains("no endpoints: list"), "\(r1.stderr)")
        let onlyTCP = Binary.tempFile("only-tcp.yaml", "endpoints:\n  - name: db\n    url: tcp://127.0.0.1:5432\n    conditions: ['[CONNECTED] == true']\n")
        let r2 = try Binary.run(["init", "--from-gatus", onlyTCP])
        #expect(r2.status == 2 && r2.stderr.contains("no HTTP or WebSocket endpoint") && r2.stderr.contains("TCP endpoints"), "\(r2.stderr)")
        let ok = Binary.tempFile("ok-gatus.yaml", "endpoints:\n  - name: h\n    url: http://127.0.0.1:9/health\n    conditions: ['[STATUS] == 200']\n")
        let existing = Binary.tempFile("existing-\(UUID().uuidString).yaml", "name: keep-me\n")
        let r3 = try Binary.run(["init", "--from-gatus", ok, "-o", existing])
        #expect(r3.status == 2 && r3.stderr.contains("--force"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "name: keep-me\n", "the existing file is untouched")
    }
}
