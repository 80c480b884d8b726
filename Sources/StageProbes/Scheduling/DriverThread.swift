import Foundation

/// One thread that runs the scheduler's driver, its sleeps and the collecting of finished runs: a task
/// executor (SE-0417) with timers of its own.
///
/// On the shared pool, each of the driver's wake-ups took a dispatch timer thread's wake-up, a pool
/// thread's, and a second pool hop for the sleep's own task: at 1,000 runs a second, ~480 thread
/// wake-ups a second (`/proc/PID/task/*/status`). Here a wake-up is this thread leaving its condition
/// wait: the timer, the sleep's task and the driver all run on it. The scheduler is still a default actor:
/// work that others send it (`check`, the dashboard's keys) runs where they run, and a task-path run's
/// runner runs on the shared pool, as before (`ProbeScheduler.launch`).
final class DriverThread: TaskExecutor, ProbeSleeper, @unchecked Sendable {  // everything mutable is under `mutex`
    // Allocated: a class's stored property has no stable address to hand to pthreads.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var timers: [Timer] = []
    /// Timers cancelled before they were set (the cancellation handler can run first).
    private var cancelledEarly: Set<UInt64> = []
    private var nextTimerID: UInt64 = 1
    private var stopping = false
    private var waiting = false
    /// The thread is in `run`. A job or timer that comes after it ended (a test's own sleeper resuming late)
    /// starts it again rather than wait for ever.
    private var alive = true
    private let name: String

    private struct Timer {
        var id: UInt64
        var deadline: timespec
        var continuation: CheckedContinuation<Void, any Error>
    }

    init(name: String = "stagetop.driver") {
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        // Deadlines on the monotonic clock: a wall-clock step must not stretch or cut a sleep.
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
        pthread_mutex_init(mutex, nil)
        self.name = name
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
            Thread.current.name = name
            run()
        }
        thread.start()
    }

    /// Wakes the thread for new work, or starts it again if it ended. Called with the lock held; returns
    /// whether to start it (outside the lock).
    private func poke() -> Bool {
        if waiting { pthread_cond_signal(cond) }
        guard !alive else { return false }
        alive = true
        return true
    }

    /// Lets the thread end once nothing is queued or timed on it (the scheduler is gone).
    func shutdown() {
        locked {
            stopping = true
            pthread_cond_signal(cond)
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let revive = locked {
            jobs.append(job)
            return poke()
        }
        if revive { startThread() }
    }

    /// Returns after `seconds` on this thread's clock, or throws `CancellationError` when the task is
    /// cancelled first (the driver is woken for an earlier run).
    func sleep(seconds: Double) async throws {
        let id: UInt64 = locked {
            defer { nextTimerID += 1 }
            return nextTimerID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let deadline = Self.monotonic(after: seconds)
                let (early, revive): (Bool, Bool) = locked {
                    if cancelledEarly.remove(id) != nil { return (true, false) }
                    timers.append(Timer(id: id, deadline: deadline, continuation: c))
                    return (false, poke())
                }
                if revive { startThread() }
                if early { c.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let timer: Timer? = locked {
                guard let i = timers.firstIndex(where: { $0.id == id }) else {
                    cancelledEarly.insert(id)
                    return nil
                }
                return timers.remove(at: i)
            }
            timer?.continuation.resume(throwing: CancellationError())
        }
        // A timer that fired needs no record; one cancelled after it fired left its id behind.
        locked { _ = cancelledEarly.remove(id) }
    }

    // MARK: - The thread

    private func run() {
        while true {
            var batch: [UnownedJob] = []
            var due: [Timer] = []
            let done: Bool = locked {
                while true {
                    var now = timespec()
                    clock_gettime(CLOCK_MONOTONIC, &now)
                    var i = 0
                    while i < timers.count {
                        if Self.before(timers[i].deadline, now) || Self.same(timers[i].deadline, now) {
                            due.append(timers.remove(at: i))
                        } else {
                            i += 1
                        }
                    }
                    if !jobs.isEmpty || !due.isEmpty {
                        swap(&batch, &jobs)
                        return false
                    }
                    if stopping && timers.isEmpty {
                        alive = false
                        return true
                    }
                    waiting = true
                    if var next = timers.map(\.deadline).min(by: Self.before) {
                        pthread_cond_timedwait(cond, mutex, &next)
                    } else {
                        pthread_cond_wait(cond, mutex)
                    }
                    waiting = false
                }
            }
            if done { break }
            // A fired timer resumes its sleep, whose task runs here too: it is queued and runs next round.
            for t in due { t.continuation.resume() }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
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

    private static func before(_ a: timespec, _ b: timespec) -> Bool {
        a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec)
    }

    private static func same(_ a: timespec, _ b: timespec) -> Bool { a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec }
}
