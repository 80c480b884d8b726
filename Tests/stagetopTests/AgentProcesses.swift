import Foundation
import StageTestSupport

/// The processes the agent end-to-end tests run: the simulated staging and `stagetop agent`, each found
/// ready by what it prints, within a bounded wait.
enum AgentProcesses {
    /// `stagetop sim` on a free port; its base URL.
    static func sim(scenario: String = "healthy") throws -> (ChildProcess, String) {
        let sim = try ChildProcess(Binary.path, ["sim", "--port", "0", "--scenario", scenario])
        guard let url = first(#"at (http://127\.0\.0\.1:\d+)"#, in: { sim.stdout }) else {
            sim.terminate()
            throw LoopbackHTTP.Failure(description: "sim did not start: \(sim.stdout) \(sim.stderr)")
        }
        return (sim, url)
    }

    /// `stagetop agent CONFIG --listen LISTEN [extra…]`; the address it bound (from its start line).
    static func agent(_ config: String, listen: String = "127.0.0.1:0", _ extra: [String] = []) throws -> (ChildProcess, String) {
        let agent = try ChildProcess(Binary.path, ["agent", config, "--listen", listen] + extra, directory: Binary.repoRoot.path)
        guard let address = first(#"msg="agent started".* listen=(127\.0\.0\.1:\d+)"#, in: { agent.stderr }) else {
            agent.terminate()
            throw LoopbackHTTP.Failure(description: "agent \(extra) did not start: \(agent.stderr)")
        }
        return (agent, address)
    }

    /// Two probes of the sim, every second: what the two-location tests run.
    static func regionsConfig(_ simURL: String) -> String {
        Binary.tempFile("regions-\(UUID().uuidString).yaml", """
        name: regions
        target: { base_url: "\(simURL)" }
        defaults: { interval: 1s, timeout: 2s }
        probes:
          - name: backend_health
            group: health
            http: { path: /health }
          - name: discovery
            group: api
            http: { path: /api/discovery/services }
        """)
    }

    /// The first capture of `pattern` in the text `read` returns, within `timeout` seconds.
    static func first(_ pattern: String, in read: () -> String, timeout: Double = 20) -> String? {
        let regex = try! NSRegularExpression(pattern: pattern)
        return poll(timeout: timeout) {
            let text = read()
            guard let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let r = Range(m.range(at: 1), in: text) else { return nil }
            return String(text[r])
        }
    }
}
