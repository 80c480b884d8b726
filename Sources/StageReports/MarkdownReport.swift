import Foundation
import StageModel

/// `check --markdown FILE` and `stagetop report RECORDING`: the staging reports' summary, honestly.
/// Facts only — counts, evidence, figures — and no guessing at causes. Hangs and errors are in the
/// denominator; nothing is skipped out of the pass rate except probes the config disabled.
public enum MarkdownReport {
    public static func render(_ snapshot: Snapshot, startedAt: Date, finishedAt: Date) -> String {
        let s = snapshot.summary
        var out = "# \(snapshot.configName): stagetop report\n\n"
        out += "Target `\(snapshot.targetHost)` · \(JSONReport.timestamp(startedAt)) → \(JSONReport.timestamp(finishedAt))"
        if snapshot.completedCycles > 1 { out += " · \(snapshot.completedCycles) cycles" }
        out += "\n\n## Summary\n\n"
        if let subset = snapshot.subset { out += "_\(subset.description)_. " }
        out += "**\(s.passed)/\(s.counted) passed (\(Format.percent(s.passRate)))**. "
        out += "The denominator is every probe but the \(s.skipped) disabled ones: \(s.hung) hung and \(s.errored) errored probes count as not passed"
        out += s.pending > 0 ? ", and so do \(s.pending) without a result.\n\n" : ".\n\n"
        out += "| passed | failed | hung | errors | skipped | pass rate | avg latency |\n|---:|---:|---:|---:|---:|---:|---:|\n"
        out += "| \(s.passed) | \(s.failed) | \(s.hung) | \(s.errored) | \(s.skipped) | \(Format.percent(s.passRate)) | \(s.latencyAvgMs.map { String(format: "%.1f ms", $0) } ?? "-") |\n\n"

        if snapshot.cycles.count > 1 {
            out += "## Cycles\n\n"
            out += snapshot.cycles.map(\.ratio).joined(separator: " → ") + "\n\n"
            out += "| cycle | finished | passed | pass rate | failed | hung | errors | avg latency | flips |\n|---:|---|---:|---:|---:|---:|---:|---:|---|\n"
            for c in snapshot.cycles {
                let flips = c.flips.map { "\($0.probe) \($0.from?.rawValue ?? "new")→\($0.to.rawValue)" }.joined(separator: ", ")
                out += "| \(c.number) | \(JSONReport.timestamp(c.finishedAt)) | \(c.ratio) | \(Format.percent(c.passRate)) | \(c.failed) | \(c.hung) | \(c.errored) | "
                out += "\(c.latencyAvgMs.map { String(format: "%.1f ms", $0) } ?? "-") | \(cell(flips.isEmpty ? "-" : flips)) |\n"
            }
            out += "\n"
        }

        let failing = snapshot.probes.filter { $0.verdict != nil && $0.verdict != .pass && $0.verdict != .skip }
        let pending = snapshot.probes.filter { $0.verdict == nil }
        if !failing.isEmpty || !pending.isEmpty {
            out += "## Failures by class\n\n"
            var byClass: [String: [ProbeState]] = [:]
            for p in failing { byClass[p.last?.failureClass?.rawValue ?? "unclassified", default: []].append(p) }
            for cls in byClass.keys.sorted() {
                let probes = byClass[cls]!
                out += "### \(cls) (\(probes.count))\n\n"
                for p in probes { out += "- **\(p.name)** (\(p.verdict!.rawValue)): \(evidence(p))\n" }
                out += "\n"
            }
            if !pending.isEmpty {
                out += "### no result (\(pending.count))\n\n"
                for p in pending { out += "- **\(p.name)**: never reported\n" }
                out += "\n"
            }
        }

        if !snapshot.closes.isEmpty {
            out += "## WebSocket closes\n\n"
            out += snapshot.closeCounts.keys.sorted().map { "\($0) \(Format.closeCodeName($0)) ×\(snapshot.closeCounts[$0]!)" }.joined(separator: " · ") + "\n\n"
        }

        out += "## Probes\n\n"
        out += "| probe | group | kind | verdict | class | status / close | last | avg | p95 | samples | message |\n"
        out += "|---|---|---|---|---|---:|---:|---:|---:|---:|---|\n"
        for p in snapshot.probes {
            let r = p.last
            let code = ShownCode(p).map { if case .close(let c) = $0 { "close \(c)" } else { $0.text } } ?? "-"
            out += "| \(cell(p.name)) | \(cell(p.group.isEmpty ? "-" : p.group)) | \(p.kind.rawValue) | \(p.verdict?.rawValue ?? "no result") | "
            out += "\(r?.failureClass?.rawValue ?? "-") | \(code) | \(Format.latency(p.stats.last)) | \(Format.latency(p.stats.avg)) | "
            out += "\(Format.latency(p.stats.p95)) | \(p.stats.samples) | \(cell(r?.message ?? (p.enabled ? "no result" : "disabled"))) |\n"
        }
        return out
    }

    /// The evidence for one failure, as recorded: status, close code + reason, missing event, watchdog, failed conditions.
    static func evidence(_ p: ProbeState) -> String {
        guard let r = p.last else { return "no result" }
        var parts: [String] = [r.message]
        parts += KindFields.evidence(r)
        let failed = r.conditions.filter { !$0.ok }.map { "`\($0.expr)` (actual \($0.actual))" }
        if !failed.isEmpty { parts.append("failed: " + failed.joined(separator: ", ")) }
        return parts.map(inline).joined(separator: "; ")
    }

    /// Table cells cannot hold pipes or newlines.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func inline(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ") }
}
