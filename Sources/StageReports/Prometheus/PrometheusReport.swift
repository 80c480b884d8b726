import Foundation
import StageModel

/// `check --prometheus FILE`: the Prometheus text exposition format (0.0.4), for node_exporter's textfile
/// collector or any scraper of a file. One sample per probe and figure; the labels are names only — never a
/// message, URL or header — so no token can reach a label and the series count stays fixed per config.
///
/// Honest as the other reports: `stagetop_pass_ratio` divides by every probe not skipped (hangs, errors
/// and probes without a result included), and `stagetop_probe_up` is 1 for `pass` only.
public enum PrometheusReport {
    /// - Parameter labels: put on every series before `config` (the agent's `location`).
    public static func render(_ snapshot: Snapshot, finishedAt: Date, labels common: [(String, String)] = []) -> String {
        var out = Exposition()
        var cache = SeriesCache()
        write(snapshot, finishedAt: finishedAt, labels: common, cache: &cache, to: &out)
        return out.text
    }

    /// The per-probe families, in the order they are written.
    static let probeFamilies: [(name: String, type: MetricType, help: String)] = [
        ("stagetop_probe_up", .gauge, "1 if the probe's last verdict was pass, else 0."),
        ("stagetop_probe_verdict", .gauge, "1 on the series of the probe's last verdict and failure class."),
        ("stagetop_probe_http_status", .gauge, "HTTP status of the last response (a burst: its most frequent)."),
        ("stagetop_probe_ws_close_code", .gauge, "Close code that ended the last WebSocket run (1008, 1011 ...)."),
        ("stagetop_probe_latency_seconds", .gauge, "Latency of the probe's runs: last, avg and quantiles."),
        ("stagetop_probe_latency_samples", .gauge, "Runs with a latency behind the latency figures."),
    ]

    /// The families `check --prometheus` writes; the agent's live `/metrics` starts with the same. A
    /// probe's series are taken from `cache` while the probe has had no new result since they were written.
    static func write(_ snapshot: Snapshot, finishedAt: Date, labels common: [(String, String)], cache: inout SeriesCache,
                      to out: inout Exposition) {
        let config = common + [("config", snapshot.configName)]
        let s = snapshot.summary

        out.family("stagetop_probes", .gauge, "Probes by verdict of their last run (pending: no result yet).")
        for (verdict, n) in [("pass", s.passed), ("fail", s.failed), ("hang", s.hung), ("error", s.errored),
                             ("skip", s.skipped), ("pending", s.pending)] {
            out.sample("stagetop_probes", config + [("verdict", verdict)], Double(n))
        }
        out.family("stagetop_pass_ratio", .gauge, "passed / (total - skipped): hangs and errors count against it.")
        if let rate = s.passRate { out.sample("stagetop_pass_ratio", config, rate) }
        out.family("stagetop_cycles_completed", .gauge, "Full passes over every probe.")
        out.sample("stagetop_cycles_completed", config, Double(snapshot.completedCycles))
        out.family("stagetop_last_run_timestamp_seconds", .gauge, "When this report was written (Unix time).")
        out.sample("stagetop_last_run_timestamp_seconds", config, finishedAt.timeIntervalSince1970)

        cache.begin(generation: config.map { "\($0.0)=\($0.1)" }.joined(separator: ","))
        var perProbe: [[[UInt8]]] = []
        perProbe.reserveCapacity(snapshot.probes.count)
        for p in snapshot.probes {
            // A probe's series change only with a new result (or a held WebSocket's refused handshake).
            let key = [p.runs, p.enabled ? 1 : 0, p.connection?.handshakeStatus ?? -1]
            perProbe.append(cache.chunks("core", p.name, key: key) { probeChunks(p, config: config) })
        }
        for (f, family) in probeFamilies.enumerated() {
            out.family(family.name, family.type, family.help)
            for chunks in perProbe { out.append(chunks[f]) }
        }

        out.family("stagetop_websocket_closes_total", .counter, "WebSocket closes seen, by close code.")
        for (code, n) in snapshot.closeCounts.sorted(by: { $0.key < $1.key }) {
            out.sample("stagetop_websocket_closes_total", config + [("code", String(code))], Double(n))
        }
    }

    /// One probe's samples for each of `probeFamilies`.
    static func probeChunks(_ p: ProbeState, config: [(String, String)]) -> [[UInt8]] {
        let l = Exposition.Labels(config + [("probe", p.name), ("group", p.group), ("kind", p.kind.rawValue)])
        var up = Exposition(reserve: 256), verdict = Exposition(reserve: 256), http = Exposition(reserve: 256)
        var close = Exposition(reserve: 256), latency = Exposition(reserve: 1024), samples = Exposition(reserve: 256)
        if p.enabled { up.sample("stagetop_probe_up", l, p.verdict == .pass ? 1 : 0) }
        let v = p.verdict?.rawValue ?? "pending"
        let cls = p.verdict == .pass ? "" : p.last?.failureClass?.rawValue ?? ""
        verdict.sample("stagetop_probe_verdict", l.with("verdict", v), ("class", cls), 1)
        if let last = p.last, let status = ShownCode.httpStatus(last, connection: p.connection) {
            http.sample("stagetop_probe_http_status", l, Double(status))
        }
        if case .close(let code)? = ShownCode(p) { close.sample("stagetop_probe_ws_close_code", l, Double(code)) }
        let st = p.stats
        for (stat, ms) in [("last", st.last), ("avg", st.avg), ("p50", st.p50), ("p95", st.p95), ("p99", st.p99)] {
            guard let ms else { continue }
            latency.sample("stagetop_probe_latency_seconds", l, ("stat", stat), ms / 1000)
        }
        if st.samples > 0 { samples.sample("stagetop_probe_latency_samples", l, Double(st.samples)) }
        return [up.bytes, verdict.bytes, http.bytes, close.bytes, latency.bytes, samples.bytes]
    }
}

/// Rendered series per probe, reused across scrapes until the probe changes (most probes have no new
/// result between two scrapes). Entries of probes that were not written in a render are dropped.
struct SeriesCache: Sendable {
    struct Entry: Sendable { var key: [Int]; var chunks: [[UInt8]] }
    private var entries: [String: Entry] = [:]
    private var used: [String: Entry] = [:]
    private var generation = ""

    /// Starts a render; a change of the common labels (config name, location) empties the cache.
    mutating func begin(generation g: String) {
        if g != generation { entries = [:]; generation = g }
    }

    mutating func chunks(_ part: String, _ probe: String, key: [Int], build: () -> [[UInt8]]) -> [[UInt8]] {
        let id = part + "/" + probe
        if let e = entries[id], e.key == key { used[id] = e; return e.chunks }
        let e = Entry(key: key, chunks: build())
        used[id] = e
        return e.chunks
    }

    /// Ends a render: only what it used is kept.
    mutating func end() {
        entries = used
        used = [:]
    }
}
