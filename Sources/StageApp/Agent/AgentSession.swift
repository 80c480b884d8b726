import Foundation
import Logging
import StageAgent
import StageModel
import StageProbes
import StageReports
import Synchronization

/// A probe session served by the agent: every event the probes report is applied to the store, counted
/// for `/metrics`, published on the event stream, logged when a verdict changes, and handed to alerts.
/// `/metrics` and `/api/v1/snapshot` read what is already there, so a scrape never waits on a probe.
final class AgentSession: AgentBackend, Sendable {
    let session: ProbeSession
    let feed: EventFeed
    let logger: Logger
    private let state: State
    private let startedAt: Date
    let alerts: AlertDispatcher?
    private let alertEngine: CurlEngine?
    private let onVerdictChange: @Sendable (VerdictChange) -> Void

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
        }
        let inner: Mutex<Inner>
        init(_ inner: Inner) { self.inner = Mutex(inner) }
    }

    init(config: StageConfig, facts: AgentFacts, feed: EventFeed, logger: Logger, recordTo recorder: RecordingWriter?,
         onVerdictChange: @escaping @Sendable (VerdictChange) -> Void = { _ in }) {
        let state = State(.init(counters: LiveCounters(probes: config.probes.map(\.name)), facts: facts))
        self.state = state
        // Deliveries report back into the event log; the session that owns the log exists only below.
        let notes = NoteRelay()
        let alertContext = AlertPayload.Context(config: config.name, location: facts.location)
        let alertEngine = config.alerts.isEmpty ? nil : CurlEngine()
        let alerts = alertEngine.map { engine in
            AlertDispatcher(config: config, location: facts.location, logger: logger, engine: engine) { outcome in
                state.inner.withLock { s in
                    if outcome.delivered { s.facts.alertsSent[outcome.alert, default: 0] += 1 } else { s.facts.alertFailures[outcome.alert, default: 0] += 1 }
                }
                let what = "alert \(outcome.alert): \(outcome.event.kind.rawValue) \(outcome.event.probe)"
                notes.note(outcome.delivered ? "\(what) sent" : "\(what) not delivered after \(outcome.attempts) attempts: \(outcome.reason ?? "")")
            }
        }
        self.alerts = alerts
        self.alertEngine = alertEngine
        self.feed = feed
        self.logger = logger
        self.startedAt = facts.startedAt
        self.onVerdictChange = onVerdictChange
        session = ProbeSession(config: config, recordTo: recorder, observer: { event, cycle in
            let previous = state.inner.withLock { s -> Verdict?? in
                s.counters.apply(event)
                guard case .finished(let r) = event else { return .none }
                let old = s.verdicts[r.probe]
                guard old != r.verdict else { return .none }
                s.verdicts[r.probe] = r.verdict
                return .some(old)
            }
            if let (type, line) = RecordingCodec.encodeLive(event) { feed.publish(type: type, data: line) }
            if let cycle { feed.publish(type: "cycle", data: AgentSession.cycleLine(cycle)) }
            guard case .finished(let r) = event else { return }
            for a in alerts?.observe(r) ?? [] { feed.publish(type: "alert", data: AlertPayload.json(a, context: alertContext).text(pretty: false)) }
            guard case .some(let from) = previous else { return }
            let change = VerdictChange(probe: r.probe, from: from, to: r.verdict, result: r)
            feed.publish(type: "verdict", data: AgentSession.verdictLine(change))
            AgentSession.log(change, to: logger)
            onVerdictChange(change)
        })
        notes.attach(session)
    }

    /// Delivers what is queued (a few seconds at most) and stops the alerts' HTTP engine.
    func shutdownAlerts() async {
        await alerts?.shutdown()
        alertEngine?.shutdown()
    }

    // MARK: AgentBackend

    func metricsText() -> String {
        let (snapshot, inner) = session.withEventsHeld { (session.store.snapshot(), state.inner.withLock { $0 }) }
        return LiveMetricsReport.render(snapshot, counters: inner.counters, facts: inner.facts, at: Date())
    }

    func snapshotJSON() -> (json: String, lastEventID: UInt64) {
        let (snapshot, last) = session.withEventsHeld { (session.store.snapshot(), feed.lastID) }
        return (JSONReport.render(snapshot, startedAt: startedAt, finishedAt: Date()), last)
    }

    func run(probe: String?) async -> Bool {
        let scheduler = session.scheduler
        guard let probe else {
            for spec in session.config.probes where spec.enabled { _ = await scheduler.runNow(spec.name) }
            return true
        }
        return await scheduler.runNow(probe)
    }

    func setPaused(_ paused: Bool) async {
        session.store.setPaused(paused)
        if paused { await session.scheduler.pause() } else { await session.scheduler.resume() }
        logger.info(paused ? "probing paused through the API" : "probing resumed through the API")
    }

    var isPaused: Bool { session.store.snapshot().paused }
    var probeCount: Int { session.config.probes.count }

    func updateFacts(_ change: (inout AgentFacts) -> Void) { state.inner.withLock { change(&$0.facts) } }

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

/// Hands notes to a session that is created after the closures that want to write to it.
final class NoteRelay: Sendable {
    private let session = Mutex<ProbeSession?>(nil)
    func attach(_ s: ProbeSession) { session.withLock { $0 = s } }
    func note(_ message: String) { session.withLock { $0 }?.note(message) }
}
