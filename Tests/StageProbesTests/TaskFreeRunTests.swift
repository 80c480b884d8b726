import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

/// Starts every run task-free and finishes it when the test says so; counts what went through `run`
/// (the task path) and which runs were cancelled.
final class HandRunner: ProbeRunner {
    private let state = Locked<(pending: [String: [@Sendable (@escaping TaskFreeRun.Judge) -> Void]], started: [String],
                                cancelled: [String], taskRuns: Int)>(([:], [], [], 0))

    var started: [String] { state.withLock { $0.started } }
    var cancelled: [String] { state.withLock { $0.cancelled } }
    var taskRuns: Int { state.withLock { $0.taskRuns } }
    var pending: Int { state.withLock { $0.pending.values.reduce(0) { $0 + $1.count } } }

    func run(_ spec: ProbeSpec) async -> ProbeResult {
        state.withLock { $0.taskRuns += 1 }
        return Self.result(spec.name)
    }

    func taskFree(_ spec: ProbeSpec) -> TaskFreeRun? {
        let name = spec.name, state = state
        return TaskFreeRun { finished in
            state.withLock { $0.started.append(name); $0.pending[name, default: []].append(finished) }
            return { state.withLock { $0.cancelled.append(name) } }
        }
    }

    /// Finishes the oldest pending run of `name`, from another thread (as the engine does).
    func finish(_ name: String) {
        guard let finished = state.withLock({ s -> (@Sendable (@escaping TaskFreeRun.Judge) -> Void)? in
            guard var list = s.pending[name], !list.isEmpty else { return nil }
            let f = list.removeFirst()
            s.pending[name] = list
            return f
        }) else { return }
        Thread.detachNewThread { finished { Self.result(name) } }
    }

    static func result(_ name: String) -> ProbeResult {
        let now = Date()
        return ProbeResult(probe: name, kind: .http, verdict: .pass, message: "200 OK", status: 200, latencyMs: 1,
                           startedAt: now, finishedAt: now)
    }
}

@Suite("ProbeScheduler: task-free runs (an HTTP probe's run is a callback, not a task)")
struct TaskFreeRunTests {
    /// Waits (bounded) until `condition` holds.
    static func until(_ condition: @escaping @Sendable () async -> Bool) async throws {
        try await withTimeout(5) { while !(await condition()) { try await Task.sleep(nanoseconds: 1_000_000) } }
    }

    /// Probes `a` and `b` every 50 ms, watched, both first runs started and held by the hand runner.
    static func twoStarted(seed: UInt64) async throws -> (HandRunner, EventRecorder, ProbeScheduler) {
        let runner = HandRunner()
        let recorder = EventRecorder()
        let scheduler = ProbeScheduler(probes: [probe("a", interval: 0.05), probe("b", interval: 0.05)], runner: runner,
                                       seed: seed, sink: recorder.sink)
        await scheduler.start()
        try await until { runner.started.count == 2 }
        return (runner, recorder, scheduler)
    }

    @Test("watch starts runs without a task, reports each when it finishes, and schedules the next")
    func reportsAndReschedules() async throws {
        let (runner, recorder, scheduler) = try await Self.twoStarted(seed: 2)
        #expect(await scheduler.runningProbes == ["a", "b"])
        #expect(await scheduler.inFlight == 2)
        runner.finish("a")
        let first = try await recorder.finished(1)
        #expect(first.map(\.probe) == ["a"] && first[0].queueMs == 0, "started when due: no queue")
        // a's next run is scheduled (0.05 s ± 10 %); b is still in flight and is not run twice.
        try await Self.until { runner.started.count == 3 }
        #expect(runner.started.sorted() == ["a", "a", "b"])
        runner.finish("b")
        runner.finish("a")
        let more = try await recorder.finished(2)
        #expect(Set(more.map(\.probe)) == ["a", "b"])
        #expect(runner.taskRuns == 0, "no run went through a task")
        await scheduler.stop()
    }

    @Test("task-free runs count against max_in_flight; the rest wait in tasks for a slot")
    func boundInFlight() async throws {
        let runner = HandRunner()
        let names = (0..<6).map { "p\($0)" }
        let scheduler = ProbeScheduler(probes: names.map { probe($0, interval: 3600) }, runner: runner, seed: 3,
                                       maxInFlight: 2, sink: { _ in })
        await scheduler.start()
        try await Self.until { runner.started.count == 2 }
        try await Task.sleep(nanoseconds: 1_500_000_000)  // every first run is due within 1 s
        #expect(runner.started.count == 2, "\(runner.started)")
        #expect(await scheduler.waitingForSlot == 4)
        #expect(await scheduler.peakInFlight == 2)
        // A finished task-free run hands its slot to a waiting one (which runs through its task).
        runner.finish(runner.started[0])
        try await Self.until { runner.taskRuns >= 1 }
        #expect(await scheduler.peakInFlight == 2)
        await scheduler.stop()
    }

    @Test("stop() cancels task-free runs in flight; what they report afterwards is dropped, slots are free")
    func stopCancels() async throws {
        let (runner, recorder, scheduler) = try await Self.twoStarted(seed: 4)
        await scheduler.stop()
        #expect(runner.cancelled.sorted() == ["a", "b"])
        #expect(await scheduler.inFlight == 0)
        #expect(await scheduler.runningProbes.isEmpty)
        runner.finish("a")
        runner.finish("b")
        await #expect(throws: (any Error).self) { _ = try await recorder.finished(1, within: 0.3) }
    }

    @Test("a run finished after pause() reports, and its probe does not run again until resume()")
    func pauseLetsRunsFinish() async throws {
        let runner = HandRunner()
        let recorder = EventRecorder()
        let scheduler = ProbeScheduler(probes: [probe("a", interval: 0.05)], runner: runner, seed: 5, sink: recorder.sink)
        await scheduler.start()
        try await Self.until { runner.started.count == 1 }
        await scheduler.pause()
        runner.finish("a")
        #expect(try await recorder.finished(1).map(\.probe) == ["a"])
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(runner.started.count == 1, "paused: not scheduled again")
        await scheduler.resume()
        try await Self.until { runner.started.count == 2 }
        await scheduler.stop()
    }

    @Test("sharing wake-ups keeps each probe's interval on average: 100 probes at 1 s for 30 s (virtual time)")
    func intervalKeptOnAverage() async throws {
        let clock = ManualClock()
        let recorder = EventRecorder()
        let probes = (0..<100).map { probe("p\($0)", interval: 1) }
        let settled = Locked<ProbeScheduler?>(nil)
        // Time moves only once every finished run has been collected and planned again, as in real time,
        // where a run's result is in long before the next wake-up.
        let sleeper = SettlingSleeper(clock: clock, until: 30) {
            guard let s = settled.withLock({ $0 }) else { return true }
            return await s.inFlight == 0
        }
        let scheduler = ProbeScheduler(probes: probes, runner: InstantRunner(clock: clock), clock: clock,
                                       sleeper: sleeper, seed: 8, sink: recorder.sink)
        settled.withLock { $0 = scheduler }
        await scheduler.start()
        let results = try await recorder.finished(2500, within: 20)
        await scheduler.stop()
        var starts: [String: [Date]] = [:]
        for r in results { starts[r.probe, default: []].append(r.startedAt) }
        // A 100 ms window: most runs start early, by up to 100 ms. Each next run is planned that much later.
        let intervals = starts.values.flatMap { s in zip(s.dropFirst(), s.dropFirst(2)).map { $1.timeIntervalSince($0) } }
        let mean = intervals.reduce(0, +) / Double(intervals.count)
        #expect(abs(mean - 1) < 0.005, "mean interval \(mean) s over \(intervals.count)")
        #expect(intervals.allSatisfy { $0 > 0.8 - 1e-9 && $0 < 1.2 + 1e-9 }, "\(intervals.min()!) … \(intervals.max()!)")
    }

    @Test("against the sim: watch's HTTP runs are task-free, real verdicts, latency measured by curl, no queue")
    func realHTTP() async throws {
        try await withSim("redirect-307-discovery-500") { sim, engine in
            let http = HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: sim.baseURL), token: Secret(sim.devToken))
            let runner = CountingHTTPRunner(http: http)
            let recorder = EventRecorder()
            let probes = [
                httpProbe("health", path: "/health"),
                httpProbe("discovery", path: "/api/discovery/services"),
                httpProbe("profile", path: "/api/user/profile", auth: .bearer),
            ].map { p in var p = p; p.interval = .s(0.1); return p }
            let scheduler = ProbeScheduler(probes: probes, runner: runner, seed: 6, sink: recorder.sink)
            await scheduler.start()
            let results = try await recorder.finished(12, within: 10)
            await scheduler.stop()
            let byProbe = Dictionary(grouping: results, by: \.probe)
            #expect(byProbe.count == 3 && byProbe.values.allSatisfy { $0.count >= 2 }, "each probe ran again")
            #expect(byProbe["health"]!.allSatisfy { $0.failureClass == .redirect && $0.status == 307 })
            #expect(byProbe["discovery"]!.allSatisfy { $0.failureClass == .server && $0.status == 500 })
            #expect(byProbe["profile"]!.allSatisfy { $0.verdict == .pass && $0.status == 200 }, "a static token needs no task")
            #expect(results.allSatisfy { $0.queueMs == 0 && ($0.latencyMs ?? 0) > 0 && $0.timings?.total == $0.latencyMs })
            #expect(runner.taskRuns.withLock { $0 } == 0)
        }
    }
}

extension TaskFreeRunTests {
    @Test("a bearer probe without a token ends task-free as error/auth, before any request")
    func refusedWithoutAToken() async throws {
        try await withSim("redirect-307-discovery-500") { sim, engine in
            let http = HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: sim.baseURL), token: nil)
            let runner = CountingHTTPRunner(http: http)
            let recorder = EventRecorder()
            var spec = httpProbe("profile", path: "/api/user/profile", auth: .bearer)
            spec.interval = .s(0.1)
            let scheduler = ProbeScheduler(probes: [spec], runner: runner, seed: 7, sink: recorder.sink)
            await scheduler.start()
            let results = try await recorder.finished(2)
            await scheduler.stop()
            #expect(results.allSatisfy { $0.verdict == .error && $0.failureClass == .auth && $0.status == nil })
            #expect(results[0].message.contains("no token"), "\(results[0].message)")
            #expect(runner.taskRuns.withLock { $0 } == 0)
        }
    }
}

/// `HTTPProbeRunner` behind `ProbeRunner`, counting runs that went through a task.
private struct CountingHTTPRunner: ProbeRunner {
    let http: HTTPProbeRunner
    let taskRuns = Locked(0)

    func run(_ spec: ProbeSpec) async -> ProbeResult {
        taskRuns.withLock { $0 += 1 }
        return await http.run(spec)
    }

    func taskFree(_ spec: ProbeSpec) -> TaskFreeRun? {
        guard case .http(let s) = spec.body else { return nil }
        return http.taskFree(s, probe: spec)
    }
}

/// Finishes every run at once (task-free), stamped by the test's clock: virtual time sees when runs start.
private struct InstantRunner: ProbeRunner {
    let clock: ManualClock

    func run(_ spec: ProbeSpec) async -> ProbeResult { Issue.record("ran in a task"); return HandRunner.result(spec.name) }

    func taskFree(_ spec: ProbeSpec) -> TaskFreeRun? {
        let clock = clock, name = spec.name
        return TaskFreeRun { finished in
            let now = clock.now()
            finished { ProbeResult(probe: name, kind: .http, verdict: .pass, startedAt: now, finishedAt: now) }
            return {}
        }
    }
}

/// Virtual time that moves only when `settled` says so (bounded: it gives up waiting after 10,000 yields).
private struct SettlingSleeper: ProbeSleeper {
    let clock: ManualClock
    let end: Date
    let settled: @Sendable () async -> Bool

    init(clock: ManualClock, until seconds: Double, settled: @escaping @Sendable () async -> Bool) {
        self.clock = clock; end = clock.now().addingTimeInterval(seconds); self.settled = settled
    }

    func sleep(seconds: Double) async throws {
        guard clock.now().addingTimeInterval(seconds) <= end else { throw CancellationError() }
        var tries = 0
        while !(await settled()), tries < 10_000 { tries += 1; await Task.yield() }
        clock.advance(by: seconds)
    }
}
