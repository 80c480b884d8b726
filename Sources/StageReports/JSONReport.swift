import Foundation
import StageModel

/// `check --json FILE`: schema version 1 of docs/report-json.md. Fields may be added; none removed within a version.
public enum JSONReport {
    public static let version = 1

    public static func render(_ snapshot: Snapshot, startedAt: Date, finishedAt: Date) -> String {
        let s = snapshot.summary
        let summary: OrderedJSON = .object([
            ("total", .int(s.total)), ("passed", .int(s.passed)), ("failed", .int(s.failed)), ("hung", .int(s.hung)),
            ("errored", .int(s.errored)), ("skipped", .int(s.skipped)), ("pending", .int(s.pending)),
            ("pass_rate", s.passRate.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .null),
            ("latency_avg_ms", .ms(s.latencyAvgMs)),
            // Null for a whole-config run; else which part of the config the pass rate is about.
            ("subset", snapshot.subset.map { sub in
                .object([("selected", .int(sub.selected)), ("total", .int(sub.total)),
                         ("only", .array(sub.only.map { .string($0) })), ("skip", .array(sub.skip.map { .string($0) }))])
            } ?? .null),
        ])
        let doc: OrderedJSON = .object([
            ("version", .int(version)),
            ("config", .string(snapshot.configName)),
            ("target", .string(snapshot.targetHost)),
            ("started_at", .string(timestamp(startedAt))),
            ("finished_at", .string(timestamp(finishedAt))),
            ("cycles", .int(snapshot.completedCycles)),
            ("summary", summary),
            ("probes", .array(snapshot.probes.map(probe))),
        ])
        return doc.text() + "\n"
    }

    static func probe(_ p: ProbeState) -> OrderedJSON {
        let r = p.last
        var fields: [(String, OrderedJSON)] = [
            ("name", .string(p.name)),
            ("kind", .string(p.kind.rawValue)),
            ("group", .string(p.group)),
            ("verdict", p.verdict.map { .string($0.rawValue) } ?? .string("pending")),
            ("class", .optional(r?.failureClass?.rawValue)),
            ("message", .string(r?.message ?? (p.enabled ? "no result" : "disabled"))),
            ("status", .optional(r?.status)),
            ("close_code", .optional(r?.closeCode)),
            ("close_reason", .optional(r?.closeReason)),
            ("latency_ms", .object([
                ("last", .ms(p.stats.last)), ("avg", .ms(p.stats.avg)), ("p50", .ms(p.stats.p50)),
                ("p95", .ms(p.stats.p95)), ("p99", .ms(p.stats.p99)), ("samples", .int(p.stats.samples)),
            ])),
            // `queue`: the wait for a slot (defaults.max_in_flight) before the request started, never in the others.
            ("timings_ms", r?.timings.map { t in
                .object([("dns", .ms(t.dns)), ("connect", .ms(t.connect)), ("tls", .ms(t.tls)), ("ttfb", .ms(t.ttfb)), ("total", .ms(t.total)),
                         ("queue", .ms(r?.queueMs))])
            } ?? .null),
            ("conditions", .array((r?.conditions ?? []).map { c in
                .object([("expr", .string(c.expr)), ("ok", .bool(c.ok)), ("actual", .string(c.actual))])
            })),
            ("events", .array((r?.events ?? []).map { e in .object([("type", .string(e.type)), ("at_ms", .ms(e.atMs))]) })),
        ]
        if let r { fields += KindFields.json(r) }
        return .object(fields)
    }

    public static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
