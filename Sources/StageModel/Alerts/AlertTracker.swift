import Foundation

/// What an alert sends: a probe crossed its failure threshold, or came back.
public struct AlertEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case failing, resolved }
    public var kind: Kind
    public var alert: String
    public var probe: String
    public var group: String
    public var probeKind: ProbeKind
    public var verdict: Verdict
    public var failureClass: FailureClass?
    public var message: String
    public var status: Int?
    public var closeCode: Int?
    /// Runs in a row that led here (failing: failures; resolved: passes).
    public var consecutive: Int
    public var at: Date

    public init(kind: Kind, alert: String, probe: String, group: String, probeKind: ProbeKind, verdict: Verdict, failureClass: FailureClass?,
                message: String, status: Int?, closeCode: Int?, consecutive: Int, at: Date) {
        self.kind = kind; self.alert = alert; self.probe = probe; self.group = group; self.probeKind = probeKind; self.verdict = verdict
        self.failureClass = failureClass; self.message = message; self.status = status; self.closeCode = closeCode
        self.consecutive = consecutive; self.at = at
    }
}

/// Consecutive-run counting per alert and probe: fires once when failures reach `failure_threshold`,
/// resolves once when passes reach `success_threshold` (sent only with `send_on_resolved`). A single
/// blip below the threshold sends nothing; `skip` runs neither fail nor pass.
public struct AlertTracker: Sendable {
    struct Key: Hashable { var alert: String; var probe: String }
    struct Count { var failures = 0; var successes = 0; var firing = false }

    public let alerts: [AlertSpec]
    private let alerting: [String: ProbeAlerting]
    private let groups: [String: String]
    private var counts: [Key: Count] = [:]

    public init(alerts: [AlertSpec], probes: [ProbeSpec]) {
        self.alerts = alerts
        alerting = Dictionary(probes.map { ($0.name, $0.alerts) }, uniquingKeysWith: { a, _ in a })
        groups = Dictionary(probes.map { ($0.name, $0.group) }, uniquingKeysWith: { a, _ in a })
    }

    /// The events this result triggers (at most one per alert).
    public mutating func observe(_ r: ProbeResult) -> [AlertEvent] {
        guard r.verdict != .skip, let selection = alerting[r.probe] else { return [] }
        var out: [AlertEvent] = []
        for alert in alerts where selection.includes(alert.name) {
            let key = Key(alert: alert.name, probe: r.probe)
            var c = counts[key] ?? Count()
            var kind: AlertEvent.Kind?
            if r.verdict == .pass {
                c.successes += 1
                c.failures = 0
                if c.firing, c.successes >= alert.successThreshold {
                    c.firing = false
                    if alert.sendOnResolved { kind = .resolved }
                }
            } else {
                c.failures += 1
                c.successes = 0
                if !c.firing, c.failures >= alert.failureThreshold {
                    c.firing = true
                    kind = .failing
                }
            }
            counts[key] = c
            if let kind {
                out.append(AlertEvent(kind: kind, alert: alert.name, probe: r.probe, group: groups[r.probe] ?? "", probeKind: r.kind,
                                      verdict: r.verdict, failureClass: r.failureClass, message: r.message, status: r.status,
                                      closeCode: r.closeCode, consecutive: kind == .failing ? c.failures : c.successes, at: r.finishedAt))
            }
        }
        return out
    }

    /// Whether an alert is firing for a probe now.
    public func isFiring(_ alert: String, probe: String) -> Bool { counts[Key(alert: alert, probe: probe)]?.firing ?? false }
}
