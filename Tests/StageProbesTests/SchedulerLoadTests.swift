import Foundation
import StageModel
import Testing
@testable import StageProbes

/// Virtual time: each sleep moves a manual clock on at once; past `until` seconds it ends the schedule.
final class ClockSleeper: ProbeSleeper {
    let clock: ManualClock
    let end: Date
    init(clock: ManualClock, until seconds: Double) { self.clock = clock; end = clock.now().addingTimeInterval(seconds) }
    func sleep(seconds: Double) async throws {
        guard clock.now().addingTimeInterval(seconds) <= end else { throw CancellationError() }
        clock.advance(by: seconds)
        await Task.yield()
    }
}

/// Counts the sleeps another sleeper is asked for (each one is a wake-up of the scheduler's driver).
final class CountingSleeper: ProbeSleeper {
    let inner: any ProbeSleeper
    private let counter = Locked(0)
    init(_ inner: any ProbeSleeper) { self.inner = inner }
    var count: Int { counter.withLock { $0 } }
    func sleep(seconds: Double) async throws {
        counter.withLock { $0 += 1 }
        try await inner.sleep(seconds: seconds)
    }
}

/// Answers at once, its run timed by the test's clock.
struct ClockRunner: ProbeRunner {
    let clock: ManualClock
    func run(_ spec: ProbeSpec) async -> ProbeResult {
        let now = clock.now()
        return ProbeResult(probe: spec.name, kind: spec.kind, verdict: .pass, startedAt: now, finishedAt: now)
    }
}

/// Holds every run until the test opens its gate, counting how many are in flight at once.
final class GatedRunner: ProbeRunner {
    private let state = Locked<(current: Int, peak: Int, open: Set<String>, waiters: [String: [CheckedContinuation<Void, Never>]])>((0, 0, [], [:]))
    let latencyMs: Double

    init(latencyMs: Double = 5) { self.latencyMs = latencyMs }

    var current: Int { state.withLock { $0.current } }
    var peak: Int { state.withLock { $0.peak } }

    func open(_ name: String) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open.insert(name)
            return s.waiters.removeValue(forKey: name) ?? []
        }
        waiters.forEach { $0.resume() }
    }

    func openAll(_ names: [String]) { names.forEach(open) }

    func run(_ spec: ProbeSpec) async -> ProbeResult {
        let started = Date()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let go = state.withLock { s -> Bool in
                s.current += 1
                s.peak = max(s.peak, s.current)
                if s.open.contains(spec.name) { return true }
                s.waiters[spec.name, default: []].append(c)
                return false
            }
            if go { c.resume() }
        }
        state.withLock { $0.current -= 1 }
        return ProbeResult(probe: spec.name, kind: spec.kind, verdict: .pass, message: "200 OK", status: 200,
                           latencyMs: latencyMs, startedAt: started, finishedAt: Date())
    }
}

@Suite("ProbeScheduler under load: spread starts, a bound on runs in flight, queue time apart from latency")
struct SchedulerLoadTests {
    @Test("10,000 probes at 1 s start spread over the whole interval, a tenth in each tenth; 25 keep the quick start")
    func spreadOverTheInterval() {
        var rng = SplitMix64(seed: 3)
        let many = Jitter.firstDelays(count: 10_000, interval: 1, fraction: 0.1, using: &rng)
        #expect(many.count == 10_000 && many.allSatisfy { $0 >= 0 && $0 < 1 })
        var deciles = [Int](repeating: 0, count: 10)
        for d in many { deciles[min(9, Int(d * 10))] += 1 }
        #expect(deciles.allSatisfy { $0 == 1000 }, "stratified: exactly a tenth per tenth, \(deciles)")
        #expect(Set(many).count == 10_000, "no two in lockstep")
        let few = Jitter.firstDelays(count: 25, interval: 15, fraction: 0.1, using: &rng)
        #expect(few.allSatisfy { $0 >= 0 && $0 <= 1.0 }, "a small config fills the screen within a second")
        // A long interval does not delay the first run by a tenth of it (an hourly probe: not 6 minutes).
        let hourly = Jitter.firstDelays(count: 3, interval: 3600, fraction: 0.1, using: &rng)
        #expect(hourly.allSatisfy { $0 >= 0 && $0 <= Jitter.quickStart }, "\(hourly)")
        // Many hourly probes still respect the start rate: 1,000 spread over 5 s, not crammed into one.
        let manyHourly = Jitter.firstDelays(count: 1000, interval: 3600, fraction: 0.1, using: &rng)
        #expect(manyHourly.max()! > 4 && manyHourly.allSatisfy { $0 < 5 })
    }

    @Test("the scheduler starts 2,000 probes spread over their interval, never all at once (virtual time)")
    func schedulerSpreads() async throws {
        let run = try await Self.firstRuns(2000, interval: 2, seed: 9)
        let results = run.results
        let offsets = run.offsets
        #expect(Set(results.map(\.probe)).count == 2000, "each probe's first run")
        #expect(offsets.max()! < 2 && offsets.max()! > 1.8, "the whole interval is used: \(offsets.max()!)")
        // 1,000 first runs a second, so 200 in each tenth of the interval. A batch of about ten runs shares a
        // wake-up, and in virtual time a batch's runs may read the clock after the sleeper has moved it on (one
        // wake-up, another ten): never a burst, every tenth of the interval used.
        var tenths = [Int](repeating: 0, count: 10)
        for o in offsets { tenths[min(9, Int(o / 0.2))] += 1 }
        let batch = Int(ProbeScheduler.batch)
        #expect(tenths.allSatisfy { abs($0 - 200) <= 2 * batch + 10 }, "never a burst of all N at start-up: \(tenths) per tenth")
    }

    /// Every first run of `count` probes sharing `interval`, in virtual time up to one interval (jitter 0:
    /// re-runs come a whole interval later, so none), with the sleeps the scheduler's driver asked for.
    static func firstRuns(_ count: Int, interval: Double, seed: UInt64) async throws
        -> (results: [ProbeResult], offsets: [Double], sleeps: Int)
    {
        let clock = ManualClock()
        let sleeper = CountingSleeper(ClockSleeper(clock: clock, until: interval))
        let recorder = EventRecorder()
        let probes = (0..<count).map { probe("p\($0)", interval: interval) }
        let start = clock.now()
        let scheduler = ProbeScheduler(probes: probes, runner: ClockRunner(clock: clock), clock: clock, sleeper: sleeper, seed: seed,
                                       jitter: 0, sink: recorder.sink)
        await scheduler.start()
        let results = try await recorder.finished(count, within: 20)
        await scheduler.stop()
        return (results, results.map { $0.startedAt.timeIntervalSince(start) }, sleeper.count)
    }

    @Test("runs due close together share a wake-up, about ten at a time: 1,000 first runs in 1 s take ~100 sleeps, 100 take ~10")
    func wakeUpsCoalesce() async throws {
        for (count, low, high) in [(1000, 80, 125), (100, 8, 14)] {
            let (results, offsets, sleeps) = try await Self.firstRuns(count, interval: 1, seed: 4)
            #expect(Set(results.map(\.probe)).count == count, "every probe's first run")
            // 1,000 a second: a 10 ms window (ten runs' worth). 100 a second: 100 ms (10 % of the interval).
            #expect(sleeps >= low && sleeps <= high, "\(sleeps) sleeps for \(count) runs, \(Set(offsets).count) instants")
            // Never a burst: no instant starts more than two windows' worth (virtual time, see above).
            let perInstant = Dictionary(grouping: offsets, by: { $0 }).values.map(\.count)
            #expect(perInstant.max()! <= 2 * Int(ProbeScheduler.batch), "\(perInstant.max()!) runs at one instant")
            #expect(perInstant.count >= low, "runs start at \(perInstant.count) distinct instants")
        }
    }

    @Test("never more than max_in_flight runs at once; every probe still runs")
    func boundInFlight() async throws {
        let runner = GatedRunner()
        let probes = (0..<40).map { probe("p\($0)") }
        let scheduler = ProbeScheduler(probes: probes, runner: runner, maxInFlight: 8, sink: { _ in })
        let run = Task { await scheduler.runOnce() }
        try await withTimeout(5) { while runner.current < 8 { try await Task.sleep(nanoseconds: 1_000_000) } }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(runner.current == 8, "the other 32 wait for a slot")
        #expect(await scheduler.inFlight == 8)
        runner.openAll(probes.map(\.name))
        let results = try await withTimeout(5) { await run.value }
        #expect(results.count == 40 && results.allSatisfy { $0.verdict == .pass })
        #expect(runner.peak == 8)
        let peak = await scheduler.peakInFlight
        let left = await scheduler.inFlight
        #expect(peak == 8 && left == 0)
    }

    @Test("a run that waited for a slot reports the wait as queue time; its latency is its own")
    func queueTimeApart() async throws {
        let clock = ManualClock()
        let runner = GatedRunner(latencyMs: 5)
        let recorder = EventRecorder()
        let scheduler = ProbeScheduler(probes: [probe("first"), probe("second")], runner: runner, clock: clock,
                                       maxInFlight: 1, sink: recorder.sink)
        let run = Task { await scheduler.runOnce() }
        // One run holds the only slot, the other is due and waiting for it; then 2.5 s pass.
        try await withTimeout(5) {
            while true {
                let waiting = await scheduler.waitingForSlot
                if runner.current >= 1 && waiting >= 1 { break }
                try await Task.sleep(nanoseconds: 1_000_000)
            }
        }
        clock.advance(by: 2.5)
        runner.openAll(["first", "second"])
        let results = try await withTimeout(5) { await run.value }
        // runOnce starts both at once: whichever got the slot did not wait; the other waited the 2.5 s.
        let queues = results.compactMap(\.queueMs).sorted()
        #expect(queues.count == 2)
        #expect(queues.first == 0, "\(queues)")
        #expect(abs((queues.last ?? 0) - 2500) < 0.001, "\(queues)")
        #expect(results.allSatisfy { $0.latencyMs == 5 }, "the wait is not in the latency")
    }

    @Test("stop() releases runs waiting for a slot; nothing hangs")
    func stopReleasesWaiters() async throws {
        let runner = GatedRunner()
        let probes = (0..<5).map { probe("w\($0)", interval: 0.01) }
        let scheduler = ProbeScheduler(probes: probes, runner: runner, sleeper: ParkedSleeper(), maxInFlight: 1, sink: { _ in })
        for p in probes { await scheduler.runNow(p.name) }
        try await withTimeout(5) { while runner.current < 1 { try await Task.sleep(nanoseconds: 1_000_000) } }
        await scheduler.stop()
        runner.openAll(probes.map(\.name))
        try await withTimeout(5) {
            while await scheduler.inFlight > 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        #expect(runner.peak == 1)
    }
}
