import Foundation
import Testing

/// `stagetop demo` as a person watches it: the P1 probes against the 2025-09-09 scenario, and the
/// timeline through the reports. Real binary, real sim, real ncurses in tmux; bounded polls only.
@Suite(.serialized, .enabled(if: Tmux.available)) struct DemoEndToEndTests {
    func start(_ args: String) throws -> Tmux {
        try Tmux.start("cd '\(Binary.repoRoot.path)' && '\(Binary.path)' \(args); sleep 30", width: 140, height: 45)
    }

    /// The number after `label` on the watchdog line of `probe` ("first byte ▕██▏ 1.2s/3.0s" → 1.2).
    func elapsed(_ screen: String, probe: String) -> Double? {
        guard let line = screen.components(separatedBy: "\n").first(where: { $0.contains(probe) && $0.contains("/3.0s") }),
              let r = line.range(of: #"([0-9]+\.[0-9])s/3\.0s"#, options: .regularExpression) else { return nil }
        return Double(line[r].prefix { $0 != "s" })
    }

    @Test func aHungStreamsTimerMovesThenItCountsAsAHang() throws {
        let t = try start("demo")
        defer { t.kill() }
        // A reading with room left before the 3.0 s limit: one taken at 2.8 s could never grow by 0.5 s (the
        // meter gives way to the verdict at 3.0 s). Each cycle starts the stream again, so one comes.
        let first = t.waitFor(timeout: 40) { (self.elapsed($0, probe: "critical_event_delivery") ?? 9) <= 2.0 }
        #expect(first.ok, "no watchdog meter for the silent stream:\n\(first.screen)")
        let a = elapsed(first.screen, probe: "critical_event_delivery") ?? 0
        let moved = t.waitFor(timeout: 5) { (self.elapsed($0, probe: "critical_event_delivery") ?? 0) >= a + 0.5 }
        #expect(moved.ok, "the watchdog timer did not move:\n\(moved.screen)")
        // Then the verdict: two hangs, in the denominator of the pass rate.
        let hung = t.waitFor { $0.contains("2 hang") && $0.contains("/25 (") }
        #expect(hung.ok, "\(hung.screen)")
        #expect(hung.screen.contains("no first byte within 3.0 s"))
        #expect(hung.screen.contains("no data for 3.0 s after 2 events"))
        // Hangs stay in the denominator: the percentage is of all 25, never of the 23 that finished.
        let rate = try #require(hung.screen.firstMatch(of: /([0-9]+)\/25 \(([0-9]+)%\)/), "\(hung.screen)")
        let passed = try #require(Int(rate.output.1)), percent = try #require(Int(rate.output.2))
        #expect(percent == Int((Double(passed) * 100 / 25).rounded()), "hangs are not skipped out of the pass rate:\n\(hung.screen)")
        #expect(passed <= 23)
        #expect(hung.screen.contains("1011"), "the close-code panel and rows show the 1011s")
    }

    @Test func timelineMovesThePassRateAcrossTheReports() throws {
        let t = try start("demo --timeline --cycles-per-step 1")
        defer { t.kill() }
        let step2 = t.waitFor(timeout: 30) { $0.contains("timeline 2/6") }
        #expect(step2.ok, "\(step2.screen)")
        // n moves on at once; each step is logged and each closed cycle lists its flips.
        t.send("n")
        let step3 = t.waitFor(timeout: 10) { $0.contains("timeline 3/6") }
        #expect(step3.ok, "\(step3.screen)")
        // Cycle 2 ran under another report's scenario than cycle 1, so probes flipped; the cycle view (c)
        // lists them on cycle 2's row ("↑ rate_limiting_real ↓ agent_execution_endpoints_real …").
        let closed = t.waitFor(timeout: 40) { $0.contains("cycle 2 done") }
        #expect(closed.ok, "\(closed.screen)")
        t.send("c")
        let flips = t.waitFor(timeout: 5) { screen in
            screen.contains("cycles") && screen.components(separatedBy: "\n").contains { $0.contains(/^│ +2 .* [↑↓] [a-z_]+/) }
        }
        #expect(flips.ok, "cycles close and the probes that flipped are listed:\n\(flips.screen)")
        t.send("c")
        // The pass rate moved: the first step (WS 403, routes 404) and a later one differ.
        func ratio(_ s: String) -> String? {
            s.range(of: #"[0-9]+/25 \("#, options: .regularExpression).map { String(s[$0]) }
        }
        #expect(ratio(step2.screen) != nil)
        let moved = t.waitFor(timeout: 40) { ratio($0) != nil && ratio($0) != ratio(step2.screen) }
        #expect(moved.ok, "the pass rate did not move across scenarios:\n\(moved.screen)")
    }
}
