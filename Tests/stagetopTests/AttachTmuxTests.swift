import Foundation
import StageTestSupport
import Testing

/// `watch --attach` as a person runs it: two agent processes (east, west), the dashboard in tmux, west
/// stopped and started again on its port.
@Suite("watch --attach in tmux", .serialized)
struct AttachTmuxTests {
    @Test("both locations on screen with their pass rates; a stopped agent shows a banner; restarted, it is followed again")
    func attach() throws {
        let (sim, simURL) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let config = AgentProcesses.regionsConfig(simURL)
        let (east, eastAddress) = try AgentProcesses.agent(config, ["--location", "east"])
        defer { east.terminate() }
        var (west, westAddress) = try AgentProcesses.agent(config, ["--location", "west"])
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

        (west, _) = try AgentProcesses.agent(config, listen: westAddress, ["--location", "west"])
        let back = tmux.waitFor(timeout: 20) { !$0.contains("agent west lost") && $0.contains("east 2/2 · west 2/2") }
        #expect(back.ok, "\(back.screen)")

        tmux.send("q")
        _ = tmux.waitFor(timeout: 5) { !$0.contains("east 2/2") }
    }
}
