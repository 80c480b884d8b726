import Foundation
import Testing
@testable import StageModel

@Suite struct CycleTests {
    let names = ["a", "b", "c", "d"]
    var config: StageConfig {
        var c = StageConfig(name: "t", target: TargetConfig(baseURL: "http://x"),
                            probes: names.map { ProbeSpec(name: $0, body: .http(HTTPProbeSpec(path: "/"))) })
        c.probes.append(ProbeSpec(name: "off", body: .http(HTTPProbeSpec(path: "/")), enabled: false))
        return c
    }

    func result(_ n: String, _ v: Verdict, _ ms: Double, _ at: Date) -> ProbeResult {
        ProbeResult(probe: n, kind: .http, verdict: v, failureClass: v == .pass ? nil : .route, latencyMs: ms, startedAt: at, finishedAt: at)
    }

    @Test("only the latest closed cycle keeps every probe's verdict (what the next flips need); older ones drop the map, flips stay right")
    func olderCyclesKeepNoVerdictMap() {
        let clock = ManualClock()
        let store = SharedStore(config: config, clock: clock)
        let rounds: [[Verdict]] = [[.pass, .pass, .pass, .pass], [.pass, .fail, .pass, .pass], [.pass, .pass, .pass, .hang]]
        for round in rounds {
            clock.advance(by: 10)
            for (n, v) in zip(names, round) { store.apply(.finished(result(n, v, 10, clock.now()))) }
        }
        let cycles = store.snapshot().cycles
        #expect(cycles.count == 3)
        #expect(cycles[0].verdicts.isEmpty && cycles[1].verdicts.isEmpty, "a map of every probe per cycle is what grew the agent's memory")
        #expect(cycles[2].verdicts.count == 4)
        #expect(cycles[1].flips.map(\.probe) == ["b"] && cycles[2].flips.map(\.probe) == ["b", "d"])
    }

    @Test func cyclesCloseWhenEveryEnabledProbeReportedAndListFlips() {
        let clock = ManualClock()
        let store = SharedStore(config: config, clock: clock)
        // Cycle 1: a, b, c pass; d hangs. "a" reporting twice does not close the cycle early.
        store.apply(.finished(result("a", .pass, 10, clock.now())))
        store.apply(.finished(result("a", .pass, 20, clock.now())))
        store.apply(.finished(result("b", .pass, 30, clock.now())))
        store.apply(.finished(result("c", .pass, 40, clock.now())))
        #expect(store.snapshot().completedCycles == 0)
        #expect(store.snapshot().cycleInProgress == 3)
        clock.advance(by: 5)
        store.apply(.finished(result("d", .hang, 50, clock.now())))
        var s = store.snapshot()
        #expect(s.completedCycles == 1)
        let c1 = s.cycles[0]
        #expect(c1.number == 1)
        #expect(c1.ratio == "3/4")
        #expect(c1.hung == 1)
        #expect(c1.latencyAvgMs == (20 + 30 + 40 + 50) / 4.0)
        #expect(c1.flips.isEmpty)
        #expect(c1.finishedAt == clock.now())

        // Cycle 2: d recovers, b breaks.
        clock.advance(by: 10)
        for (n, v) in [("a", Verdict.pass), ("b", .fail), ("c", .pass), ("d", .pass)] {
            store.apply(.finished(result(n, v, 10, clock.now())))
        }
        s = store.snapshot()
        #expect(s.completedCycles == 2)
        #expect(s.cycles[1].ratio == "3/4")
        #expect(s.cycles[1].flips == [Flip(probe: "b", from: .pass, to: .fail), Flip(probe: "d", from: .hang, to: .pass)])
        #expect(s.cycles[1].startedAt == c1.finishedAt)
        #expect(s.log.last?.message == "cycle 2 done: 3/4 (75%); b pass→fail, d hang→pass")
    }
}
