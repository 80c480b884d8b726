import Foundation
import Logging
import StageModel
import StageProbes
import StageReports

/// Turns results into alert deliveries. `observe` only counts and enqueues, so probing never waits on
/// a slow webhook; each alert has its own queue and worker, delivering in order (a `resolved` never
/// overtakes its `failing`), retrying with doubling backoff, and reporting every outcome.
final class AlertDispatcher: Sendable {
    struct Outcome: Sendable {
        var alert: String
        var event: AlertEvent
        var delivered: Bool
        var attempts: Int
        var reason: String?
    }

    private let tracker: Locked<AlertTracker>
    private let queues: [String: AsyncStream<AlertEvent>.Continuation]
    private let workers: [Task<Void, Never>]
    static let queueLimit = 1000

    init(config: StageConfig, location: String?, logger: Logger, engine: CurlEngine, hiding extraSecrets: [String] = [],
         report: @escaping @Sendable (Outcome) -> Void) {
        tracker = Locked(AlertTracker(alerts: config.alerts, probes: config.probes))
        let context = AlertPayload.Context(config: config.name, location: location)
        let sender = WebhookSender(engine: engine)
        // The command inherits the agent's environment minus the variables that carry a secret (the
        // token's, the bypass key's, the API token's): an alert script has no business with them.
        let environment = CommandRunner.environment(hiding: config.secrets + extraSecrets)
        var queues: [String: AsyncStream<AlertEvent>.Continuation] = [:]
        var workers: [Task<Void, Never>] = []
        for alert in config.alerts {
            let (stream, continuation) = AsyncStream.makeStream(of: AlertEvent.self, bufferingPolicy: .bufferingOldest(Self.queueLimit))
            queues[alert.name] = continuation
            workers.append(Task {
                for await event in stream {
                    report(await Self.deliver(event, alert: alert, context: context, sender: sender, environment: environment, logger: logger))
                }
            })
        }
        self.queues = queues
        self.workers = workers
    }

    /// Counts a result; enqueues what it triggers. A full queue (a webhook down for a long time while
    /// probes flap) drops the event and reports it as a failed delivery.
    func observe(_ result: ProbeResult) -> [AlertEvent] {
        let events = tracker.withLock { $0.observe(result) }
        return events.filter { e in
            if case .enqueued = queues[e.alert]?.yield(e) { return true }
            return false
        }
    }

    /// Events still queued get `grace` seconds to go out; then the workers are cancelled.
    func shutdown(grace: Double = 5) async {
        for q in queues.values { q.finish() }
        let workers = workers
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for w in workers { await w.value } }
            group.addTask { try? await Task.sleep(for: .milliseconds(Int(grace * 1000))) }
            await group.next()
            group.cancelAll()
        }
        for w in workers { w.cancel() }
    }

    static func deliver(_ event: AlertEvent, alert: AlertSpec, context: AlertPayload.Context, sender: WebhookSender,
                        environment: [String], logger: Logger) async -> Outcome {
        var attempt = 0
        var backoff = alert.retryBackoff.seconds
        var reason = ""
        while attempt <= alert.retries, !Task.isCancelled {
            attempt += 1
            let result: Result<Void, DeliveryFailure>
            switch alert.channel {
            case .webhook(let hook):
                let body = AlertPayload.body(event, format: hook.format, context: context)
                result = await sender.send(hook, body: body, timeout: alert.timeout.seconds).map { _ in () }
            case .command(let argv):
                let body = AlertPayload.body(event, format: .json, context: context)
                result = await CommandRunner.run(argv, stdin: body, timeout: alert.timeout.seconds, environment: environment)
            }
            switch result {
            case .success:
                logger.info("alert sent", metadata: ["alert": "\(alert.name)", "to": "\(alert.destination)", "probe": "\(event.probe)",
                                                     "event": "\(event.kind.rawValue)", "attempts": "\(attempt)"])
                return Outcome(alert: alert.name, event: event, delivered: true, attempts: attempt)
            case .failure(let why):
                reason = why.description
                if attempt <= alert.retries {
                    try? await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
                    backoff *= 2
                }
            }
        }
        logger.warning("alert not delivered", metadata: ["alert": "\(alert.name)", "to": "\(alert.destination)", "probe": "\(event.probe)",
                                                         "event": "\(event.kind.rawValue)", "attempts": "\(attempt)", "reason": "\(reason)"])
        return Outcome(alert: alert.name, event: event, delivered: false, attempts: attempt, reason: reason)
    }
}
