import Foundation
@testable import StageApp
import StageAgent
import StageModel
import StageTestSupport
import Testing

/// `watch --attach` on two agents (east, west), headless: both locations on screen, a lost agent under a
/// banner while its rows age, and the same agent back on its port picked up again.
@Suite("watch --attach", .serialized)
struct AttachTests {
    static let config = """
    name: regions
    target:
      base_url: http://127.0.0.1:9
    defaults:
      interval: 1s
      timeout: 2s
    probes:
      - name: backend_health
        group: health
        http: { path: /health }
    """

    func agent(_ location: String, port: Int = 0, path: String) async throws -> RunningAgent {
        let settings = AgentSettings(target: TargetSettings(configPath: path, simScenario: "healthy"),
                                     listen: ListenAddress(host: "127.0.0.1", port: port), location: location, heartbeat: .milliseconds(200))
        guard case .success(let a) = await RunningAgent.start(settings, logSink: LineSink(capturing: ())) else {
            throw LoopbackHTTP.Failure(description: "agent \(location) did not start")
        }
        return a
    }

    /// What the screen has shown so far, for the test body to wait on (the script runs on the UI thread).
    final class Screens: Sendable {
        let seen = Locked<[String]>([])
        let quit = Locked(false)
        /// The first screen from now on that matches (earlier screens do not count).
        func wait(timeout: Double = 20, _ match: @escaping (String) -> Bool) async -> String? {
            let from = seen.withLock { $0.count }
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let s = seen.withLock({ $0.dropFirst(from).first(where: match) }) { return s }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }
    }

    @Test("two agents side by side by location; one lost shows a banner and ageing rows; back on its port it is followed again")
    func twoAgents() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-attach-\(UUID().uuidString).yaml").path
        try Self.config.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let east = try await agent("east", path: path)
        var west = try await agent("west", path: path)
        let westPort = west.server.port

        let screens = Screens()
        let terminal = ScriptedTerminal(width: 140, height: 30, maxReads: 8000, idleSleep: 0.01) { _, text in
            if let text { screens.seen.withLock { if $0.last != text { $0.append(text) } } }
            return screens.quit.withLock { $0 } ? .char("q") : .none
        }
        let urls = [east.baseURL, west.baseURL]
        let ui = Task { await App.attach(urls: urls, tokenEnv: nil, display: DisplaySettings(utc: true), terminal: { terminal }) }

        let both = await screens.wait { $0.contains("east/backend_health") && $0.contains("west/backend_health") && $0.contains("east 1/1 · west 1/1") }
        #expect(both != nil, "both locations never showed: \(screens.seen.withLock { $0.last ?? "" })")

        await west.stop()
        let lost = await screens.wait { $0.contains("agent west lost") }
        #expect(lost != nil, "no banner for the lost agent")
        #expect(lost?.contains("west/backend_health") == true, "its last rows stay on screen")

        west = try await agent("west", port: westPort, path: path)
        let back = await screens.wait { !$0.contains("agent west lost") && $0.contains("west/backend_health") && $0.contains("east 1/1 · west 1/1") }
        #expect(back != nil, "the restarted agent was not picked up: \(screens.seen.withLock { $0.last ?? "" })")

        screens.quit.withLock { $0 = true }
        let status = await ui.value
        #expect(status == ExitStatus.allPassed)
        await east.stop()
        await west.stop()
    }
}
