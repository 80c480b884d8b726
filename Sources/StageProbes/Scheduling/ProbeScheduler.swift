import Foundation
import StageModel

/// Runs every enabled probe every `interval` (± jitter) in watch mode, or all of them once for `check`.
///
/// Each probe has its own loop task. A loop belongs to a generation: `runNow`, `pause` and `stop` retire a
/// generation rather than interrupt a run in flight, so a run that started always reports its result
/// (except after `stop`, which cancels the transfers themselves).
///
/// Load is stagetop's own business, never the server's latency: at most `maxInFlight` runs are in flight
/// (a burst or a concurrency probe is one run: its parallelism is deliberate), a run that waits for a slot
/// reports the wait as `queueMs` apart from its latency (which its runner measures from the request's start),
/// and many probes' first runs are spread over their interval (`Jitter.firstDelays`) instead of all at once.
public actor ProbeScheduler {
    private let specs: [ProbeSpec]
    private let runner: any ProbeRunner
    private let clock: any WallClock
    private let sleeper: any ProbeSleeper
    private let jitter: Double
    private let sink: @Sendable (ProbeEvent) -> Void
    private var rng: SplitMix64

    private var loops: [String: Task<Void, Never>] = [:]
    private var generations: [String: Int] = [:]
    private var running: Set<String> = []
    private var oneShots: [UUID: Task<Void, Never>] = [:]
    private var started = false
    public private(set) var isPaused = false
    /// Runs in flight, and those waiting for a slot (FIFO).
    public let maxInFlight: Int
    public private(set) var inFlight = 0
    public private(set) var peakInFlight = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - seed: fixes the jitter sequence (tests); nil seeds from the system generator.
    ///   - jitter: fraction of the interval each delay may vary by (0.1 = ±10 %).
    ///   - maxInFlight: runs in flight at once (`defaults.max_in_flight`).
    public init(probes: [ProbeSpec], runner: any ProbeRunner, clock: any WallClock = SystemClock(),
                sleeper: any ProbeSleeper = TaskSleeper(), seed: UInt64? = nil, jitter: Double = 0.1,
                maxInFlight: Int = Defaults.standardMaxInFlight, sink: @escaping @Sendable (ProbeEvent) -> Void) {
        specs = probes
        self.maxInFlight = max(1, maxInFlight)
        self.runner = runner; self.clock = clock; self.sleeper = sleeper; self.jitter = jitter; self.sink = sink
        var system = SystemRandomNumberGenerator()
        rng = SplitMix64(seed: seed ?? system.next())
    }

    // MARK: - check

    /// Runs the named probes (all when nil) once, concurrently; results come back in config order.
    /// Disabled probes yield a `skip` result without running. Events go to the sink as well.
    public func runOnce(_ names: [String]? = nil) async -> [ProbeResult] {
        let chosen = specs.filter { names?.contains($0.name) ?? true }
        return await withTaskGroup(of: (Int, ProbeResult?).self) { group in
            for (i, spec) in chosen.enumerated() {
                if !spec.enabled {
                    let r = ProbeResult.skipped(spec, at: clock.now())
                    sink(.finished(r))
                    group.addTask { (i, r) }
                    continue
                }
                group.addTask { (i, await self.runOne(spec)) }
            }
            var out = [ProbeResult?](repeating: nil, count: chosen.count)
            for await (i, r) in group { out[i] = r }
            return out.compactMap { $0 }
        }
    }

    // MARK: - watch

    /// Starts the periodic loops. Disabled probes get one `skip` result and no loop.
    public func start() {
        guard !started else { return }
        started = true
        for spec in specs where !spec.enabled { sink(.finished(.skipped(spec, at: clock.now()))) }
        if !isPaused { startAllLoops() }
    }

    /// Stops every loop and cancels runs in flight; nothing more reaches the sink.
    public func stop() {
        started = false
        for (name, task) in loops {
            task.cancel()
            generations[name, default: 0] += 1
        }
        loops.removeAll()
        for task in oneShots.values { task.cancel() }
        oneShots.removeAll()
        // Waiters wake, see they were cancelled, and give their slot back without running.
        let woken = waiting
        waiting.removeAll()
        inFlight += woken.count
        for w in woken { w.resume() }
    }

    /// No new runs start; runs in flight finish and report.
    public func pause() {
        guard !isPaused else { return }
        isPaused = true
        retireAllLoops()
    }

    /// Loops start again, each first run within the jitter window.
    public func resume() {
        guard isPaused else { return }
        isPaused = false
        if started { startAllLoops() }
    }

    /// Runs one probe now (the dashboard's `r`). In watch mode its interval restarts from this run.
    /// Returns false for an unknown or disabled probe; a probe already running is not run twice.
    @discardableResult
    public func runNow(_ name: String) -> Bool {
        guard let spec = specs.first(where: { $0.name == name }), spec.enabled else { return false }
        if running.contains(name) { return true }
        if started && !isPaused {
            retire(name)
            startLoop(spec, firstDelay: 0)
        } else {
            let id = UUID()
            oneShots[id] = Task {
                _ = await self.runOne(spec)
                self.oneShotDone(id)
            }
        }
        return true
    }

    public var runningProbes: Set<String> { running }

    // MARK: - Internals

    private func startAllLoops() {
        let enabled = specs.filter(\.enabled)
        // Probes sharing an interval are spread together; a handful fill the screen within the jitter window.
        for (_, group) in Dictionary(grouping: enabled, by: { $0.interval }) {
            let delays = Jitter.firstDelays(count: group.count, interval: group[0].interval.seconds, fraction: jitter, using: &rng)
            for (spec, delay) in zip(group, delays) { startLoop(spec, firstDelay: delay) }
        }
    }

    private func startLoop(_ spec: ProbeSpec, firstDelay: Double) {
        let generation = generations[spec.name, default: 0]
        loops[spec.name] = Task { await self.loop(spec, generation: generation, firstDelay: firstDelay) }
    }

    private func retireAllLoops() {
        for name in Array(loops.keys) { retire(name) }
    }

    /// Ends a probe's loop: a sleeping loop is cancelled; a running one finishes its run, reports, then exits.
    private func retire(_ name: String) {
        generations[name, default: 0] += 1
        if let task = loops.removeValue(forKey: name), !running.contains(name) { task.cancel() }
    }

    private func oneShotDone(_ id: UUID) { oneShots[id] = nil }

    private func isCurrent(_ name: String, _ generation: Int) -> Bool {
        generations[name, default: 0] == generation && !Task.isCancelled
    }

    private func loop(_ spec: ProbeSpec, generation: Int, firstDelay: Double) async {
        var delay = firstDelay
        while true {
            if delay > 0 {
                do { try await sleeper.sleep(seconds: delay) } catch { return }
            }
            guard isCurrent(spec.name, generation) else { return }
            _ = await runOne(spec)
            guard isCurrent(spec.name, generation) else { return }
            delay = Jitter.delay(interval: spec.interval.seconds, fraction: jitter, using: &rng)
        }
    }

    /// One run with its events. Nil when the probe was already running or the run was cancelled by `stop`.
    private func runOne(_ spec: ProbeSpec) async -> ProbeResult? {
        guard !running.contains(spec.name) else { return nil }
        running.insert(spec.name)
        defer { running.remove(spec.name) }
        let due = clock.now()
        await acquireSlot()
        defer { releaseSlot() }
        if Task.isCancelled { return nil }
        let start = clock.now()
        sink(.started(probe: spec.name, at: start))
        var result = await runner.run(spec)
        if Task.isCancelled { return nil }
        // Time spent waiting for a slot: stagetop's queue, reported apart, never inside the latency.
        result.queueMs = max(0, start.timeIntervalSince(due) * 1000)
        sink(.finished(result))
        return result
    }

    private func acquireSlot() async {
        if inFlight < maxInFlight {
            inFlight += 1
        } else {
            // The slot is handed over by `releaseSlot` (inFlight stays counted for us).
            await withCheckedContinuation { waiting.append($0) }
        }
        peakInFlight = max(peakInFlight, inFlight)
    }

    private func releaseSlot() {
        if waiting.isEmpty {
            inFlight -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
