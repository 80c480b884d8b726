import Foundation
import StageTestSupport
import Testing

/// Two `stagetop agent` processes (locations east and west) probing one simulated staging, scraped by a
/// real Prometheus (Debian's `prometheus` package): what a team running probers in two regions sees.
/// Every wait is bounded; every process is stopped at the end, the agents with SIGTERM (a clean stop is 0).
@Suite("agent + Prometheus, end to end", .serialized)
struct AgentPrometheusTests {
    static let prometheus = "/usr/bin/prometheus"
    static let promtool = "/usr/bin/promtool"

    /// Instant query through Prometheus's HTTP API: each series' labels and value.
    func query(_ base: String, _ promql: String) throws -> [(labels: [String: String], value: String)] {
        let q = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let r = try LoopbackHTTP.request("\(base)/api/v1/query?query=\(q)")
        guard let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any],
              json["status"] as? String == "success",
              let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] else {
            throw LoopbackHTTP.Failure(description: "query \(promql): \(r.status) \(r.body)")
        }
        return result.map { series in
            ((series["metric"] as? [String: String]) ?? [:], ((series["value"] as? [Any])?.last as? String) ?? "")
        }
    }

    @Test("stagetop_probe_up: one series per probe per location in Prometheus; a fault flipped in the sim shows as the probe down in both")
    func twoAgentsOnePrometheus() throws {
        // The simulated staging in its own process, on a free port.
        let (sim, simURL) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let config = AgentProcesses.regionsConfig(simURL)
        let (east, eastAddress) = try AgentProcesses.agent(config, ["--location", "east"])
        defer { east.terminate() }
        let (west, westAddress) = try AgentProcesses.agent(config, ["--location", "west"])
        defer { west.terminate() }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let promConfig = dir.appendingPathComponent("prometheus.yml").path
        try """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: stagetop
            static_configs:
              - targets: ["\(eastAddress)", "\(westAddress)"]
        """.write(toFile: promConfig, atomically: true, encoding: .utf8)
        let port = LoopbackHTTP.freePort()
        let prom = try ChildProcess(Self.prometheus, ["--config.file=\(promConfig)", "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
                                                      "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"])
        defer { prom.terminate() }
        let base = "http://127.0.0.1:\(port)"
        let ready = poll(timeout: 30, every: 0.2) { (try? LoopbackHTTP.request(base + "/-/ready", timeout: 1))?.status == 200 ? true : nil }
        #expect(ready == true, "prometheus did not get ready: \(prom.stderr)")

        // Both agents scraped: 2 probes × 2 locations, all up.
        let up = poll(timeout: 30, every: 0.5) { () -> [(labels: [String: String], value: String)]? in
            guard let r = try? query(base, "stagetop_probe_up"), r.count == 4, r.allSatisfy({ $0.value == "1" }) else { return nil }
            return r
        }
        let series = try #require(up, "not 4 series up: \((try? query(base, "stagetop_probe_up"))?.map { "\($0.labels) \($0.value)" } ?? [])")
        let pairs = Set(series.map { "\($0.labels["probe"] ?? "?")@\($0.labels["location"] ?? "?")" })
        #expect(pairs == ["backend_health@east", "backend_health@west", "discovery@east", "discovery@west"])

        // The histogram and run counters arrive too, with the location label.
        let runs = try query(base, #"sum by (location) (stagetop_probe_runs_total{verdict="pass"})"#)
        #expect(Set(runs.map { $0.labels["location"] ?? "" }) == ["east", "west"])
        // rate() needs two scrapes of the buckets.
        let p95 = poll(timeout: 20, every: 0.5) { () -> [(labels: [String: String], value: String)]? in
            let q = "histogram_quantile(0.95, sum by (le, location) (rate(stagetop_probe_duration_seconds_bucket[1m])))"
            guard let r = try? query(base, q), r.count == 2, r.allSatisfy({ Double($0.value).map { $0 > 0 && $0 < 2 } == true }) else { return nil }
            return r
        }
        #expect(p95?.count == 2, "p95 from the histogram per location (seconds, under the 2 s timeout)")

        // Flip /health to 500 through the sim's control route: both locations see it go down.
        let flip = try LoopbackHTTP.request(simURL + "/__sim/faults", method: "PUT", body: #"{"route":"/health","fault":{"status":500}}"#)
        #expect(flip.status == 200, "\(flip.body)")
        let down = poll(timeout: 30, every: 0.5) { () -> [(labels: [String: String], value: String)]? in
            guard let r = try? query(base, #"stagetop_probe_up{probe="backend_health"} == 0"#), r.count == 2 else { return nil }
            return r
        }
        #expect(down.map { Set($0.map { $0.labels["location"] ?? "" }) } == ["east", "west"])
        let stillUp = try query(base, #"stagetop_probe_up{probe="discovery"}"#)
        #expect(stillUp.allSatisfy { $0.value == "1" })
        let cls = try query(base, #"stagetop_probe_verdict{probe="backend_health",verdict="fail"} == 1"#)
        #expect(cls.first?.labels["class"] == "server")

        // Every query of the shipped Grafana dashboard parses and runs on this Prometheus.
        let dashboard = try String(contentsOfFile: Binary.repoRoot.appendingPathComponent("deploy/grafana/stagetop.json").path, encoding: .utf8)
        let exprs = try NSRegularExpression(pattern: #""expr": "((?:[^"\\]|\\.)*)""#).matches(in: dashboard, range: NSRange(dashboard.startIndex..., in: dashboard))
            .compactMap { Range($0.range(at: 1), in: dashboard).map { String(dashboard[$0]).replacingOccurrences(of: #"\""#, with: "\"") } }
        #expect(exprs.count >= 8)
        for e in exprs {
            let concrete = e.replacingOccurrences(of: "$location", with: ".*").replacingOccurrences(of: "$probe", with: ".*")
            #expect(throws: Never.self, "\(concrete)") { _ = try query(base, concrete) }
        }

        // SIGTERM: a clean stop is exit 0, logged.
        east.signal(SIGTERM)
        west.signal(SIGTERM)
        #expect(east.wait(timeout: .seconds(10)) == 0)
        #expect(west.wait(timeout: .seconds(10)) == 0)
        #expect(east.stderr.contains("msg=stopped"))
    }

    @Test("the files in deploy/prometheus pass promtool: config syntax, rules, and the rules' own unit tests")
    func promtool() throws {
        let dir = Binary.repoRoot.appendingPathComponent("deploy/prometheus").path
        let config = runProcess(Self.promtool, ["check", "config", "--syntax-only", "prometheus.yml"], directory: dir, timeout: .seconds(30))
        #expect(config.status == 0, "\(config.stdout)\(config.stderr)")
        let rules = runProcess(Self.promtool, ["check", "rules", "stagetop.rules.yml"], directory: dir, timeout: .seconds(30))
        #expect(rules.status == 0, "\(rules.stdout)\(rules.stderr)")
        #expect(rules.stdout.contains("SUCCESS"))
        let tests = runProcess(Self.promtool, ["test", "rules", "stagetop.rules.test.yml"], directory: dir, timeout: .seconds(60))
        #expect(tests.status == 0, "\(tests.stdout)\(tests.stderr)")
    }
}
