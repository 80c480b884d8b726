import Foundation
import StageReports
import StageTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--record` survives `kill -9`: a real `agent --record` and a real `watch --record` (in tmux) are
/// killed while probes are in flight; every line written before the kill is still there and replays, and a
/// torn last line (what a power cut leaves mid-write; a kill cannot tear a write(2)) is skipped with a
/// warning while everything before it replays.
@Suite("Nothing lost on kill -9: recordings of a killed agent and a killed watch replay", .serialized)
struct RecordingKillTests {
    /// Probes every second; the kill waits for a moment when the newest line is a result, not a cycle mark.
    static func config(_ simURL: String) -> String {
        Binary.tempFile("kill9-\(UUID().uuidString).yaml", """
        name: kill9
        target: { base_url: "\(simURL)" }
        defaults: { interval: 1s, timeout: 3s }
        probes:
          - name: backend_health
            http: { path: /health }
          - name: discovery
            http: { path: /api/discovery/services }
          - name: api_health
            http: { path: /api/health }
        """)
    }

    static func cycles(_ data: Data) -> Int {
        guard let rec = try? Recording.parse(data) else { return 0 }
        return rec.entries.filter { if case .cycle = $0 { return true } else { return false } }.count
    }

    /// Waits for `n` closed cycles, then kills `pid` with SIGKILL while the next cycle runs; the file's
    /// bytes at the moment of the kill.
    static func killMidCycle(_ pid: pid_t, recording: String, after n: Int) throws -> Data {
        let ready = poll(timeout: 30) { () -> Data? in
            guard let d = FileManager.default.contents(atPath: recording), cycles(d) >= n else { return nil }
            // Mid-cycle: the newest line is a probe event, not a cycle boundary.
            let lastLine = d.split(separator: UInt8(ascii: "\n")).last.map { String(decoding: $0, as: UTF8.self) } ?? ""
            return lastLine.contains("\"cycle\"") ? nil : d
        }
        let before = try #require(ready, "no \(n) cycles recorded in 30 s")
        kill(pid, SIGKILL)
        return before
    }

    static func checkSurvived(_ recording: String, before: Data) throws {
        let after = try #require(FileManager.default.contents(atPath: recording))
        #expect(after.starts(with: before), "bytes written before the kill are still there")
        let rec = try Recording.parse(after, name: recording)
        #expect(rec.warnings.isEmpty, "a kill does not tear a line: \(rec.warnings)")
        #expect(Self.cycles(after) >= Self.cycles(before))
        #expect(rec.events.count >= (try Recording.parse(before)).events.count)

        // Tear the last line as a power cut would, then replay: everything before it is there, one warning.
        let lines = after.split(separator: UInt8(ascii: "\n"))
        let torn = after + Data(lines.last!.prefix(lines.last!.count / 2))
        let tornPath = recording + ".torn"
        try torn.write(to: URL(fileURLWithPath: tornPath))
        let reread = try Recording.parse(torn, name: tornPath)
        #expect(reread.events.count == rec.events.count)
        #expect(reread.warnings.count == 1 && reread.warnings[0].contains("torn last line skipped"), "\(reread.warnings)")
        let report = try Binary.run(["report", tornPath], timeout: 30)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stderr.contains("torn last line skipped"), "\(report.stderr)")
        #expect(report.stdout.contains("backend_health") && report.stdout.contains("api_health"))
    }

    @Test("agent --record killed with SIGKILL mid-cycle: every written cycle replays")
    func agent() throws {
        let (sim, simURL) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let recording = Binary.tempFile("agent-kill9-\(UUID().uuidString).jsonl")
        let (agent, _) = try AgentProcesses.agent(Self.config(simURL), ["--record", recording])
        defer { agent.terminate() }
        let before = try Self.killMidCycle(agent.pid, recording: recording, after: 3)
        #expect(agent.wait(timeout: .seconds(10)) != nil, "the agent is gone")
        try Self.checkSurvived(recording, before: before)
    }

    @Test("watch --record killed with SIGKILL mid-cycle (in tmux): every written cycle replays")
    func watch() throws {
        let (sim, simURL) = try AgentProcesses.sim()
        defer { sim.terminate() }
        let recording = Binary.tempFile("watch-kill9-\(UUID().uuidString).jsonl")
        let t = try Tmux.start("'\(Binary.path)' watch '\(Self.config(simURL))' --record '\(recording)'; sleep 30")
        defer { t.kill() }
        #expect(t.waitFor { $0.contains("backend_health") }.ok)
        let child = try #require(Binary.child(of: t.panePID, matching: "stagetop watch"))
        let before = try Self.killMidCycle(child, recording: recording, after: 2)
        try Self.checkSurvived(recording, before: before)
    }
}
