import Foundation
import StageTestSupport
import Testing

/// `watch --attach` as a person runs it: two agent processes (east, west), the dashboard in tmux, west
/// stopped and started again on its port.
@Suite("watch --attach in tmux", .serialized)
struct AttachTmuxTests {
    func startAgent(_ config: String, location: String, listen: String = "127.0.0.1:0") throws -> (ChildProcess, String) {
        let agent = try ChildProcess(Binary.path, ["agent", config, "--listen", listen, "--location", location], directory: Binary.repoRoot.path)
        let address = poll(timeout: 20) { () -> String? in
            guard let r = agent.stderr.range(of: #"listen=127\.0\.0\.1:\d+"#, options: .regularExpression) else { return nil }
            return String(agent.stderr[r].dropFirst("listen=".count))
        }
        guard let address else { agent.terminate(); throw LoopbackHTTP.Failure(description: "agent \(location): \(agent.stderr)") }
        return (agent, address)
    }

    @Test("both locations on screen with their pass rates; a stopped agent shows a banner; restarted, it is followed again")
    func attach() throws {
        let sim = try ChildProcess(Binary.path, ["sim", "--port", "0"])
        defer { sim.terminate() }
        let simURL = try #require(poll(timeout: 20) { () -> String? in
            guard let r = sim.stdout.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) else { return nil }
            return String(sim.stdout[r])
        })
        let config = Binary.tempFile("attach-\(UUID().uuidString).yaml", """
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
        let (east, eastAddress) = try startAgent(config, location: "east")
        defer { east.terminate() }
        var (west, westAddress) = try startAgent(config, location: "west")
        defer { west.terminate() }

        let tmux = try Tmux.start("\(shellQuote(Binary.path)) watch --attach http://\(eastAddress) --attach http://\(westAddress) --utc", width: 130, height: 30)
        defer { tmux.kill() }
        let both = tmux.waitFor(timeout: 20) { $0.contains("east 2/2 · west 2/2") && $0.contains("west/discovery") && $0.contains("east/backend_health") }
        #expect(both.ok, "\(both.screen)")

        west.signal(SIGTERM)
        #expect(west.wait(timeout: .seconds(10)) == 0)
        let lost = tmux.waitFor(timeout: 20) { $0.contains("agent west lost") }
        #expect(lost.ok, "\(lost.screen)")
        #expect(lost.screen.contains("west/backend_health"), "its last rows stay")

        (west, _) = try startAgent(config, location: "west", listen: westAddress)
        let back = tmux.waitFor(timeout: 20) { !$0.contains("agent west lost") && $0.contains("east 2/2 · west 2/2") }
        #expect(back.ok, "\(back.screen)")

        tmux.send("q")
        _ = tmux.waitFor(timeout: 5) { !$0.contains("east 2/2") }
    }
}
