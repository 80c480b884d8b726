import Foundation
import StageTestSupport
import Testing

/// `stagetop agent` reloading its config as an operator would: SIGHUP after an edit, an editor's
/// write-and-rename, and a broken file that must not stop what runs.
@Suite("agent hot reload", .serialized)
struct AgentReloadTests {
    static let base = """
    name: reload
    target: { base_url: "http://127.0.0.1:9" }
    defaults: { interval: 500ms, timeout: 2s }
    probes:
      - name: health
        http: { path: /health }

    """

    func metrics(_ address: String) -> String {
        (try? LoopbackHTTP.request("http://\(address)/metrics", timeout: 2).body) ?? ""
    }

    func runs(_ text: String, _ probe: String) -> Int? {
        text.split(separator: "\n").first { $0.hasPrefix("stagetop_probe_runs_total{") && $0.contains("probe=\"\(probe)\"") && $0.contains("verdict=\"pass\"") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test("SIGHUP adds a probe (in /metrics, old history kept); a broken file keeps the old probes running and names file:line:col; a rename-over reloads")
    func reload() throws {
        let path = Binary.tempFile("reload-\(UUID().uuidString).yaml", Self.base)
        let agent = try ChildProcess(Binary.path, ["agent", path, "--sim", "--listen", "127.0.0.1:0"], directory: Binary.repoRoot.path)
        defer { agent.terminate() }
        let address = try #require(poll(timeout: 20) { () -> String? in
            guard let r = agent.stderr.range(of: #"listen=127\.0\.0\.1:\d+"#, options: .regularExpression) else { return nil }
            return String(agent.stderr[r].dropFirst("listen=".count))
        }, "agent did not start: \(agent.stderr)")
        let before = try #require(poll(timeout: 10) { runs(metrics(address), "health").flatMap { $0 >= 2 ? $0 : nil } })

        // 1. Add a probe, SIGHUP: it appears; health's counts go on from where they were.
        try (Self.base + "  - name: discovery\n    http: { path: /api/discovery/services }\n").write(toFile: path, atomically: false, encoding: .utf8)
        agent.signal(SIGHUP)
        let added = poll(timeout: 10) { () -> String? in
            let m = metrics(address)
            return runs(m, "discovery").map { $0 >= 1 ? m : nil } ?? nil
        }
        let afterAdd = try #require(added, "discovery never ran: \(agent.stderr)")
        #expect(afterAdd.contains("stagetop_config_reload_success 1"))
        #expect((runs(afterAdd, "health") ?? 0) >= before, "an unchanged probe keeps its counts")
        #expect(agent.stderr.contains(#"msg="config reloaded" added=discovery"#), "\(agent.stderr)")

        // 2. Break the YAML (written in place): the old config keeps running, the error says where.
        try "name: reload\nprobes: [\n".write(toFile: path, atomically: false, encoding: .utf8)
        agent.signal(SIGHUP)
        let refused = poll(timeout: 10) { metrics(address).contains("stagetop_config_reload_success 0") ? true : nil }
        #expect(refused == true)
        let stillRunning = runs(metrics(address), "discovery") ?? 0
        _ = poll(timeout: 5) { (runs(metrics(address), "discovery") ?? 0) > stillRunning ? true : nil }
        #expect((runs(metrics(address), "discovery") ?? 0) > stillRunning, "the old probes keep running")
        #expect(agent.stderr.contains("config reload failed; the old config keeps running"))
        #expect(agent.stderr.contains("\(path):3:1: error: invalid YAML"), "\(agent.stderr)")

        // 3. An editor's save: write a temp file, rename it over the config. No signal: the watcher sees it.
        let tmp = path + ".swp"
        try (Self.base.replacingOccurrences(of: "name: health", with: "name: health2")).write(toFile: tmp, atomically: false, encoding: .utf8)
        #expect(rename(tmp, path) == 0)
        let renamed = poll(timeout: 10) { () -> String? in
            let m = metrics(address)
            return runs(m, "health2") != nil && runs(m, "discovery") == nil ? m : nil
        }
        #expect(renamed != nil, "the rename was not picked up: \(agent.stderr)")
        #expect(renamed?.contains("stagetop_config_reload_success 1") == true)
        #expect(renamed?.contains(#"probe="health""#) == false, "removed probes leave /metrics")

        agent.signal(SIGTERM)
        #expect(agent.wait(timeout: .seconds(10)) == 0)
    }
}
