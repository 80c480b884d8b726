import Foundation
import Testing

/// `stagetop check` end to end: the real binary, the real sim on loopback, real libcurl.
@Suite(.serialized) struct CheckCommandTests {
    let config = "examples/staging.yaml"

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func probes(_ doc: [String: Any]) -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for p in doc["probes"] as? [[String: Any]] ?? [] { out[p["name"] as! String] = p }
        return out
    }

    @Test func healthyPassesAndJSONFollowsSpec() throws {
        let out = Binary.tempFile("healthy.json")
        let junit = Binary.tempFile("healthy.xml")
        let r = try Binary.run(["check", config, "--sim", "healthy", "--json", out, "--junit", junit])
        #expect(r.status == 0, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stdout.contains("backend_health"))
        #expect(r.stdout.contains("passed (100%)"))
        let doc = try json(out)
        #expect(doc["version"] as? Int == 1)
        #expect(doc["config"] as? String == "netra-staging")
        #expect(doc["started_at"] as? String != nil)
        let summary = try #require(doc["summary"] as? [String: Any])
        for key in ["total", "passed", "failed", "hung", "errored", "skipped", "pass_rate", "latency_avg_ms"] {
            #expect(summary[key] != nil, "summary.\(key)")
        }
        #expect(summary["total"] as? Int == summary["passed"] as? Int)
        let all = probes(doc)
        #expect(all.count == summary["total"] as? Int)
        let health = try #require(all["backend_health"])
        for key in ["name", "kind", "group", "verdict", "class", "message", "status", "close_code", "close_reason",
                    "latency_ms", "timings_ms", "conditions", "events"] {
            #expect(health.keys.contains(key), "probe.\(key)")
        }
        #expect(health["verdict"] as? String == "pass")
        #expect(health["status"] as? Int == 200)
        let latency = try #require(health["latency_ms"] as? [String: Any])
        #expect((latency["avg"] as? Double ?? 0) > 0)
        #expect(latency["samples"] as? Int == 1)
        let timings = try #require(health["timings_ms"] as? [String: Double])
        #expect(timings["total"]! >= timings["ttfb"]!)
        let conditions = try #require(health["conditions"] as? [[String: Any]])
        #expect(conditions.first?["actual"] as? String == "200")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == all.count)
        #expect(!xml.contains("<failure"))
    }

    @Test func reportModelledScenarioFailsWithTheRightClasses() throws {
        let out = Binary.tempFile("307.json")
        let junit = Binary.tempFile("307.xml")
        let r = try Binary.run(["check", config, "--sim", "redirect-307-discovery-500", "--json", out, "--junit", junit])
        #expect(r.status == 1)
        let all = probes(try json(out))
        #expect(all["backend_health"]?["class"] as? String == "redirect")
        #expect(all["backend_health"]?["status"] as? Int == 307)
        #expect((all["backend_health"]?["message"] as? String)?.contains("/health/") == true)
        #expect(all["agent_discovery"]?["class"] as? String == "server")
        #expect(all["agent_discovery"]?["status"] as? Int == 500)
        #expect(all["mcp_tools"]?["verdict"] as? String == "pass")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains(#"<failure type="redirect""#))
        #expect(xml.contains(#"<failure type="server""#))
    }

    @Test func routesAndAuthFailures() throws {
        let out = Binary.tempFile("404.json")
        let r = try Binary.run(["check", config, "--sim", "ws-1011-routes-404", "--json", out])
        #expect(r.status == 1)
        let all = probes(try json(out))
        for name in ["agent_start", "agent_stop", "agent_cancel", "message_list"] {
            #expect(all[name]?["class"] as? String == "route", "\(name)")
        }
        #expect(all["chat_messages"]?["class"] as? String == "auth")
        #expect(all["chat_messages"]?["status"] as? Int == 403)

        let out2 = Binary.tempFile("profile.json")
        _ = try Binary.run(["check", config, "--sim", "ws-403-routes-404", "--json", out2])
        let all2 = probes(try json(out2))
        #expect(all2["user_profile"]?["class"] as? String == "route")
        // The report's "expected 401 but got 404": the check asked for 401 and got a 404, a route problem.
        #expect(all2["invalid_token_rejected"]?["class"] as? String == "route")
        #expect(all2["api_health"]?["status"] as? Int == 404)
    }

    @Test func brokenConfigsExit2NamingFileLineColumn() throws {
        let cases: [(String, String, String)] = [
            ("bad-yaml.yaml", "target:\n  base_url: http://x\nprobes:\n  - name: [a\n", ":5:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 4)"),
            ("unknown-key.yaml", "target: { base_url: http://x }\nprobes:\n  - name: a\n    htp: { path: / }\n", ":4:5: error: unknown key 'htp'"),
            ("bad-condition.yaml", "target: { base_url: http://x }\nprobes:\n  - name: a\n    http: { path: / }\n    conditions: [\"[STATUS] =! 200\"]\n", ":5:"),
            ("bad-duration.yaml", "target: { base_url: http://x }\ndefaults: { timeout: 5 seconds }\nprobes:\n  - name: a\n    http: { path: / }\n", ":2:22: error: bad duration"),
        ]
        for (name, yaml, expected) in cases {
            let path = Binary.tempFile(name, yaml)
            let r = try Binary.run(["check", path])
            #expect(r.status == 2, "\(name): \(r.stderr)")
            #expect(r.stderr.contains(path + expected), "\(name): \(r.stderr)")
        }
        let missing = try Binary.run(["check", "/nonexistent/stagetop.yaml"])
        #expect(missing.status == 2)
        let usage = try Binary.run(["check"])
        #expect(usage.status == 2)
        let scenario = try Binary.run(["check", config, "--sim", "--scenario", "nope"])
        #expect(scenario.status == 2)
        #expect(scenario.stderr.contains("unknown scenario 'nope'"))
    }

    @Test func tokenNeverAppearsInOutputOrReports() throws {
        let canary = "canary-9f3e1d-never-show-me"
        let out = Binary.tempFile("canary.json")
        let junit = Binary.tempFile("canary.xml")
        let prom = Binary.tempFile("canary.prom")
        let md = Binary.tempFile("canary.md")
        let r = try Binary.run(["check", config, "--sim", "healthy", "--json", out, "--junit", junit, "--prometheus", prom, "--markdown", md],
                               env: ["STAGING_JWT": canary])
        // The sim does not know this token: bearer probes fail with auth, and say so without the token.
        #expect(r.status == 1)
        #expect(r.stdout.contains("auth"))
        let metrics = try String(contentsOfFile: prom, encoding: .utf8)
        #expect(metrics.contains(#"probe="user_profile",group="auth",kind="http",verdict="fail",class="auth"} 1"#), "\(metrics)")
        for text in [r.stdout, r.stderr, try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: junit, encoding: .utf8),
                     metrics, try String(contentsOfFile: md, encoding: .utf8)] {
            #expect(!text.contains(canary))
            #expect(!text.contains("canary-9f3e1d"))
        }
    }
}
