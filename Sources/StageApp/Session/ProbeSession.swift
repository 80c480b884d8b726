import Foundation
import StageModel
import StageProbes
import StageReports

/// Wires a config to runners, a scheduler and a store: the one place `check`, `watch` and `demo` share,
/// so they can never disagree about a verdict.
public final class ProbeSession: Sendable {
    public let config: StageConfig
    public let store: SharedStore
    public let runtime: ProbeRuntime
    public let scheduler: ProbeScheduler
    /// The one path every event takes (scrubbed, applied, observed, recorded); `note` uses it too.
    private let emit: @Sendable (ProbeEvent) -> Void

    public struct Outcome: Sendable {
        public var snapshot: Snapshot
        public var startedAt: Date
        public var finishedAt: Date
    }

    /// Held while an event is applied and observed, so a reader can take the store and what observers
    /// derived from it (the agent's event ids and counters) as one consistent state.
    private let applying = EventGate()

    /// An observer sees every event after the store has applied it, with the cycle it closed.
    public typealias Observer = @Sendable (ProbeEvent, CycleSummary?) -> Void

    /// - Parameters:
    ///   - recorder: when set, every event and cycle boundary is appended to a recording.
    ///   - store: an existing store to go on from (a reloaded config keeps unchanged probes' history).
    ///   - observer: the agent's metrics, event stream and alerts.
    public init(config: StageConfig, clock: any WallClock = SystemClock(), recordTo recorder: RecordingWriter? = nil,
                store existing: SharedStore? = nil, observer: Observer? = nil) {
        self.config = config
        let store = existing ?? SharedStore(config: config, clock: clock)
        let scrubber = SecretScrubber(secrets: config.secrets)
        // Every event from every runner (results, closes, stream progress, login) takes this one path:
        // a never-deployed route's 404 told as such (route drift), scrubbed of secrets (last, so nothing
        // written after it can carry one), applied to the store, appended to the recording.
        let applying = applying
        let drift = config.routeDrift.flatMap { $0.undeployed.isEmpty && $0.undeployedSteps.isEmpty ? nil : $0 }
        let sink: @Sendable (ProbeEvent) -> Void = { raw in
            let event = scrubber.scrub(drift?.apply(raw) ?? raw)
            let closed: CycleSummary?
            if let observer {
                closed = applying.lock.withLock { _ in
                    let c = store.apply(event)
                    observer(event, c)
                    return c
                }
            } else {
                closed = store.apply(event)
            }
            recorder?.record(event)
            if let c = closed { recorder?.cycleClosed(c.number, at: c.finishedAt) }
        }
        // curl's own cache size is 4 × the transfers added *now*: between batches of runs it shrank and
        // closed kept-alive connections, so 1,000 probes a second opened ~50 new ones a second (strace).
        // One idle connection per run that may be in flight keeps them.
        let engine = CurlEngine(maxCachedConnections: max(64, config.defaults.maxInFlight))
        let runtime = ProbeRuntime.make(config: config, engine: engine, webSockets: WebSocketEngine(), clock: clock, events: sink)
        self.store = store
        self.runtime = runtime
        emit = sink
        scheduler = ProbeScheduler(probes: config.probes, runner: runtime.runners, clock: clock,
                                   maxInFlight: config.defaults.maxInFlight, sink: sink)
    }

    /// A line in the event log (and on the agent's event stream), e.g. an alert that could not be delivered.
    public func note(_ message: String, at: Date = Date()) {
        emit(.note(message, at: at))
    }

    /// Runs `body` with no event between the store and the observer: what it reads of both agrees.
    public func withEventsHeld<T>(_ body: () -> T) -> T {
        applying.lock.withLock { _ in body() }
    }

    /// Opens `--record FILE` with the header every recording starts with (the config's probes as the
    /// store first sees them). The one place a recording is begun, for `check` and `watch` alike.
    public static func openRecording(_ path: String?, config: StageConfig) throws -> RecordingWriter? {
        try path.map { try RecordingWriter(path: $0, header: RecordingHeader(snapshot: SharedStore(config: config).snapshot())) }
    }

    /// Logs in when the config has `auth.login` (a failure shows as a banner and `auth` errors, never silently).
    public func start() async {
        await runtime.start()
    }

    /// Stops everything that runs in the background: schedules, held-open sockets, token renewal, engines.
    public func shutdown() async {
        await scheduler.stop()
        await runtime.shutdown()
    }

    /// Runs every probe once per cycle, `cycles` times, `interval` apart; `afterCycle` sees each closed cycle.
    public func runCycles(_ cycles: Int = 1, interval: TimeInterval = 0, afterCycle: (Snapshot) -> Void = { _ in }) async -> Outcome {
        let started = Date()
        await start()
        for i in 0..<cycles {
            _ = await scheduler.runOnce()
            afterCycle(store.snapshot())
            if i < cycles - 1, interval > 0 {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
        let finished = Date()
        await shutdown()
        return Outcome(snapshot: store.snapshot(), startedAt: started, finishedAt: finished)
    }
}

/// A lock shared by reference between the session and its event sink.
final class EventGate: Sendable {
    let lock = Locked(())
}
