import StageModel

/// The plain aligned table `stagetop check` prints: readable in a CI log, greppable, no colour codes.
public enum TextTable {
    public static func render(_ snapshot: Snapshot, maxMessage: Int = 60) -> String {
        let header = ["PROBE", "VERDICT", "CLASS", "STATUS", "LATENCY", "MESSAGE"]
        var rows: [[String]] = [header]
        for p in snapshot.probes {
            let r = p.last
            // The code the dashboard shows too (StageModel/Rules/ShownCode.swift); a burst's statuses in full.
            let status = ShownCode(p)?.text ?? "-"
            var msg = r?.message ?? (p.enabled ? "no result" : "disabled")
            if msg.count > maxMessage { msg = String(msg.prefix(maxMessage - 1)) + "…" }
            rows.append([p.name, p.verdict?.rawValue ?? "pending", r?.failureClass?.rawValue ?? "-", status, Format.latency(r?.latencyMs), msg])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            var line = ""
            for (c, cell) in row.enumerated() {
                let last = c == row.count - 1
                line += last ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) + "  "
            }
            out += line + "\n"
        }
        out += "\n" + summaryLine(snapshot.summary) + "\n"
        // A pass rate over part of the config must say so: "21/25" of a subset is not the staging's health.
        if let subset = snapshot.subset { out += subset.description + "\n" }
        return out
    }

    /// "21/25 passed (84%) · 2 failed · 2 hung · 0 errors · avg 82.7 ms" — hangs and errors are in the denominator.
    public static func summaryLine(_ s: Summary) -> String {
        var parts = ["\(s.passed)/\(s.counted) passed (\(Format.percent(s.passRate)))", "\(s.failed) failed", "\(s.hung) hung", "\(s.errored) errors"]
        if s.skipped > 0 { parts.append("\(s.skipped) skipped") }
        if s.pending > 0 { parts.append("\(s.pending) without result") }
        if let avg = s.latencyAvgMs { parts.append(String(format: "avg %.1f ms", avg)) }
        return parts.joined(separator: " · ")
    }

    /// "cycle 2  21/25 (84%)  hung 2  avg 82.7 ms  flips: b pass→fail, d hang→pass"
    public static func cycleLine(_ c: CycleSummary) -> String {
        var parts = ["cycle \(c.number)", "\(c.ratio) (\(Format.percent(c.passRate)))"]
        if c.failed > 0 { parts.append("failed \(c.failed)") }
        if c.hung > 0 { parts.append("hung \(c.hung)") }
        if c.errored > 0 { parts.append("errors \(c.errored)") }
        if let avg = c.latencyAvgMs { parts.append(String(format: "avg %.1f ms", avg)) }
        if !c.flips.isEmpty {
            parts.append("flips: " + c.flips.map { "\($0.probe) \($0.from?.rawValue ?? "new")→\($0.to.rawValue)" }.joined(separator: ", "))
        }
        return parts.joined(separator: "  ")
    }
}
