import Foundation
import Testing
import StageModel
@testable import StageUI

/// `check`'s table and the dashboard print a duration through the same `Format` functions
/// (Sources/StageModel/Formatting.swift). Tests/StageReportsTests/Rules/DurationFormatTests.swift
/// pins the table to the same texts as this test pins the screen, so the two cannot drift apart.
@Suite struct DurationFormatTests {
    /// Durations on both sides of every unit change, with the text both places must show.
    static let cases: [(ms: Double, text: String)] = [
        (0.4, "0.4ms"), (82.66, "82.7ms"), (1200, "1.20s"), (12_340, "12.3s"), (72_300, "1m12s"), (125_000, "2m05s"),
    ]

    @Test(arguments: cases)
    func theWatchTableShowsALatencyAsCheckPrintsIt(_ c: (ms: Double, text: String)) throws {
        #expect(Format.latency(c.ms) == c.text)
        let probe = Fixtures.probe("slow_probe", group: "api", result: Fixtures.result("slow_probe", .http, .pass, latency: c.ms), avg: 1)
        let s = Snapshot(configName: "c", targetHost: "h", startedAt: Fixtures.t0, takenAt: Fixtures.now, probes: [probe])
        let (b, _) = Fixtures.render(s, width: 120, height: 40)
        let line = b.line(try #require(Fixtures.row(b, "slow_probe")))
        // The LAST column: the name column, KIND and CODE come first; AVG (1.0ms) follows.
        #expect(line.contains(" " + c.text + " "), "\(line)")
    }

    @Test func aRunningRunCountsInTheSameFormat() throws {
        var probe = Fixtures.probe("slow_probe", group: "api", result: nil)
        probe.runningSince = Fixtures.now.addingTimeInterval(-125)
        let s = Snapshot(configName: "c", targetHost: "h", startedAt: Fixtures.t0, takenAt: Fixtures.now, probes: [probe])
        var view = ViewState()
        view.detail = "slow_probe"
        let (b, _) = Fixtures.render(s, width: 120, height: 40, view: view)
        #expect(b.text.contains("running " + Format.elapsed(125)) && Format.elapsed(125) == "2m05s")
    }
}
