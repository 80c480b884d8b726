import Foundation
import StageApp
import StageModel
import StageUI
import Testing

/// `watch` as the executable runs it (config file, sim, session, scheduler, loop), on a headless terminal.
@Suite("watch, headless, against the simulated staging")
struct LiveWatchTests {
    static let config = """
    name: headless
    target:
      base_url: http://127.0.0.1:9
    defaults:
      interval: 1s
      timeout: 3s
    probes:
      - name: backend_health
        http: { path: /health }
      - name: discovery
        http: { path: /api/discovery/services }
    """

    /// Runs `watch` until the first cycle has closed on screen, then presses q; returns the status and the last screen.
    func watchOneCycle(scenario: String) async throws -> (status: Int32, screen: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-headless-\(UUID().uuidString).yaml").path
        try Self.config.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let terminal = ScriptedTerminal(maxReads: 3000, idleSleep: 0.01) { _, text in
            (text?.contains("cycle 1 done") ?? false) ? .char("q") : .none
        }
        let status = await App.watch(WatchSettings(target: TargetSettings(configPath: path, simScenario: scenario),
                                                   display: DisplaySettings(utc: true)),
                                     terminal: { terminal })
        return (status, terminal.lastText ?? "")
    }

    @Test("a failing staging: the screen shows the 307 and the 500, q exits 1 (a probe failed)")
    func failing() async throws {
        let (status, screen) = try await watchOneCycle(scenario: "redirect-307-discovery-500")
        #expect(screen.contains("cycle 1 done"), "\(screen)")
        #expect(screen.contains("307"))
        #expect(screen.contains("500"))
        #expect(status == ExitStatus.probeFailed)
    }

    @Test("a healthy staging: both pass, q exits 0")
    func healthy() async throws {
        let (status, screen) = try await watchOneCycle(scenario: "healthy")
        #expect(screen.contains("cycle 1 done"), "\(screen)")
        #expect(status == ExitStatus.allPassed)
    }

    @Test("a broken config is exit 2 before any terminal is touched")
    func brokenConfig() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-broken-\(UUID().uuidString).yaml").path
        try "name: x\nprobes: [\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let terminal = ScriptedTerminal(keys: [])
        let status = await App.watch(WatchSettings(target: TargetSettings(configPath: path, simScenario: "healthy")), terminal: { terminal })
        #expect(status == ExitStatus.usage)
        #expect(terminal.frames.isEmpty && terminal.stopped == 0)
    }
}
