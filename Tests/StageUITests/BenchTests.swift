import Testing
@testable import StageUI

@Suite struct BenchTests {
    @Test func steadyStateFramesChangeUnderFivePercent() {
        var session = SyntheticDashboard.Session(probes: 1000, width: 200, height: 60)
        var worst = 0.0
        for _ in 0..<30 {
            session.advance()
            let stats = session.renderFrame()
            #expect(stats.fullBytes > 200 * 60 - 1)
            worst = max(worst, stats.changedFraction)
        }
        #expect(worst < 0.05, "worst frame changed \(worst * 100)%")
    }

    @Test func snapshotsAreDeterministic() {
        let a = SyntheticDashboard.frame(probes: 100, width: 120, height: 40, tick: 3)
        let b = SyntheticDashboard.frame(probes: 100, width: 120, height: 40, tick: 3)
        #expect(a == b)
        #expect(SyntheticDashboard.snapshot(probes: 1000).probes.count == 1000)
    }
}
