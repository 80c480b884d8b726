import Foundation
import StageModel

/// Runs every enabled probe every `interval` (± jitter) in watch mode, or all of them once for `check`.
///
/// Each probe's next run waits in one due-time heap, started by one driver task (see `drive` and `launch`:
/// an HTTP run needs no task of its own). A probe's schedule belongs to a generation: `runNow`, `pause` and
/// `stop` retire a generation rather than interrupt a run in flight, so a run that started always reports
/// its result (except after `stop`, which cancels the transfers themselves).
///
/// Load is stagetop's own business, never the server's latency: at most `maxInFlight` runs are in flight
/// (a burst or a concurrency probe is one run: its parallelism is deliberate), a run that waits for a slot
/// reports the wait as `queueMs` apart from its latency (which its runner measures from the request's start),
/// and many probes' first runs are spread over their interval (`Jitter.firstDelays`) instead of all at once.
public actor ProbeScheduler {
    private let specs: [ProbeSpec]
    private let specsByName: [String: ProbeSpec]
    private let runner: any ProbeRunner
    private let clock: any WallClock
    /// What the driver sleeps with: a test's own (in a task, cancelled to wake it early), else a nap on
    /// `driverThread` (`DriverThread.nap`, woken early with `wakeNap`).
    private let customSleeper: (any ProbeSleeper)?
    /// Where the driver, its sleeps and the collecting of task-free runs run (watch mode; see `DriverThread`):
    /// the runner's curl thread when it has one.
    private var driverThread: DriverThread?
    private let jitter: Double
    private let sink: @Sendable (ProbeEvent) -> Void
    private var rng: SplitMix64

    /// Watch mode: one driver task sleeps until the earliest due run and starts it as a task of its own that
    /// ends with the run. A probe between runs is an entry in `due`, not a suspended task: a suspended task
    /// keeps its async stack at its high-water mark (~18 KB, heaptrack: 181 MB of 294 MB with 10,000 probes)
    /// and its own timer (one timer instead of 10,000).
    private var due = DueQueue()
    private var driver: Task<Void, Never>?
    private var driverSleep: Task<Void, any Error>?
    private var driverWoken = false
    /// The driver is in `DriverThread.nap` (no test sleeper): `wakeDriver` ends the nap.
    private var driverNapping = false
    private var parked: CheckedContinuation<Void, Never>?
    /// The driver's time (seconds since the reference date): what the sleeper slept, or the clock if later.
    private var virtualNow: Double = 0
    private var runTasks: [String: Task<Void, Never>] = [:]
    /// Task-free runs in flight (`launch`), by probe: each one's number and what cancels it.
    private var taskFreeRuns: [String: (number: Int, cancel: @Sendable () -> Void)] = [:]
    private var taskFreeNumber = 0
    /// Task-free runs that finished, waiting to be collected (filled on the engine's thread), and when the
    /// driver will next look at them: -∞ while it is awake (it looks before it sleeps), +∞ while parked.
    private nonisolated let finished = Locked<(runs: [FinishedRun], driverLooksAt: Double)>(([], -.infinity))
    private struct FinishedRun: Sendable {
        var name: String
        var number: Int
        var generation: Int
        /// How early it started (see `drive`): added to the next delay.
        var early: Double
        /// When its result came (the scheduler's clock, seconds): its next run is planned from here.
        var at: Double
        var judge: TaskFreeRun.Judge
    }
    /// Results wait at most this long for the driver's next wake-up (seconds); sooner ones are collected
    /// by a task of their own. Collecting with the driver saves a thread's wake-up per result (each a task, a
    /// futex and a scheduling slice), and the driver wakes at least once per coalescing window when runs
    /// share wake-ups: at 100 runs a second every ~100 ms, so a shorter wait (it was 50 ms) woke it again for
    /// nearly every result (53 wake-ups a second against 28, /proc/PID/task/*/status).
    static let collectLag = coalesce
    /// Runs due per second over all enabled probes: what the slack is sized by (see `slack(for:)`).
    private let runsPerSecond: Double
    /// Probes with a schedule in watch mode (their queued run is `due`'s entry of their current generation).
    private var loops: Set<String> = []
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
    /// Runs due but waiting for a slot.
    public var waitingForSlot: Int { waiting.count }

    /// - Parameters:
    ///   - seed: fixes the jitter sequence (tests); nil seeds from the system generator.
    ///   - jitter: fraction of the interval each delay may vary by (0.1 = ±10 %).
    ///   - maxInFlight: runs in flight at once (`defaults.max_in_flight`).
    public init(probes: [ProbeSpec], runner: any ProbeRunner, clock: any WallClock = SystemClock(),
                sleeper: (any ProbeSleeper)? = nil, seed: UInt64? = nil, jitter: Double = 0.1,
                maxInFlight: Int = Defaults.standardMaxInFlight, sink: @escaping @Sendable (ProbeEvent) -> Void) {
        specs = probes
        specsByName = Dictionary(probes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.maxInFlight = max(1, maxInFlight)
        self.runner = runner; self.clock = clock; customSleeper = sleeper; self.jitter = jitter; self.sink = sink
        var system = SystemRandomNumberGenerator()
        rng = SplitMix64(seed: seed ?? system.next())
        runsPerSecond = probes.filter(\.enabled).reduce(0) { $0 + 1 / max($1.interval.seconds, 0.001) }
    }

    deinit {
        driverThread?.shutdown()
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
        virtualNow = clock.now().timeIntervalSinceReferenceDate
        for spec in specs where !spec.enabled { sink(.finished(.skipped(spec, at: clock.now()))) }
        let thread = driverThread ?? DriverThread(host: runner.hostEngine?.driverHost)
        driverThread = thread
        driver = Task(executorPreference: thread) { await self.drive(on: thread) }
        if !isPaused { startAllLoops() }
    }

    /// Stops every loop and cancels runs in flight; nothing more reaches the sink.
    public func stop() {
        started = false
        for name in loops { generations[name, default: 0] += 1 }
        loops.removeAll()
        due = DueQueue()
        driver?.cancel()
        driver = nil
        driverSleep?.cancel()
        if driverNapping { driverThread?.wakeNap() }
        parked?.resume()
        parked = nil
        for task in runTasks.values { task.cancel() }
        runTasks.removeAll()
        // Their results are dropped when they come (no longer in `taskFreeRuns`); their slots free now.
        for (name, run) in taskFreeRuns {
            run.cancel()
            running.remove(name)
            inFlight -= 1
        }
        taskFreeRuns.removeAll()
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
        guard let spec = specsByName[name], spec.enabled else { return false }
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
        loops.insert(spec.name)
        schedule(spec.name, generation: generations[spec.name, default: 0], after: firstDelay)
    }

    /// Puts a run in the queue, `delay` from the driver's now, and wakes the driver if it is now the first.
    private func schedule(_ name: String, generation: Int, after delay: Double) {
        let base = currentTime()
        // `runNow` (delay 0) starts at once, on its own.
        let slack = delay == 0 ? 0 : slack(for: specsByName[name]?.interval.seconds ?? 0)
        let entry = DueQueue.Entry(due: base + delay, base: base, delay: delay, slack: slack, name: name, generation: generation)
        let wasFirst = due.peek.map { entry.due < $0.due } ?? true
        due.push(entry)
        if wasFirst { wakeDriver() }
    }

    /// The driver's now: moved by its sleeps, and snapped to the clock when the clock is ahead by more than a
    /// millisecond (a run took time, a sleep woke late) — so back-to-back planning sees one instant.
    private func currentTime() -> Double {
        let real = clock.now().timeIntervalSinceReferenceDate
        if real - virtualNow > 0.001 { virtualNow = real }
        return virtualNow
    }

    private func wakeDriver() {
        if let p = parked {
            parked = nil
            p.resume()
        } else if driverNapping {
            driverThread?.wakeNap()
        } else if let sleep = driverSleep {
            driverWoken = true
            sleep.cancel()
        }
    }

    /// Starts every run that is due, then sleeps until the next one (or parks until one is scheduled).
    private func drive(on thread: DriverThread) async {
        // Whatever ends the driver, results still to come are collected by tasks of their own.
        defer {
            finished.withLock { $0.driverLooksAt = .infinity }
            collectFinished()
        }
        while started, !Task.isCancelled {
            collectFinished()
            let now = currentTime()
            // Runs due within their slack start together: one wake-up (a timer, a thread woken) for up to
            // ten runs rather than one per run, which perf put at a sixth of the CPU with 1,000 runs a second.
            // Early starts stop at `batch` runs a wake-up: first runs come faster than the steady rate the
            // slack is sized by, and must not go out in one burst. A run that starts early (or a timer's
            // millisecond late) has its next run planned that much later (earlier), within its slack, so a
            // probe keeps its interval on average.
            var startedNow = 0
            while let top = due.peek, top.due <= now || (top.due <= now + top.slack && startedNow < Int(Self.batch)) {
                startedNow += 1
                due.pop()
                guard isCurrent(top.name, top.generation), let spec = specsByName[top.name] else { continue }
                launch(spec, generation: top.generation, early: max(-top.slack, min(top.slack, top.due - now)))
            }
            guard let next = due.peek else {
                guard lookNext(at: .infinity) else { continue }
                await withCheckedContinuation { parked = $0 }
                lookNext(at: -.infinity)
                continue
            }
            // The delay exactly as scheduled when nothing moved since (the seeded sequence, to the bit).
            let delay = next.base == now ? next.delay : next.due - now
            guard lookNext(at: now + delay) else { continue }
            defer { lookNext(at: -.infinity) }
            if let sleeper = customSleeper {
                driverWoken = false
                let sleep = Task(executorPreference: thread) { try await sleeper.sleep(seconds: delay) }
                driverSleep = sleep
                let outcome = await sleep.result
                driverSleep = nil
                if case .failure = outcome {
                    // Woken for an earlier run: plan again. Otherwise the sleeper ended the schedule.
                    if driverWoken { continue }
                    return
                }
            } else {
                driverNapping = true
                let woken = await thread.nap(seconds: delay)
                driverNapping = false
                // Woken for an earlier run, or by `stop` (the loop's condition sees it): plan again.
                if woken { continue }
            }
            virtualNow = max(virtualNow, now + delay)
            _ = currentTime()
        }
    }

    /// How early a run may start to share its wake-up with others, at most (seconds); see `slack(for:)`.
    static let coalesce = 0.1
    /// About this many runs share a wake-up, at most: on two cores, more requests sent at once queue at the
    /// server and in curl, and that queue would be read as the server's latency (in C, libcurl alone: 10 at
    /// once reported a median 1.1 ms, 25 at once 1.9 ms, against 0.8 ms one at a time).
    static let batch = 10.0

    /// How early a run may start: 10 % of its interval, at most `coalesce`, at most the time in which `batch`
    /// runs of the whole config fall due, and none when fewer than two runs would share it. On this machine a
    /// thread's wake-up costs tens of µs of CPU: libcurl alone, in C, sending 100 requests a second one per
    /// wake-up took 1.5–5 % of a core over four runs, ten per wake-up about 1 % (`Benchmarks/curl_floor.c`).
    private func slack(for interval: Double) -> Double {
        let window = min(Self.coalesce, interval * 0.1, Self.batch / max(runsPerSecond, 1e-9))
        return runsPerSecond * window >= 2 ? window : 0
    }

    /// Starts a due run: without a task when the runner can (`TaskFreeRun`) and a slot is free now, else in
    /// a task of its own that waits for a slot. A task-free run's result is collected in a batch with the
    /// others that finished meanwhile (`collectFinished`), one hop for many.
    private func launch(_ spec: ProbeSpec, generation: Int, early: Double) {
        guard !running.contains(spec.name), let run = runner.taskFree(spec), takeFreeSlot() else {
            runTasks[spec.name] = Task { await self.runAndReschedule(spec, generation: generation, early: early) }
            return
        }
        running.insert(spec.name)
        taskFreeNumber += 1
        let number = taskFreeNumber, name = spec.name, finished = finished, clock = clock, thread = driverThread
        sink(.started(probe: name, at: clock.now()))
        let cancel = run.start { judge in
            let at = clock.now().timeIntervalSinceReferenceDate
            let soon = finished.withLock { f in
                f.runs.append(FinishedRun(name: name, number: number, generation: generation, early: early, at: at, judge: judge))
                return f.runs.count > 1 || f.driverLooksAt - at <= Self.collectLag
            }
            if !soon { Task(executorPreference: thread) { await self.collectFinished() } }
        }
        // `finished` may already have been called; `collectFinished` runs after this returns (same actor).
        taskFreeRuns[name] = (number, cancel)
    }

    /// Says when the driver will next look at finished runs, unless some are waiting (then it must collect
    /// them first: false). One lock with the engine thread's append, so no result waits for a look that
    /// does not come.
    @discardableResult
    private func lookNext(at time: Double) -> Bool {
        finished.withLock { f in
            guard f.runs.isEmpty || time == -.infinity else { return false }
            f.driverLooksAt = time
            return true
        }
    }

    /// Reports the task-free runs that finished (judged here, not on the engine's thread) and schedules
    /// each probe's next run. Runs that `stop` cancelled are dropped: they are no longer in `taskFreeRuns`.
    private func collectFinished() {
        let batch = finished.withLock { f in
            let taken = f.runs
            f.runs.removeAll(keepingCapacity: true)
            return taken
        }
        guard !batch.isEmpty else { return }
        let now = currentTime()
        for f in batch {
            guard let run = taskFreeRuns[f.name], run.number == f.number else { continue }
            taskFreeRuns[f.name] = nil
            // Started as soon as it was due, with a free slot: nothing was queued.
            var result = f.judge()
            result.queueMs = 0
            sink(.finished(result))
            running.remove(f.name)
            releaseSlot()
            // Planned from when its result came, not from when it was collected (at most `collectLag` later).
            planNext(f.name, generation: f.generation, early: f.early - min(Self.collectLag, max(0, now - f.at)))
        }
    }

    private func runAndReschedule(_ spec: ProbeSpec, generation: Int, early: Double) async {
        _ = await runOne(spec)
        runTasks[spec.name] = nil
        planNext(spec.name, generation: generation, early: early)
    }

    /// Plans a probe's next run after one ended, unless its schedule ended meanwhile: an interval with
    /// jitter, plus how early the last one started (see `drive`) so the interval holds on average.
    private func planNext(_ name: String, generation: Int, early: Double) {
        guard isCurrent(name, generation), started, !isPaused, let spec = specsByName[name] else { return }
        schedule(name, generation: generation, after: Jitter.delay(interval: spec.interval.seconds, fraction: jitter, using: &rng) + early)
    }

    private func retireAllLoops() {
        for name in loops { retire(name) }
    }

    /// Ends a probe's loop: its queued run is dropped (stale generation); a running one finishes, reports,
    /// and is not scheduled again.
    private func retire(_ name: String) {
        generations[name, default: 0] += 1
        loops.remove(name)
    }

    private func oneShotDone(_ id: UUID) { oneShots[id] = nil }

    private func isCurrent(_ name: String, _ generation: Int) -> Bool {
        generations[name, default: 0] == generation && !Task.isCancelled
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
        if !takeFreeSlot() {
            // The slot is handed over by `releaseSlot` (inFlight stays counted for us).
            await withCheckedContinuation { waiting.append($0) }
            peakInFlight = max(peakInFlight, inFlight)
        }
    }

    /// Takes a slot if one is free now and nobody is waiting for one (waiters go first).
    private func takeFreeSlot() -> Bool {
        guard inFlight < maxInFlight, waiting.isEmpty else { return false }
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
        return true
    }

    private func releaseSlot() {
        if waiting.isEmpty {
            inFlight -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// Runs waiting for their time, earliest first (a binary min-heap).
struct DueQueue {
    struct Entry {
        var due: Double
        /// When and with which delay it was scheduled (`due = base + delay`).
        var base: Double
        var delay: Double
        /// How early it may start to share a wake-up (see `ProbeScheduler.slack(for:)`).
        var slack: Double
        var name: String
        var generation: Int
    }

    private var heap: [Entry] = []

    var peek: Entry? { heap.first }
    var count: Int { heap.count }

    mutating func push(_ e: Entry) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].due < heap[parent].due else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    @discardableResult
    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, heap[l].due < heap[m].due { m = l }
            if r < heap.count, heap[r].due < heap[m].due { m = r }
            guard m != i else { break }
            heap.swapAt(i, m)
            i = m
        }
        return top
    }
}
