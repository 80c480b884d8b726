import Foundation
import StageModel

/// What the agent itself knows that a snapshot does not: who it is and how its alerts and reloads went.
public struct AgentFacts: Sendable {
    public var version: String
    public var location: String?
    public var startedAt: Date
    /// Deliveries that failed after every retry, and deliveries made, by alert name.
    public var alertFailures: [String: Int]
    public var alertsSent: [String: Int]
    /// The last config reload: nil before any.
    public var lastReload: (ok: Bool, at: Date)?

    public init(version: String, location: String?, startedAt: Date, alertFailures: [String: Int] = [:],
                alertsSent: [String: Int] = [:], lastReload: (ok: Bool, at: Date)? = nil) {
        self.version = version; self.location = location; self.startedAt = startedAt
        self.alertFailures = alertFailures; self.alertsSent = alertsSent; self.lastReload = lastReload
    }

    /// Put on every series when the agent has a location, so many agents' series never collide.
    public var commonLabels: [(String, String)] { location.map { [("location", $0)] } ?? [] }
}

/// The agent's live `/metrics`: everything `check --prometheus` writes (same names, same meaning), then
/// the counters, the latency histogram and the agent's own facts. Labels are names only, never a message,
/// URL or header, so no token can reach Prometheus.
public enum LiveMetricsReport {
    public static func render(_ snapshot: Snapshot, counters: LiveCounters, facts: AgentFacts, at now: Date) -> String {
        var series = SeriesCache()
        return String(decoding: render(snapshot, counters: counters, facts: facts, at: now, cache: &series), as: UTF8.self)
    }

    /// The exposition as bytes, for the HTTP body (no String in between: a scrape of 1,000 probes is 3.5 MB).
    /// `cache` keeps each probe's rendered series between scrapes; one render at a time uses it.
    public static func bytes(_ snapshot: Snapshot, counters: LiveCounters, facts: AgentFacts, at now: Date, cache: MetricsCache) -> [UInt8] {
        withBytes(snapshot, counters: counters, facts: facts, at: now, cache: cache) { Array($0) }
    }

    /// Renders into the cache's buffer (reused across scrapes: a fresh 4 MB buffer per scrape showed up in
    /// perf as page faults) and hands `body` the bytes; one render at a time.
    public static func withBytes<T: Sendable>(_ snapshot: Snapshot, counters: LiveCounters, facts: AgentFacts, at now: Date, cache: MetricsCache,
                                    _ body: (UnsafeRawBufferPointer) -> T) -> T {
        cache.lock.withLock { state in
            var out = Exposition(reusing: &state.buffer)
            render(snapshot, counters: counters, facts: facts, at: now, cache: &state.series, into: &out)
            let result = out.bytes.withUnsafeBytes(body)
            state.buffer = out.release()
            return result
        }
    }

    static func render(_ snapshot: Snapshot, counters: LiveCounters, facts: AgentFacts, at now: Date, cache: inout SeriesCache) -> [UInt8] {
        var out = Exposition(reserve: 4096 * (snapshot.probes.count + 4))
        render(snapshot, counters: counters, facts: facts, at: now, cache: &cache, into: &out)
        return out.bytes
    }

    static func render(_ snapshot: Snapshot, counters: LiveCounters, facts: AgentFacts, at now: Date, cache: inout SeriesCache,
                       into out: inout Exposition) {
        let common = facts.commonLabels
        PrometheusReport.write(snapshot, finishedAt: now, labels: common, cache: &cache, to: &out)
        let config = common + [("config", snapshot.configName)]
        var live: [[[UInt8]]] = []
        live.reserveCapacity(snapshot.probes.count)
        for p in snapshot.probes {
            guard let c = counters.probes[p.name] else { continue }
            // The counters change only with a result: runs and observations identify their state.
            live.append(cache.chunks("live", p.name, key: c.runs + [c.observed, c.hangs]) { liveChunks(p, c, config: config) })
        }
        cache.end()
        for (f, family) in liveFamilies.enumerated() {
            out.family(family.name, family.type, family.help)
            for chunks in live { out.append(chunks[f]) }
        }
        if let login = snapshot.login {
            out.family("stagetop_login_up", .gauge, "1 if the last login (auth.login) succeeded, else 0.")
            out.sample("stagetop_login_up", config, login.phase == .ok ? 1 : 0)
            out.family("stagetop_login_attempts_total", .counter, "Logins since the agent started, by result.")
            for result in ["ok", "failed"] {
                out.sample("stagetop_login_attempts_total", config + [("result", result)], Double(counters.logins[result] ?? 0))
            }
        }

        out.family("stagetop_agent_info", .gauge, "Always 1: the agent's version and location.")
        out.sample("stagetop_agent_info", [("version", facts.version), ("location", facts.location ?? "")], 1)
        out.family("stagetop_agent_start_time_seconds", .gauge, "When the agent started (Unix time).")
        out.sample("stagetop_agent_start_time_seconds", common, facts.startedAt.timeIntervalSince1970)
        out.family("stagetop_alerts_sent_total", .counter, "Alert deliveries that succeeded, by alert.")
        for (name, n) in facts.alertsSent.sorted(by: { $0.key < $1.key }) {
            out.sample("stagetop_alerts_sent_total", common + [("alert", name)], Double(n))
        }
        out.family("stagetop_alert_failures_total", .counter, "Alert deliveries that failed after every retry, by alert.")
        for (name, n) in facts.alertFailures.sorted(by: { $0.key < $1.key }) {
            out.sample("stagetop_alert_failures_total", common + [("alert", name)], Double(n))
        }
        if let reload = facts.lastReload {
            out.family("stagetop_config_reload_success", .gauge, "1 if the last config reload succeeded, 0 if the old config is still running.")
            out.sample("stagetop_config_reload_success", common, reload.ok ? 1 : 0)
            out.family("stagetop_config_reload_timestamp_seconds", .gauge, "When the config was last reloaded or a reload was refused (Unix time).")
            out.sample("stagetop_config_reload_timestamp_seconds", common, reload.at.timeIntervalSince1970)
        }
    }

    static let liveFamilies: [(name: String, type: MetricType, help: String)] = [
        ("stagetop_probe_runs_total", .counter, "Probe runs since the agent started, by verdict."),
        ("stagetop_probe_duration_seconds", .histogram, "Latency of probe runs, measured from the request's start (never queue time)."),
        ("stagetop_stream_hangs_total", .counter, "Stream probe runs that ended as hang (a watchdog fired)."),
    ]
    static let verdictNames = Verdict.allCases.map(\.rawValue)
    static let bounds = LiveCounters.bucketBounds.map { Exposition.format($0) } + ["+Inf"]

    /// One probe's samples for each of `liveFamilies`.
    static func liveChunks(_ p: ProbeState, _ c: LiveCounters.Probe, config: [(String, String)]) -> [[UInt8]] {
        let l = Exposition.Labels(config + [("probe", p.name), ("group", p.group), ("kind", p.kind.rawValue)])
        var runs = Exposition(reserve: 1024), histogram = Exposition(reserve: 4096), hangs = Exposition(reserve: 256)
        for (i, v) in verdictNames.enumerated() {
            runs.sample("stagetop_probe_runs_total", l, ("verdict", v), Double(c.runs[i]))
        }
        var cumulative = 0
        for (i, bound) in bounds.enumerated() {
            cumulative += c.buckets[i]
            histogram.sample("stagetop_probe_duration_seconds_bucket", l, ("le", bound), Double(cumulative))
        }
        histogram.sample("stagetop_probe_duration_seconds_sum", l, c.sumSeconds)
        histogram.sample("stagetop_probe_duration_seconds_count", l, Double(c.observed))
        if p.kind == .stream { hangs.sample("stagetop_stream_hangs_total", l, Double(c.hangs)) }
        return [runs.bytes, histogram.bytes, hangs.bytes]
    }
}

/// The agent's cache of rendered series, kept between scrapes.
public final class MetricsCache: Sendable {
    struct State { var series = SeriesCache(); var buffer: [UInt8] = [] }
    let lock = Locked(State())
    public init() {}
}
