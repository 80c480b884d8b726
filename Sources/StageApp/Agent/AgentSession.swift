import Foundation
import Logging
import StageAgent
import StageModel
import StageProbes
import StageReports

/// A probe session served by the agent: every event the probes report is applied to the store, counted
/// for `/metrics`, published on the event stream, logged when a verdict changes, and handed to alerts.
/// `/metrics` and `/api/v1/snapshot` read what is already there, so a scrape never waits on a probe.
///
/// A config reload (`reload(to:)`) replaces the probe session and the alerts; the counters, the event
/// stream and unchanged probes' history go on.
final class AgentSession: AgentBackend, Sendable {
    let feed: EventFeed
    private let apiToken: String?
    let logger: Logger
    private let state: State
    private let startedAt: Date
    private let recorder: RecordingWriter?
    private let notes = NoteRelay()
    /// Each probe's rendered /metrics series, until its next result.
    private let metricsCache = MetricsCache()
    private let stateCache = StateDocumentCache()
    /// The alerts' own HTTP engine (a slow webhook never takes a probe's connection).
    private let alertEngine = CurlEngine()

    struct VerdictChange: Sendable {
        var probe: String
        var from: Verdict?
        var to: Verdict
        var result: ProbeResult
    }

    /// What the agent derives from events, behind one lock (events already arrive one at a time, under
    /// the session's gate, so one lock costs nothing and keeps counters, verdicts and facts in step).
    final class State: Sendable {
        struct Inner {
            var counters: LiveCounters
            var facts: AgentFacts
            /// The last verdict per probe, to publish and log changes (not every result).
            var verdicts: [String: Verdict] = [:]
            var session: ProbeSession?
            var alerts: AlertDispatcher?
        }
        let inner: Locked<Inner>
        init(_ inner: Inner) { self.inner = Locked(inner) }
    }

    /// `apiToken`: the agent's own API token, kept from alert commands' environments with the config's secrets.
    init(config: StageConfig, facts: AgentFacts, feed: EventFeed, logger: Logger, recordTo recorder: RecordingWriter?,
         apiToken: String? = nil) {
        state = State(.init(counters: LiveCounters(probes: config.probes.map(\.name)), facts: facts))
        self.apiToken = apiToken
        self.feed = feed
        self.logger = logger
        self.recorder = recorder
        startedAt = facts.startedAt
        install(config, store: nil)
    }

    /// The probe session running now.
    var session: ProbeSession { state.inner.withLock { $0.session! } }

    /// Builds the session (and alerts) for `config`, going on from `store` when given.
    private func install(_ config: StageConfig, store: SharedStore?) {
        let state = state, feed = feed, logger = logger, notes = notes
        let location = state.inner.withLock { $0.facts.location }
        let alertContext = AlertPayload.Context(config: config.name, location: location)
        let alerts = config.alerts.isEmpty ? nil : AlertDispatcher(config: config, location: location, logger: logger, engine: alertEngine,
                                                                   hiding: [apiToken].compactMap { $0 }) { outcome in
            state.inner.withLock { s in
                if outcome.delivered { s.facts.alertsSent[outcome.alert, default: 0] += 1 } else { s.facts.alertFailures[outcome.alert, default: 0] += 1 }
            }
            let what = "alert \(outcome.alert): \(outcome.event.kind.rawValue) \(outcome.event.probe)"
            notes.note(outcome.delivered ? "\(what) sent" : "\(what) not delivered after \(outcome.attempts) attempts: \(outcome.reason ?? "")")
        }
        let session = ProbeSession(config: config, recordTo: recorder, store: store, observer: { event, cycle in
            let (previous, dispatcher) = state.inner.withLock { s -> (Verdict??, AlertDispatcher?) in
                s.counters.apply(event)
                guard case .finished(let r) = event else { return (.none, nil) }
                let old = s.verdicts[r.probe]
                guard old != r.verdict else { return (.none, s.alerts) }
                s.verdicts[r.probe] = r.verdict
                return (.some(old), s.alerts)
            }
            if let (type, line) = RecordingCodec.encodeLive(event) { feed.publish(type: type, data: line) }
            if let cycle { feed.publish(type: "cycle", data: AgentSession.cycleLine(cycle)) }
            guard case .finished(let r) = event else { return }
            for a in dispatcher?.observe(r) ?? [] { feed.publish(type: "alert", data: AlertPayload.json(a, context: alertContext).text(pretty: false)) }
            guard case .some(let from) = previous else { return }
            let change = VerdictChange(probe: r.probe, from: from, to: r.verdict, result: r)
            feed.publish(type: "verdict", data: AgentSession.verdictLine(change))
            AgentSession.log(change, to: logger)
        })
        notes.attach(session)
        state.inner.withLock { s in
            s.session = session
            s.alerts = alerts
        }
    }

    /// Swaps in a new config: the old probes stop (runs in flight are cut), probes whose spec is unchanged
    /// keep their history and stats, removed ones disappear (also from /metrics), added ones start.
    func reload(to config: StageConfig) async -> ConfigDiff {
        let (old, oldAlerts) = state.inner.withLock { ($0.session!, $0.alerts) }
        let diff = ConfigDiff(from: old.config, to: config)
        await old.shutdown()
        await oldAlerts?.shutdown(grace: 2)
        let store = old.carriedOverStore(to: config, unchanged: diff.unchanged)
        state.inner.withLock { s in
            s.counters.retain(probes: config.probes.map(\.name))
            s.verdicts = s.verdicts.filter { diff.unchanged.contains($0.key) }
        }
        install(config, store: store)
        let session = self.session
        await session.start()
        await session.scheduler.start()
        if store.snapshot().paused { await session.scheduler.pause() }
        return diff
    }

    /// Reload facts for /metrics.
    func recordReload(ok: Bool, at: Date = Date()) {
        state.inner.withLock { $0.facts.lastReload = (ok, at) }
    }

    // MARK: AgentBackend

    func withMetrics<T: Sendable>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        let session = self.session
        let (snapshot, inner) = session.withEventsHeld { (session.store.snapshot(), state.inner.withLock { $0 }) }
        return LiveMetricsReport.withBytes(snapshot, counters: inner.counters, facts: inner.facts, at: Date(), cache: metricsCache) { bytes in
            if bytes.count > 1 << 20 { MemoryReturn.soon() }
            return body(bytes)
        }
    }

    /// `/metrics` as text (tests).
    func metricsText() -> String { withMetrics { String(decoding: $0, as: UTF8.self) } }

    func snapshotJSON() -> (json: String, lastEventID: UInt64) {
        let session = self.session
        let (snapshot, last) = session.withEventsHeld { (session.store.snapshot(), feed.lastID) }
        return (JSONReport.render(snapshot, startedAt: startedAt, finishedAt: Date()), last)
    }

    func withState<T: Sendable>(_ body: (UnsafeRawBufferPointer, _ lastEventID: UInt64) -> T) -> T {
        let session = self.session
        let (snapshot, last) = session.withEventsHeld { (session.store.snapshot(), feed.lastID) }
        let location = state.inner.withLock { $0.facts.location }
        return StateDocument.withBytes(snapshot, location: location, cache: stateCache) { bytes in
            if bytes.count > 1 << 20 { MemoryReturn.soon() }
            return body(bytes, last)
        }
    }

    func run(probe: String?) async -> Bool {
        let session = self.session
        guard let probe else {
            for spec in session.config.probes where spec.enabled { _ = await session.scheduler.runNow(spec.name) }
            return true
        }
        return await session.scheduler.runNow(probe)
    }

    func setPaused(_ paused: Bool) async {
        let session = self.session
        session.store.setPaused(paused)
        if paused { await session.scheduler.pause() } else { await session.scheduler.resume() }
        logger.info(paused ? "probing paused through the API" : "probing resumed through the API")
    }

    var isPaused: Bool { session.store.snapshot().paused }
    var probeCount: Int { session.config.probes.count }

    /// Delivers what is queued (a few seconds at most) and stops the alerts' HTTP engine.
    func shutdownAlerts() async {
        await state.inner.withLock { $0.alerts }?.shutdown()
        alertEngine.shutdown()
    }

    // MARK: Lines

    static func log(_ c: VerdictChange, to logger: Logger) {
        var meta: Logger.Metadata = ["probe": "\(c.probe)", "from": "\(c.from?.rawValue ?? "none")", "to": "\(c.to.rawValue)"]
        if let cls = c.result.failureClass { meta["class"] = "\(cls.rawValue)" }
        if c.to != .pass { meta["message"] = "\(c.result.message)" }
        if c.to == .pass || c.to == .skip { logger.info("verdict changed", metadata: meta) } else { logger.warning("verdict changed", metadata: meta) }
    }

    static func verdictLine(_ c: VerdictChange) -> String {
        var fields: [(String, OrderedJSON)] = [("type", .string("verdict")), ("probe", .string(c.probe)),
                                               ("from", c.from.map { .string($0.rawValue) } ?? .null), ("to", .string(c.to.rawValue))]
        fields.append(("class", c.result.failureClass.map { .string($0.rawValue) } ?? .null))
        fields.append(("message", .string(c.result.message)))
        fields.append(("at", .string(JSONReport.timestamp(c.result.finishedAt))))
        return OrderedJSON.object(fields).text(pretty: false)
    }

    static func cycleLine(_ c: CycleSummary) -> String {
        RecordingCodec.encode(.cycle(number: c.number, at: c.finishedAt)) ?? "{}"
    }
}

/// Hands notes to whichever session is current (alert outcomes arrive from the alerts' own tasks).
final class NoteRelay: Sendable {
    private let session = Locked<ProbeSession?>(nil)
    func attach(_ s: ProbeSession) { session.withLock { $0 = s } }
    func note(_ message: String) { session.withLock { $0 }?.note(message) }
}
