import Foundation
import Testing
@testable import StageModel

@Suite struct StoreTests {
    func config(_ names: [String]) -> StageConfig {
        StageConfig(name: "t", target: TargetConfig(baseURL: "https://api.staging.example.com"),
                    probes: names.map { ProbeSpec(name: $0, group: "g", body: .http(HTTPProbeSpec(path: "/\($0)"))) })
    }

    func result(_ name: String, _ v: Verdict, _ ms: Double?, at: Date, cls: FailureClass? = nil) -> ProbeResult {
        ProbeResult(probe: name, kind: .http, verdict: v, failureClass: cls, message: v.rawValue, latencyMs: ms, startedAt: at, finishedAt: at)
    }

    @Test func statsAndPercentiles() {
        var s = LatencyStats()
        for ms in stride(from: 1.0, through: 100.0, by: 1.0) { s.record(ms: ms) }
        let sum = s.summary
        #expect(sum.samples == 100)
        #expect(sum.last == 100)
        #expect(abs(sum.avg! - 50.5) < 1e-9)
        #expect(abs(sum.p50! - 50) <= 0.1)
        #expect(abs(sum.p95! - 95) <= 0.1)
        #expect(abs(sum.p99! - 99) <= 0.1)
        #expect(LatencyStats().summary.avg == nil)
    }

    @Test func reducerCountsHangsAndErrorsInDenominator() {
        let clock = ManualClock()
        let store = SharedStore(config: config(["a", "b", "c", "d", "e"]), clock: clock)
        let t = clock.now()
        store.apply(.finished(result("a", .pass, 80, at: t)))
        store.apply(.finished(result("b", .pass, 85.4, at: t)))
        store.apply(.finished(result("c", .hang, nil, at: t, cls: .hang)))
        store.apply(.finished(result("d", .error, nil, at: t, cls: .auth)))
        let s = store.snapshot().summary
        #expect(s.total == 5)
        #expect(s.passed == 2)
        #expect(s.hung == 1)
        #expect(s.errored == 1)
        #expect(s.pending == 1)
        #expect(s.passRate == 2.0 / 5.0)
        #expect(abs(s.latencyAvgMs! - 82.7) < 1e-9)
    }

    @Test func skippedLeavesDenominator() {
        var c = config(["a", "b"])
        c.probes[1].enabled = false
        let store = SharedStore(config: c, clock: ManualClock())
        store.apply(.finished(result("a", .pass, 1, at: Date())))
        let s = store.snapshot().summary
        #expect(s.skipped == 1)
        #expect(s.passRate == 1.0)
    }

    @Test func verdictChangesAreLoggedWithTime() {
        let clock = ManualClock()
        let store = SharedStore(config: config(["a"]), clock: clock)
        store.apply(.finished(result("a", .pass, 1, at: clock.now())))
        // Cycle lines are notes (no probe); verdict changes name the probe.
        #expect(store.snapshot().log.filter { $0.probe != nil }.isEmpty, "a first pass is not news")
        clock.advance(by: 10)
        store.apply(.finished(result("a", .fail, 2, at: clock.now(), cls: .redirect)))
        clock.advance(by: 10)
        store.apply(.finished(result("a", .fail, 2, at: clock.now(), cls: .redirect)))
        clock.advance(by: 10)
        store.apply(.finished(result("a", .pass, 3, at: clock.now())))
        let snap = store.snapshot()
        let changes = snap.log.filter { $0.probe != nil }
        #expect(changes.count == 2)
        #expect(changes[0].from == .pass && changes[0].to == .fail && changes[0].failureClass == .redirect)
        #expect(changes[1].from == .fail && changes[1].to == .pass)
        #expect(snap.probes[0].verdictSince == clock.now())
        #expect(snap.probes[0].history.map(\.verdict) == [.pass, .fail, .fail, .pass])
        #expect(snap.takenAt == clock.now())
    }

    @Test func runningAndCyclesAndVersion() {
        let clock = ManualClock()
        let store = SharedStore(config: config(["a", "b"]), clock: clock)
        let v0 = store.version
        store.apply(.started(probe: "a", at: clock.now()))
        #expect(store.version != v0)
        #expect(store.snapshot().probes[0].runningSince == clock.now())
        store.apply(.finished(result("a", .pass, 1, at: clock.now())))
        #expect(store.snapshot().probes[0].runningSince == nil)
        #expect(store.snapshot().completedCycles == 0)
        store.apply(.finished(result("b", .pass, 1, at: clock.now())))
        #expect(store.snapshot().completedCycles == 1)
    }

    @Test func historyIsBounded() {
        let store = SharedStore(config: config(["a"]), clock: ManualClock())
        for i in 0..<(Store.historyLimit + 30) { store.apply(.finished(result("a", .pass, Double(i), at: Date()))) }
        let p = store.snapshot().probes[0]
        #expect(p.history.count == Store.historyLimit)
        #expect(p.history.last?.latencyMs == Double(Store.historyLimit + 29))
        #expect(p.stats.samples == Store.historyLimit + 30)
    }
}
