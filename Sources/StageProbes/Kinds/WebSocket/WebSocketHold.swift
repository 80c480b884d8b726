import Foundation
import StageModel

/// How held-open probes behave between drops.
public struct WebSocketHoldOptions: Sendable {
    public var backoff: WebSocketBackoff
    /// Fixes every holder's jitter sequence (tests); nil seeds from the system generator.
    public var seed: UInt64?
    /// Also send each state change as `.finished` through the runner's event sink. Off by default: the
    /// scheduler's periodic `run` already reports the current state (see `WebSocketHolder`).
    public var pushResults: Bool

    public init(backoff: WebSocketBackoff = WebSocketBackoff(), seed: UInt64? = nil, pushResults: Bool = false) {
        self.backoff = backoff; self.seed = seed; self.pushResults = pushResults
    }
}

/// One held-open (`hold: true`) WebSocket probe: connects once, runs the steps, keeps the connection,
/// pings every `ping_interval`, and when the connection ends records the close and reconnects with
/// jittered exponential backoff.
///
/// A held connection has no task: once its steps pass it is detached, and its events (pongs, the close,
/// the end) arrive on the event loop. A task exists only while connecting or backing off. That is what
/// lets 10,000 held probes fit in the memory of a dashboard (see Benchmarks/ws-hold.sh).
///
/// Between verdicts it reports through the runner's event sink: `.connection(probe:info:)` when the
/// connection comes up, on every pong (RTT) and when it drops; `.closed(CloseRecord)` for every close.
/// `result()` is what a scheduled run returns: the first connection's outcome (it waits for it), later the
/// current state: pass while connected with the steps met, the close's class after a drop until a
/// reconnection's steps pass, or the class of the failed reconnect.
public final class WebSocketHolder: Sendable {
    public let probe: String
    private let context: WebSocketProbeContext
    private let options: WebSocketHoldOptions
    private let events: (@Sendable (ProbeEvent) -> Void)?
    private let state: Locked<State>

    private struct State {
        /// The latest judged state; its message is the base that `current` decorates.
        var result: ProbeResult?
        var info: WebSocketInfo
        var connections = 0
        /// Failed rounds since the connection was last up: the backoff exponent.
        var failures = 0
        /// Why the held connection is ending (its close frame or our failure), until the socket is gone.
        var end: WebSocketStepFailure?
        var connection: WebSocketConnection?
        /// Connecting or backing off; nil while the connection is held. A finished task's handle is dropped:
        /// it would keep the task, and with it the slabs of its async stack (~20 KB), alive.
        var task: Task<Void, Never>?
        var taskID: UInt64 = 0
        var waiters: [CheckedContinuation<ProbeResult, Never>] = []
        var started = false
        var stopped = false
        var rng: SplitMix64
    }

    init(context: WebSocketProbeContext, options: WebSocketHoldOptions, events: (@Sendable (ProbeEvent) -> Void)?) {
        probe = context.spec.name
        self.context = context
        self.options = options
        self.events = events
        var system = SystemRandomNumberGenerator()
        let seed = options.seed.map { $0 ^ Self.fnv1a(context.spec.name) } ?? system.next()
        state = Locked(State(info: WebSocketInfo(url: context.displayURL, attempted: 1), rng: SplitMix64(seed: seed)))
    }

    /// Starts connecting once; later calls do nothing.
    public func start() {
        state.withLock { s in
            guard !s.started, !s.stopped else { return }
            s.started = true
            spawnConnect(after: 0, &s)
        }
    }

    /// Closes the connection and stops reconnecting. Anyone waiting in `result()` gets the last state.
    public func stop() async {
        let (task, connection) = state.withLock { s -> (Task<Void, Never>?, WebSocketConnection?) in
            s.stopped = true
            let c = s.connection
            s.connection = nil
            return (s.task, c)
        }
        task?.cancel()
        await task?.value
        await connection?.close()
        let (waiters, last) = state.withLock { s in
            let w = s.waiters
            s.waiters = []
            return (w, s.result)
        }
        let now = context.clock.now()
        let stopped = last ?? ProbeResult(probe: probe, kind: .websocket, verdict: .error, failureClass: .config,
                                          message: "stopped before connecting", startedAt: now, finishedAt: now)
        for w in waiters { w.resume(returning: stopped) }
    }

    /// The first connection's result (waiting for it), then the current state.
    public func result() async -> ProbeResult {
        await withCheckedContinuation { (c: CheckedContinuation<ProbeResult, Never>) in
            let ready = state.withLock { s -> ProbeResult? in
                if let r = s.result { return current(r, s) }
                s.waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    /// The held connection as the dashboard shows it.
    public var info: WebSocketInfo { state.withLock { $0.info } }
    public var reconnects: Int { state.withLock { $0.info.reconnects } }
    public var isConnected: Bool { state.withLock { $0.info.connectedSince != nil } }

    // MARK: - Connecting (a task)

    private func spawnConnect(after delay: Double, _ s: inout State) {
        s.taskID &+= 1
        let id = s.taskID
        s.task = Task { await self.connect(after: delay, id: id) }
    }

    /// Connects (after `delay`) until a connection's steps pass and it is held; then the task ends.
    private func connect(after delay: Double, id: UInt64) async {
        defer { state.withLock { s in if s.taskID == id { s.task = nil } } }
        var delay = delay
        while true {
            if delay > 0 {
                do { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) } catch { return }
            }
            guard !Task.isCancelled, !context.engine.isShutDown else { return }
            let a = await context.attempt(keep: { session, attempt in self.held(session, attempt) })
            let (leftOpen, stopped) = state.withLock { s -> (WebSocketConnection?, Bool) in
                guard s.stopped, let c = s.connection else { return (nil, s.stopped) }
                s.connection = nil
                return (c, true)
            }
            // Stopped while the steps ran: a connection that came up must not stay open.
            await leftOpen?.close()
            if stopped || Task.isCancelled || context.engine.isShutDown { return }
            // Held: the event loop has it now (and may already have started the next round after a drop).
            if a.connected, a.subprotocolProblem == nil, a.steps?.failure == nil { return }
            // Could not (re)connect or the steps failed: that is the state until the next try.
            if let record = WebSocketJudge.closeRecord(a, probe: probe) { events?(.closed(record)) }
            publish(WebSocketJudge.result(a, spec: context.spec))
            delay = nextDelay()
        }
    }

    /// The backoff before the next round: `hold` resets the count when a connection comes up, so the first
    /// retry after a drop waits ~base and each failed round after it doubles the wait, up to the cap.
    private func nextDelay() -> Double {
        state.withLock { s in
            s.failures += 1
            return options.backoff.delay(attempt: s.failures - 1, using: &s.rng)
        }
    }

    /// The steps passed: show it, start pinging, and hand the connection to the event loop.
    private func held(_ session: WebSocketSession, _ attempt: WebSocketAttempt) {
        let now = context.clock.now()
        let info = state.withLock { s -> WebSocketInfo in
            s.connections += 1
            s.failures = 0
            if s.connections > 1 { s.info.reconnects += 1 }
            s.info.connectedSince = now
            s.info.lastPingRTTMs = nil
            s.end = nil
            s.connection = session.connection
            return s.info
        }
        var first = WebSocketJudge.result(attempt, spec: context.spec)
        first.websocket = merged(first.websocket, info)
        publish(first)
        events?(.connection(probe: probe, info: attempt.redact(info)))

        session.keepalive(every: context.ws.pingInterval.seconds)
        // One ping now, so the RTT shows without waiting a whole interval.
        session.ping()
        let redact = attempt.redact
        let timeline = attempt.steps?.events ?? []
        session.detach { [self] event in self.heldEvent(event, redact: redact, timeline: timeline) }
    }

    // MARK: - Held (the event loop)

    private func heldEvent(_ event: WebSocketInbound?, redact: TokenRedactor, timeline: [TimedEvent]) {
        switch event {
        case .pong(let rtt, _)?:
            let info = state.withLock { s -> WebSocketInfo in
                s.info.lastPingRTTMs = rtt
                return s.info
            }
            events?(.connection(probe: probe, info: redact(info)))
        case .closeFrame(let code, let reason, _)?:
            let f = WebSocketStepRunner.closeFailure(code: code, reason: reason, waitingFor: nil)
            state.withLock { s in if s.end == nil { s.end = f } }
        case .failed(let failure, let sent, _)?:
            let f = WebSocketStepRunner.streamFailure(failure, sentCode: sent, waitingFor: nil)
            state.withLock { s in if s.end == nil { s.end = f } }
        case nil:
            let (end, gone) = state.withLock { s -> (WebSocketStepFailure?, Bool) in
                s.connection = nil
                return (s.end, s.stopped || context.engine.isShutDown)
            }
            guard !gone else { return }
            dropped(end ?? WebSocketStepFailure(failureClass: .wsClose, message: "connection dropped without a close frame (1006 abnormal)",
                                                closeCode: 1006, closeReason: ""),
                    redact: redact, timeline: timeline)
            let delay = nextDelay()
            state.withLock { s in
                guard !s.stopped else { return }
                spawnConnect(after: delay, &s)
            }
        default:
            break
        }
    }

    /// A connection that was up has ended: record the close and show the drop until a reconnect passes.
    private func dropped(_ end: WebSocketStepFailure, redact: TokenRedactor, timeline: [TimedEvent]) {
        let now = context.clock.now()
        let (since, info) = state.withLock { s -> (Date?, WebSocketInfo) in
            let since = s.info.connectedSince
            s.info.connectedSince = nil
            s.info.lastPingRTTMs = nil
            return (since, s.info)
        }
        if let code = end.closeCode {
            events?(.closed(redact(CloseRecord(at: now, probe: probe, code: code, reason: end.closeReason ?? "",
                                               byServer: end.closedByServer))))
        }
        events?(.connection(probe: probe, info: redact(info)))
        var message = end.message
        if let since { message += String(format: " after %.1f s connected", now.timeIntervalSince(since)) }
        message += "; reconnecting"
        publish(redact(ProbeResult(probe: probe, kind: .websocket, verdict: .fail, failureClass: end.failureClass, message: message,
                                   closeCode: end.closeCode, closeReason: end.closeReason, events: timeline,
                                   websocket: info, startedAt: now, finishedAt: now)))
    }

    private func publish(_ r: ProbeResult) {
        let (waiters, shown) = state.withLock { s -> ([CheckedContinuation<ProbeResult, Never>], ProbeResult) in
            var r = r
            r.websocket = merged(r.websocket, s.info)
            s.result = r
            let w = s.waiters
            s.waiters = []
            return (w, r)
        }
        for w in waiters { w.resume(returning: shown) }
        if options.pushResults { events?(.finished(shown)) }
    }

    /// The stored state, stamped now, with the connection's age, RTT and reconnects.
    private func current(_ r: ProbeResult, _ s: State) -> ProbeResult {
        var r = r
        let now = context.clock.now()
        r.startedAt = now
        r.finishedAt = now
        r.websocket = merged(r.websocket, s.info)
        if r.verdict == .pass, let since = s.info.connectedSince {
            var extra = "up " + Format.uptime(now.timeIntervalSince(since))
            if let rtt = s.info.lastPingRTTMs { extra += ", rtt " + Format.latency(rtt) }
            if s.info.reconnects > 0 { extra += ", \(s.info.reconnects) reconnect\(s.info.reconnects == 1 ? "" : "s")" }
            r.message += "; " + extra
        }
        return r
    }

    /// The attempt's handshake details with the holder's connection state laid over them.
    private func merged(_ attemptInfo: WebSocketInfo?, _ held: WebSocketInfo) -> WebSocketInfo {
        var i = attemptInfo ?? held
        i.connectedSince = held.connectedSince
        i.lastPingRTTMs = held.lastPingRTTMs
        i.reconnects = held.reconnects
        return i
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}

/// The holders of one runner, by probe name.
final class WebSocketHolderRegistry: Sendable {
    private let holders = Locked<[String: WebSocketHolder]>([:])

    func holder(for name: String, make: () -> WebSocketHolder) -> WebSocketHolder {
        holders.withLock { h in
            if let existing = h[name] { return existing }
            let new = make()
            h[name] = new
            return new
        }
    }

    func named(_ name: String) -> WebSocketHolder? { holders.withLock { $0[name] } }

    func removeAll() -> [WebSocketHolder] {
        holders.withLock { h in
            let all = Array(h.values)
            h.removeAll()
            return all
        }
    }
}
