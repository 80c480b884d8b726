import Foundation
import StageModel
import Testing
@testable import StageProbes

/// A runner that answers at once, counting runs per probe (no network: these tests are about timing logic).
final class CannedRunner: ProbeRunner {
    let runs = Locked<[String: Int]>([:])

    func run(_ spec: ProbeSpec) async -> ProbeResult {
        runs.withLock { $0[spec.name, default: 0] += 1 }
        let now = Date()
        return ProbeResult(probe: spec.name, kind: spec.kind, verdict: .pass, message: "200 OK", status: 200,
                           startedAt: now, finishedAt: now)
    }

    func count(_ name: String) -> Int { runs.withLock { $0[name, default: 0] } }
}

/// Returns at once and records each requested delay; after `limit` sleeps it ends the loop.
final class RecordingSleeper: ProbeSleeper {
    let delays = Locked<[Double]>([])
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func sleep(seconds: Double) async throws {
        let n = delays.withLock { d in d.append(seconds); return d.count }
        if n > limit { throw CancellationError() }
    }
}

/// Sleeps until cancelled: loops stay parked, so only explicit actions (runNow) produce runs.
struct ParkedSleeper: ProbeSleeper {
    func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: 3_600_000_000_000)
    }
}

func probe(_ name: String, interval: Double = 10, enabled: Bool = true) -> ProbeSpec {
    ProbeSpec(name: name, body: .http(HTTPProbeSpec(path: "/" + name)), interval: .s(interval), enabled: enabled)
}

@Suite("ProbeScheduler")
struct ProbeSchedulerTests {
    @Test("jitter stays within ±10 % and repeats for the same seed")
    func jitterBounds() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        let xs = (0..<1000).map { _ in Jitter.delay(interval: 10, fraction: 0.1, using: &a) }
        let ys = (0..<1000).map { _ in Jitter.delay(interval: 10, fraction: 0.1, using: &b) }
        #expect(xs == ys)
        #expect(xs.allSatisfy { $0 >= 9 && $0 <= 11 })
        #expect(xs.min()! < 9.1 && xs.max()! > 10.9)  // it actually spreads
        #expect(Set(xs).count > 990)
    }

    @Test("the loop sleeps exactly the seeded jitter sequence between runs")
    func loopUsesSeededDelays() async throws {
        let runner = CannedRunner()
        let sleeper = RecordingSleeper(limit: 5)
        let recorder = EventRecorder()
        // A clock that stands still: on the real one, a busy machine moves time between planning and
        // sleeping, and the driver rightly sleeps that much less (the sequence would differ by a millisecond).
        let scheduler = ProbeScheduler(probes: [probe("a", interval: 10)], runner: runner, clock: ManualClock(), sleeper: sleeper,
                                       seed: 7, sink: recorder.sink)
        await scheduler.start()
        let results = try await recorder.finished(5)
        #expect(results.map(\.probe) == Array(repeating: "a", count: 5))

        var rng = SplitMix64(seed: 7)
        var expected = [Jitter.firstDelay(interval: 10, fraction: 0.1, using: &rng)]
        for _ in 0..<4 { expected.append(Jitter.delay(interval: 10, fraction: 0.1, using: &rng)) }
        try await withTimeout(5) { while sleeper.delays.withLock({ $0.count }) < 5 { await Task.yield() } }
        #expect(Array(sleeper.delays.withLock { $0 }.prefix(5)) == expected)
        #expect(expected[0] >= 0 && expected[0] <= 1)
        await scheduler.stop()
    }

    @Test("probes with one interval do not start in lockstep")
    func firstRunsSpread() {
        var rng = SplitMix64(seed: 1)
        let firsts = (0..<25).map { _ in Jitter.firstDelay(interval: 10, fraction: 0.1, using: &rng) }
        #expect(Set(firsts).count == 25)
        #expect(firsts.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test("runOnce runs every probe once, in config order, skipping disabled ones")
    func runOnce() async throws {
        let runner = CannedRunner()
        let recorder = EventRecorder()
        let scheduler = ProbeScheduler(probes: [probe("a"), probe("b", enabled: false), probe("c")], runner: runner,
                                       sleeper: ParkedSleeper(), seed: 1, sink: recorder.sink)
        let results = try await withTimeout(5) { await scheduler.runOnce() }
        #expect(results.map(\.probe) == ["a", "b", "c"])
        #expect(results.map(\.verdict) == [.pass, .skip, .pass])
        #expect(runner.count("a") == 1 && runner.count("b") == 0 && runner.count("c") == 1)
        let events = try await recorder.finished(3)
        #expect(Set(events.map(\.probe)) == ["a", "b", "c"])

        let some = try await withTimeout(5) { await scheduler.runOnce(["c"]) }
        #expect(some.map(\.probe) == ["c"])
        #expect(runner.count("c") == 2)
    }

    @Test("runNow runs one probe at once while the others wait their interval")
    func runNow() async throws {
        let runner = CannedRunner()
        let recorder = EventRecorder()
        // Jitter 0.5 makes first runs land up to 5 s out; the parked sleeper holds them there.
        let scheduler = ProbeScheduler(probes: [probe("a"), probe("b")], runner: runner, sleeper: ParkedSleeper(),
                                       seed: 3, jitter: 0.5, sink: recorder.sink)
        await scheduler.start()
        #expect(await scheduler.runNow("a"))
        let r = try await recorder.finished(1)
        #expect(r.map(\.probe) == ["a"])
        #expect(runner.count("b") == 0)
        #expect(await scheduler.runNow("nope") == false)
        await scheduler.stop()
    }

    @Test("while paused, loops stop and runNow still runs once; resume restarts loops")
    func pauseResume() async throws {
        let runner = CannedRunner()
        let recorder = EventRecorder()
        let scheduler = ProbeScheduler(probes: [probe("a")], runner: runner, sleeper: ParkedSleeper(), seed: 5,
                                       jitter: 0.5, sink: recorder.sink)
        await scheduler.start()
        await scheduler.pause()
        #expect(await scheduler.isPaused)
        #expect(await scheduler.runNow("a"))
        _ = try await recorder.finished(1)
        #expect(runner.count("a") == 1)
        await scheduler.resume()
        #expect(await scheduler.isPaused == false)
        #expect(await scheduler.runNow("a"))
        _ = try await recorder.finished(1)
        #expect(runner.count("a") == 2)
        await scheduler.stop()
    }

    @Test("disabled probes report skip once on start and never run")
    func disabledOnStart() async throws {
        let runner = CannedRunner()
        let recorder = EventRecorder()
        let scheduler = ProbeScheduler(probes: [probe("off", enabled: false)], runner: runner, sleeper: ParkedSleeper(),
                                       seed: 1, sink: recorder.sink)
        await scheduler.start()
        let r = try await recorder.finished(1)
        #expect(r.first?.verdict == .skip)
        #expect(await scheduler.runNow("off") == false)
        await scheduler.stop()
    }
}
