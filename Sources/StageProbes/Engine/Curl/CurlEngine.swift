import CCurl
import Foundation
import StageModel

/// HTTP over one libcurl multi handle, driven by one dedicated thread.
///
/// Any task may call `perform`; the request is queued, the thread is woken with `curl_multi_wakeup`,
/// and the result comes back through a continuation (or, with `start`, a callback on the engine thread). The multi handle keeps a connection cache, so
/// sequential requests to one host reuse a kept-alive connection. Cancelling the awaiting task removes
/// the transfer from the multi handle. Stream transfers (`stream(_:watch:)`) carry a watchdog whose next
/// deadline bounds the thread's poll timeout, so a silent stream is ended on time.
public final class CurlEngine: Sendable {
    private let core: CurlEngineCore

    /// `curl_global_init` is not thread-safe and must run before any other curl call.
    private static let globalInit: CURLcode = stc_global_init_all()

    /// - Parameter maxCachedConnections: size of the multi handle's connection cache (CURLMOPT_MAXCONNECTS);
    ///   nil keeps curl's default (4 × transfers in flight).
    public init(maxCachedConnections: Int? = nil) {
        _ = Self.globalInit
        core = CurlEngineCore(maxCachedConnections: maxCachedConnections)
        let core = self.core
        let thread = Thread {
            // Named from inside, for top -H, perf and gdb (see `nameThisThread`).
            nameThisThread("stagetop.curl")
            core.run()
        }
        thread.start()
    }

    deinit {
        // Nobody can submit any more; let the thread finish on its own rather than block here.
        core.requestStop()
    }

    /// Runs one request. Never throws: transport problems come back as `TransportFailure`.
    public func perform(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        await run(request, tap: nil)
    }

    /// Runs one request, with a stream tap when the body is to be timed and watched (`stream(_:watch:)`).
    func run(_ request: HTTPRequest, tap: StreamTap?) async -> Result<HTTPResponse, TransportFailure> {
        let core = self.core
        let id = core.reserveID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                core.submit(CurlTransfer(id: id, request: request, tap: tap, completion: { continuation.resume(returning: $0) }))
            }
        } onCancel: {
            core.cancel(id)
        }
    }

    /// Starts one request without a task: `done` is called once, on the engine thread (or at once on this
    /// one when the engine has stopped), and must return quickly, since every other transfer waits for it.
    /// The scheduler's task-free runs use this (see `ProbeScheduler.launch`). Returns the id `cancel` takes.
    public func start(_ request: HTTPRequest, done: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> UInt64 {
        let id = core.reserveID()
        core.submit(CurlTransfer(id: id, request: request, tap: nil, completion: done))
        return id
    }

    /// Ends a transfer begun with `start`: its `done` gets a cancelled failure, unless it has finished.
    public func cancel(_ id: UInt64) {
        core.cancel(id)
    }

    /// Stops the thread: transfers still in flight complete as cancelled, later `perform` calls fail at once.
    /// Returns when the thread has released the multi handle.
    public func shutdown() {
        core.requestStop()
        core.waitUntilStopped()
    }

    /// Runs a scheduler's driver on this engine's thread (`DriverThread`, `DriverHost`).
    var driverHost: any DriverHost { core }

    /// Transfers queued or in flight (for tests and the dashboard's footer).
    public var inFlight: Int { core.inFlight }

    /// Wake-ups sent to the engine's thread so far (tests).
    var wakeupsSent: Int { core.wakeups }

    /// Transfers curl is working on right now (handed to the multi handle, not yet finished).
    public var activeTransfers: Int { core.activeCount }
}

/// The engine's state. `shared` is touched by any thread under its lock; everything else only by the engine thread.
final class CurlEngineCore: @unchecked Sendable {
    private enum Phase { case reserved, cancelledBeforeSubmit, queued, active }
    private enum Command { case add(CurlTransfer), cancel(UInt64) }

    private struct Shared {
        var nextID: UInt64 = 1
        var phases: [UInt64: Phase] = [:]
        var inbox: [Command] = []
        var stopping = false
        var stopped = false
        /// A wakeup is on its way to the thread; further submits before it drains need not send another.
        var wakePending = false
        /// Wake-ups sent to the thread so far (tests).
        var wakeups = 0
        /// The engine's thread, once it runs: what it queues itself it drains before it sleeps, unwoken.
        var thread: pthread_t?
        /// Scheduler drivers whose work runs on this thread (`DriverHost`).
        var drivers: [DriverThread] = []

        var onEngineThread: Bool { thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }

        /// Wakes the engine thread at most once per drain (each wakeup is a write to curl's socketpair).
        mutating func wake(_ multi: UnsafeMutableRawPointer?) {
            if onEngineThread { return }
            guard !wakePending, let multi else { return }
            wakePending = true
            wakeups += 1
            curl_multi_wakeup(multi)
        }
    }

    private let shared = Locked(Shared())
    private let stoppedSignal = DispatchSemaphore(value: 0)
    private let multi: UnsafeMutableRawPointer?

    // Engine thread only.
    private var byHandle: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var byID: [UInt64: CurlTransfer] = [:]
    /// Stream transfers whose watchdogs the loop asks after every wake-up.
    private var watched: [UInt64: CurlTransfer] = [:]
    /// Easy handles kept for the next transfers, still configured for their last request (`CurlSpareHandles`).
    private var spares = CurlSpareHandles(limit: 64)

    init(maxCachedConnections: Int?) {
        multi = curl_multi_init()
        if let multi, let maxCachedConnections {
            stc_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCachedConnections)
        }
    }

    var inFlight: Int { shared.withLock { s in s.phases.values.count { $0 == .queued || $0 == .active } } }
    var wakeups: Int { shared.withLock { $0.wakeups } }
    var activeCount: Int { shared.withLock { s in s.phases.values.count { $0 == .active } } }

    func reserveID() -> UInt64 {
        shared.withLock { s in
            let id = s.nextID
            s.nextID += 1
            s.phases[id] = .reserved
            return id
        }
    }

    func submit(_ t: CurlTransfer) {
        enum Outcome { case queued, cancelled, stopped }
        let outcome: Outcome = shared.withLock { s in
            if s.stopping || multi == nil { s.phases[t.id] = nil; return .stopped }
            if s.phases[t.id] == .cancelledBeforeSubmit { s.phases[t.id] = nil; return .cancelled }
            s.phases[t.id] = .queued
            s.inbox.append(.add(t))
            // Inside the lock: the thread frees the multi handle only after it has seen `stopping`.
            s.wake(multi)
            return .queued
        }
        switch outcome {
        case .queued: break
        case .cancelled: t.complete(.failure(Self.cancelledFailure))
        case .stopped: t.complete(.failure(Self.stoppedFailure(multi == nil)))
        }
    }

    func cancel(_ id: UInt64) {
        let pulled: CurlTransfer? = shared.withLock { s in
            switch s.phases[id] {
            case .reserved?:
                // The cancellation handler can run before the continuation body has submitted.
                s.phases[id] = .cancelledBeforeSubmit
                return nil
            case .queued?:
                s.phases[id] = nil
                guard let i = s.inbox.firstIndex(where: { if case .add(let t) = $0 { t.id == id } else { false } }),
                      case .add(let t) = s.inbox.remove(at: i) else { return nil }
                return t
            case .active?:
                if !s.stopping {
                    s.inbox.append(.cancel(id))
                    s.wake(multi)
                }
                return nil
            case .cancelledBeforeSubmit?, nil:
                return nil  // already finished, or already cancelled
            }
        }
        pulled?.complete(.failure(Self.cancelledFailure))
    }

    func requestStop() {
        shared.withLock { s in
            guard !s.stopping else { return }
            s.stopping = true
            if let multi { curl_multi_wakeup(multi) }
        }
    }

    func waitUntilStopped() {
        if shared.withLock({ $0.stopped }) { return }
        stoppedSignal.wait()
        stoppedSignal.signal()  // let any other waiter through too
    }

    // MARK: - Engine thread

    func run() {
        guard let multi else { finish(); return }
        shared.withLock { $0.thread = pthread_self() }
        var running: Int32 = 0
        while true {
            let (commands, stopping) = shared.withLock { s -> ([Command], Bool) in
                let c = s.inbox
                s.inbox.removeAll(keepingCapacity: true)
                s.wakePending = false
                for case .add(let t) in c { s.phases[t.id] = .active }
                return (c, s.stopping)
            }
            if stopping {
                for case .add(let t) in commands { t.complete(.failure(Self.stoppedFailure(false))) }
                break
            }
            for command in commands {
                switch command {
                case .add(let t): start(t, multi)
                case .cancel(let id): if let t = byID[id] { remove(t, multi, with: .failure(Self.cancelledFailure)) }
                }
            }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard stc_msg_is_done(msg) != 0, let easy = stc_msg_easy(msg), let t = byHandle[easy] else { continue }
                let code = stc_msg_result(msg)
                t.tap?.finished(at: StreamTap.now())
                remove(t, multi, with: t.result(for: code))
            }
            var timeoutMs = checkWatchdogs(multi)
            // The drivers hosted here: they collect what just finished and start what is due, and the
            // requests they start are taken at the top of the loop, without a wake-up.
            let drivers = shared.withLock { $0.drivers }
            for driver in drivers {
                guard let seconds = driver.turn() else { continue }
                // Rounded up to whole milliseconds, like a watchdog's: a sleep ends at most 1 ms late.
                timeoutMs = min(timeoutMs, Int32(min(1000, (seconds * 1000).rounded(.up))))
            }
            if shared.withLock({ !$0.inbox.isEmpty }) { continue }
            // Sleeps until a socket is ready, curl's next timeout (curl_multi_poll never waits past it),
            // a wakeup from submit/cancel/stop, the next watchdog deadline (a stalled stream delivers no
            // callback, so the deadline must wake the thread by itself) or a driver's next timer.
            stc_multi_poll(multi, timeoutMs)
        }
        for t in Array(byID.values) { remove(t, multi, with: .failure(Self.stoppedFailure(false))) }
        finish()
        spares.removeAll()
        curl_multi_cleanup(multi)
    }

    /// Ends every stream whose watchdog has fired (the handle is removed, so curl closes that connection)
    /// and returns how long the poll may sleep: until the nearest deadline, at most a second.
    private func checkWatchdogs(_ multi: UnsafeMutableRawPointer) -> Int32 {
        var timeoutMs: Int32 = 1000
        guard !watched.isEmpty else { return timeoutMs }
        let now = StreamTap.now()
        for t in Array(watched.values) {
            guard let tap = t.tap else { continue }
            switch tap.check(at: now) {
            case .fired:
                // Status, headers and body so far: the runner judges a 403 by its status, a 200 as a hang.
                remove(t, multi, with: t.result(for: CURLE_OK))
            case .waiting(let deadline?):
                // Rounded up to the poll's whole milliseconds: at most 1 ms late, never a busy spin before it.
                let ms = ((deadline - now) * 1000).rounded(.up)
                timeoutMs = min(timeoutMs, Int32(max(0, min(ms, 1000))))
            case .waiting(nil):
                break
            }
        }
        return timeoutMs
    }

    private func start(_ t: CurlTransfer, _ multi: UnsafeMutableRawPointer) {
        if let failure = t.makeHandle(reusing: spares.take(for: t.request)) {
            done(t, with: .failure(failure))
            return
        }
        guard let easy = t.easy else { return }
        // The limits count from here, when curl gets the transfer (as curl's own timings do).
        t.tap?.begin(at: StreamTap.now())
        let rc = curl_multi_add_handle(multi, easy)
        guard rc == CURLM_OK else {
            done(t, with: .failure(TransportFailure(code: Int(rc.rawValue), message: String(cString: curl_multi_strerror(rc)),
                                                    failureClass: .config)))
            return
        }
        byHandle[easy] = t
        byID[t.id] = t
        if t.tap != nil { watched[t.id] = t }
    }

    private func remove(_ t: CurlTransfer, _ multi: UnsafeMutableRawPointer, with result: Result<HTTPResponse, TransportFailure>) {
        if let easy = t.easy {
            curl_multi_remove_handle(multi, easy)
            byHandle[easy] = nil
        }
        byID[t.id] = nil
        watched[t.id] = nil
        done(t, with: result)
    }

    private func done(_ t: CurlTransfer, with result: Result<HTTPResponse, TransportFailure>) {
        if let spare = t.detachSpare() { spares.put(spare) }
        shared.withLock { s in s.phases[t.id] = nil }
        t.complete(result)
    }

    /// Marks the engine stopped, fails whatever was queued after the last drain, and hands the drivers it
    /// hosted their own threads (their sleeps and collecting go on there).
    private func finish() {
        let (leftovers, drivers): ([CurlTransfer], [DriverThread]) = shared.withLock { s in
            s.stopping = true
            s.stopped = true
            let ts = s.inbox.compactMap { if case .add(let t) = $0 { t } else { nil } }
            s.inbox.removeAll()
            s.phases.removeAll()
            defer { s.drivers.removeAll() }
            return (ts, s.drivers)
        }
        for t in leftovers { t.complete(.failure(Self.stoppedFailure(multi == nil))) }
        for d in drivers { d.hostEnded() }
        stoppedSignal.signal()
    }

    static let cancelledFailure = TransportFailure(code: 0, message: "cancelled", failureClass: .network, cancelled: true)

    static func stoppedFailure(_ noMulti: Bool) -> TransportFailure {
        noMulti
            ? TransportFailure(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_multi_init failed", failureClass: .config)
            : TransportFailure(code: 0, message: "HTTP engine shut down", failureClass: .network, cancelled: true)
    }
}

extension CurlEngineCore: DriverHost {
    func adopt(_ driver: DriverThread) -> Bool {
        shared.withLock { s in
            guard !s.stopping, multi != nil else { return false }
            s.drivers.append(driver)
            return true
        }
    }

    func release(_ driver: DriverThread) {
        shared.withLock { s in s.drivers.removeAll { $0 === driver } }
    }

    func wakeForDriver() -> Bool {
        shared.withLock { s in
            guard !s.stopping else { return false }
            s.wake(multi)
            return true
        }
    }

    var isHostThread: Bool { shared.withLock { $0.onEngineThread } }
}
