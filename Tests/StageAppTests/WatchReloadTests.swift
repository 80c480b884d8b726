import Foundation
import StageApp
import StageModel
import StageUI
import Testing

/// `watch` picking up an edited config while it runs, on a headless terminal against the sim.
@Suite("watch reloads its config file")
struct WatchReloadTests {
    static let config = """
    name: reloading
    target:
      base_url: http://127.0.0.1:9
    defaults:
      interval: 1s
      timeout: 3s
    probes:
      - name: backend_health
        http: { path: /health }

    """

    @Test("an added probe appears; a broken file keeps the old probes and shows a banner naming file:line:col")
    func reload() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-watch-reload-\(UUID().uuidString).yaml").path
        try Self.config.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var phase = 0
        var seen: [String] = []
        let terminal = ScriptedTerminal(maxReads: 4000, idleSleep: 0.01) { _, text in
            guard let text else { return .none }
            switch phase {
            case 0 where text.contains("cycle 1 done"):
                try? (Self.config + "  - name: discovery_added\n    http: { path: /api/discovery/services }\n").write(toFile: path, atomically: false, encoding: .utf8)
                phase = 1
            case 1 where text.contains("discovery_added") && text.contains("config reloaded"):
                seen.append(text)
                try? "name: reloading\nprobes: [\n".write(toFile: path, atomically: false, encoding: .utf8)
                phase = 2
            case 2 where text.contains("config reload failed"):
                seen.append(text)
                phase = 3
                return .char("q")
            default: break
            }
            return .none
        }
        _ = await App.watch(WatchSettings(target: TargetSettings(configPath: path, simScenario: "healthy"), display: DisplaySettings(utc: true)),
                            terminal: { terminal })
        #expect(phase == 3, "stopped in phase \(phase): \(terminal.lastText ?? "")")
        guard seen.count == 2 else { return }
        #expect(seen[0].contains("backend_health"), "the unchanged probe is still there")
        #expect(seen[1].contains("\(path):3:1"), "the banner names where the file broke: \(seen[1])")
        #expect(seen[1].contains("discovery_added"), "the previous config keeps running")
    }
}
