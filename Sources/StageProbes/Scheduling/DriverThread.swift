import Foundation

/// One thread that runs the scheduler's driver, its naps and the collecting of finished runs: a task
/// executor (SE-0417) with a timer of its own. Given a host (the curl engine, `DriverHost`), it has no thread
/// of its own: the host's loop runs its jobs and its nap between its own work (`turn`).
///
/// On the shared pool, each of the driver's wake-ups took a dispatch timer thread's wake-up, a pool
/// thread's, and a second pool hop for the sleep's own task: at 1,000 runs a second, ~480 thread
/// wake-ups a second (`/proc/PID/task/*/status`). Here a wake-up is this thread leaving its condition
/// wait: the timer and the driver both run on it. The scheduler is still a default actor:
/// work that others send it (`check`, the dashboard's keys) runs where they run, and a task-path run's
/// runner runs on the shared pool, as before (`ProbeScheduler.launch`).
///
/// Hosted on the curl thread, the driver starts its requests and collects their results where curl sends
/// and receives them: no wake-up of another thread, and no write to curl's wake-up socket, per batch.
final class DriverThread: TaskExecutor, @unchecked Sendable {  // everything mutable is under `mutex`
    // Allocated: a class's stored property has no stable address to hand to pthreads.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    /// The driver's nap under way (one driver, so one nap at a time), and whether a wake came while none was.
    private var nap: Nap?
    private var napWakeOwed = false
    private var stopping = false
    private var waiting = false
    /// The thread is in `run`. A job or nap that comes after it ended (a test's own sleeper resuming late)
    /// starts it again rather than wait for ever.
    private var alive = true
    /// The loop that runs this executor's work instead of a thread of its own; nil once it has stopped.
    private var host: (any DriverHost)?
    private let name: String

    private struct Nap {
        var deadline: timespec
        /// Resumed with true when woken early.
        var continuation: CheckedContinuation<Bool, Never>
    }

    /// - Parameter host: a loop to run on (the curl engine's); nil, or one that has stopped, gives the
    ///   executor a thread of its own.
    init(name: String = "stagetop.driver", host: (any DriverHost)? = nil) {
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        // Deadlines on the monotonic clock: a wall-clock step must not stretch or cut a nap.
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
        pthread_mutex_init(mutex, nil)
        self.name = name
        if let host {
            // Set before the host can call `turn`, which reads it.
            locked { self.host = host; alive = false }
            if host.adopt(self) { return }
            locked { self.host = nil; alive = true }
        }
        startThread()
    }

    deinit {
        // Here, not when `run` ends: a late `enqueue` may still take the lock after the thread has gone.
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    private func startThread() {
        let thread = Thread { [self] in
            nameThisThread(name)
            run()
        }
        thread.start()
    }

    private enum Poke { case none, startThread, wake(any DriverHost) }

    /// Wakes the thread (or the host's loop) for new work, or starts the thread again if it ended. Called
    /// with the lock held; what it returns is done outside the lock (`act`).
    private func poke() -> Poke {
        if let host { return host.isHostThread ? .none : .wake(host) }
        if waiting { pthread_cond_signal(cond) }
        guard !alive else { return .none }
        alive = true
        return .startThread
    }

    private func act(_ poke: Poke) {
        switch poke {
        case .none: break
        case .startThread: startThread()
        case .wake(let host): if !host.wakeForDriver() { hostEnded() }
        }
    }

    /// The host has stopped (or is stopping): what is queued or napping here goes on on a thread of its own.
    func hostEnded() {
        let start: Bool = locked {
            guard host != nil else { return false }
            host = nil
            guard !alive else { return false }
            alive = true
            return true
        }
        if start { startThread() }
    }

    /// Lets the thread end (or the host let go) once nothing is queued or napping on it (the scheduler is gone).
    func shutdown() {
        act(locked {
            stopping = true
            if host == nil { pthread_cond_signal(cond) }
            return host.map { .wake($0) } ?? .none
        })
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        act(locked {
            jobs.append(job)
            return poke()
        })
    }

    /// The scheduler's driver's sleep: `seconds`, or until `wakeNap`, and then true. A sleep that can be
    /// woken early needs no task of its own to cancel (each was a task, its start, a cancellation handler and
    /// its result: ~2 % of the CPU at 1,000 runs a second, measured against it).
    func nap(seconds: Double) async -> Bool {
        await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let deadline = Self.monotonic(after: seconds)
            let (early, replaced, wake): (Bool, Nap?, Poke) = locked {
                if napWakeOwed {
                    napWakeOwed = false
                    return (true, nil, .none)
                }
                // A second nap (never, with one driver) wakes the first rather than leave it waiting for ever.
                defer { nap = Nap(deadline: deadline, continuation: c) }
                return (false, nap, poke())
            }
            act(wake)
            replaced?.continuation.resume(returning: true)
            if early { c.resume(returning: true) }
        }
    }

    /// Ends the nap under way (it returns true); with none under way yet, the next one returns at once.
    func wakeNap() {
        let woken: Nap? = locked {
            defer { nap = nil }
            if nap == nil { napWakeOwed = true }
            return nap
        }
        woken?.continuation.resume(returning: true)
    }

    // MARK: - The thread

    private func run() {
        while true {
            var batch: [UnownedJob] = []
            var due: Nap?
            let done: Bool = locked {
                while true {
                    if takeWork(&batch, &due) { return false }
                    if stopping && nap == nil {
                        alive = false
                        return true
                    }
                    waiting = true
                    if var next = nap?.deadline {
                        pthread_cond_timedwait(cond, mutex, &next)
                    } else {
                        pthread_cond_wait(cond, mutex)
                    }
                    waiting = false
                }
            }
            if done { break }
            runWork(batch, due)
        }
    }

    /// Hosted: runs the jobs queued and the nap if it is due, and returns how long the host's loop may wait
    /// before it calls again (seconds; nil: until it is woken). Work that the work queued runs too, a few rounds.
    func turn() -> Double? {
        for _ in 0..<8 {
            var batch: [UnownedJob] = []
            var due: Nap?
            enum Next { case work, wait(Double?), release(any DriverHost) }
            let next: Next = locked {
                // Handed over to a thread of its own (the host is stopping): that thread runs it.
                guard let host else { return .wait(nil) }
                if takeWork(&batch, &due) { return .work }
                if stopping && nap == nil {
                    self.host = nil
                    return .release(host)
                }
                return .wait(nap.map { Self.secondsUntil($0.deadline) })
            }
            switch next {
            case .work: runWork(batch, due)
            case .wait(let seconds): return seconds
            case .release(let host):
                host.release(self)
                return nil
            }
        }
        return 0
    }

    /// Takes the queued jobs and the nap if it is due (under the lock); false when there is neither.
    private func takeWork(_ batch: inout [UnownedJob], _ due: inout Nap?) -> Bool {
        if let n = nap {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            if !Self.before(now, n.deadline) {
                due = n
                nap = nil
            }
        }
        guard !jobs.isEmpty || due != nil else { return false }
        swap(&batch, &jobs)
        return true
    }

    private func runWork(_ batch: [UnownedJob], _ due: Nap?) {
        // A nap that ended resumes the driver, whose task runs here too: it is queued and runs next round.
        due?.continuation.resume(returning: false)
        for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    private static func monotonic(after seconds: Double) -> timespec {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        let ns = Int(t.tv_nsec) + Int((max(0, seconds) * 1e9).rounded(.up))
        t.tv_sec += ns / 1_000_000_000
        t.tv_nsec = ns % 1_000_000_000
        return t
    }

    private static func secondsUntil(_ deadline: timespec) -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return max(0, Double(deadline.tv_sec - now.tv_sec) + Double(deadline.tv_nsec - now.tv_nsec) / 1e9)
    }

    private static func before(_ a: timespec, _ b: timespec) -> Bool {
        a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec)
    }
}

/// A loop that runs a `DriverThread`'s work between its own (the curl engine's thread: `CurlEngineCore`).
protocol DriverHost: AnyObject, Sendable {
    /// Takes the driver on: the loop calls its `turn()` every round until `release`. False when the loop
    /// has stopped.
    func adopt(_ driver: DriverThread) -> Bool
    func release(_ driver: DriverThread)
    /// Makes the loop call `turn()` soon. False when it has stopped or is stopping (the driver then moves to
    /// a thread of its own; the loop also calls `hostEnded` on every driver it still has when it ends).
    func wakeForDriver() -> Bool
    /// The caller is the loop's own thread: work queued there is run before the loop sleeps, unwoken.
    var isHostThread: Bool { get }
}
