import Foundation
import Testing
import StageModel
@testable import StageReports

/// `check`'s table prints durations through `Format` (Sources/StageModel/Formatting.swift), as the
/// dashboard does: Tests/StageUITests/Rules/DurationFormatTests.swift pins the screen to the same texts.
@Suite struct DurationFormatTests {
    static let cases: [(ms: Double, text: String)] = [
        (0.4, "0.4ms"), (82.66, "82.7ms"), (1200, "1.20s"), (12_340, "12.3s"), (72_300, "1m12s"), (125_000, "2m05s"),
    ]

    @Test(arguments: cases)
    func checkPrintsALatencyAsTheWatchTableShowsIt(_ c: (ms: Double, text: String)) throws {
        let t0 = Date(timeIntervalSince1970: 1_788_000_000)
        let r = ProbeResult(probe: "slow_probe", kind: .http, verdict: .pass, message: "200 OK", status: 200, latencyMs: c.ms,
                            startedAt: t0, finishedAt: t0.addingTimeInterval(1))
        let s = Snapshot(configName: "c", targetHost: "h", startedAt: t0, takenAt: t0,
                         probes: [ProbeState(name: "slow_probe", group: "api", kind: .http, target: "GET /", last: r)])
        let row = try #require(TextTable.render(s).split(separator: "\n").first { $0.hasPrefix("slow_probe") })
        #expect(row.contains("  " + c.text + "  "), "\(row)")
        #expect(Format.latency(c.ms) == c.text)
    }
}
