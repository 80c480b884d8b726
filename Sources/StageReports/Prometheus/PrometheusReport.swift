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
        write(snapshot, finishedAt: finishedAt, labels: common, to: &out)
        return out.text
    }

    /// The families `check --prometheus` writes; the agent's live `/metrics` starts with the same.
    static func write(_ snapshot: Snapshot, finishedAt: Date, labels common: [(String, String)], to out: inout Exposition) {
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

        let probes = snapshot.probes
        // Each probe's label set rendered once, for all its series.
        let rendered = probes.map { p in Exposition.Labels(config + [("probe", p.name), ("group", p.group), ("kind", p.kind.rawValue)]) }
        var byName: [String: Int] = [:]
        for (i, p) in probes.enumerated() where byName[p.name] == nil { byName[p.name] = i }
        func labels(_ p: ProbeState) -> Exposition.Labels { rendered[byName[p.name]!] }
        out.family("stagetop_probe_up", .gauge, "1 if the probe's last verdict was pass, else 0.")
        for p in probes where p.enabled {
            out.sample("stagetop_probe_up", labels(p), p.verdict == .pass ? 1 : 0)
        }
        out.family("stagetop_probe_verdict", .gauge, "1 on the series of the probe's last verdict and failure class.")
        for p in probes {
            let verdict = p.verdict?.rawValue ?? "pending"
            let cls = p.verdict == .pass ? "" : p.last?.failureClass?.rawValue ?? ""
            out.sample("stagetop_probe_verdict", labels(p).with("verdict", verdict).with("class", cls), 1)
        }
        out.family("stagetop_probe_http_status", .gauge, "HTTP status of the last response (a burst: its most frequent).")
        for p in probes {
            guard let last = p.last, let status = ShownCode.httpStatus(last, connection: p.connection) else { continue }
            out.sample("stagetop_probe_http_status", labels(p), Double(status))
        }
        out.family("stagetop_probe_ws_close_code", .gauge, "Close code that ended the last WebSocket run (1008, 1011 ...).")
        for p in probes {
            guard case .close(let code)? = ShownCode(p) else { continue }
            out.sample("stagetop_probe_ws_close_code", labels(p), Double(code))
        }
        out.family("stagetop_probe_latency_seconds", .gauge, "Latency of the probe's runs: last, avg and quantiles.")
        for p in probes {
            let st = p.stats
            for (stat, ms) in [("last", st.last), ("avg", st.avg), ("p50", st.p50), ("p95", st.p95), ("p99", st.p99)] {
                guard let ms else { continue }
                out.sample("stagetop_probe_latency_seconds", labels(p), ("stat", stat), ms / 1000)
            }
        }
        out.family("stagetop_probe_latency_samples", .gauge, "Runs with a latency behind the latency figures.")
        for p in probes where p.stats.samples > 0 {
            out.sample("stagetop_probe_latency_samples", labels(p), Double(p.stats.samples))
        }
        out.family("stagetop_websocket_closes_total", .counter, "WebSocket closes seen, by close code.")
        for (code, n) in snapshot.closeCounts.sorted(by: { $0.key < $1.key }) {
            out.sample("stagetop_websocket_closes_total", config + [("code", String(code))], Double(n))
        }
    }
}
