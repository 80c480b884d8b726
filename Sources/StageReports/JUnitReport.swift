import Foundation
import StageModel

/// `check --junit FILE`: one testcase per probe, so CI systems show stagetop probes as tests.
/// Hangs are failures (never skipped), errors are <error>, disabled probes are <skipped>.
public enum JUnitReport {
    public static func render(_ snapshot: Snapshot, startedAt: Date, finishedAt: Date) -> String {
        let s = snapshot.summary
        let seconds = String(format: "%.3f", finishedAt.timeIntervalSince(startedAt))
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="stagetop" tests="\#(s.total)" failures="\#(s.failed + s.hung)" errors="\#(s.errored + s.pending)" skipped="\#(s.skipped)" time="\#(seconds)">"# + "\n"
        out += #"  <testsuite name="\#(xml(snapshot.configName))" tests="\#(s.total)" failures="\#(s.failed + s.hung)" errors="\#(s.errored + s.pending)" skipped="\#(s.skipped)" time="\#(seconds)" timestamp="\#(JSONReport.timestamp(startedAt))">"# + "\n"
        for p in snapshot.probes {
            let time = String(format: "%.3f", (p.last?.latencyMs ?? 0) / 1000)
            let classname = p.group.isEmpty ? p.kind.rawValue : p.group
            out += #"    <testcase name="\#(xml(p.name))" classname="\#(xml(classname))" time="\#(time)">"#
            let r = p.last
            let cls = r?.failureClass?.rawValue ?? "none"
            let msg = r?.message ?? "no result"
            switch p.verdict {
            case .pass?: break
            case .skip?: out += "<skipped/>"
            case .fail?, .hang?:
                out += "\n      " + #"<failure type="\#(xml(cls))" message="\#(xml("\(cls): \(msg)"))">\#(xml(detail(r)))</failure>"# + "\n    "
            case .error?, nil:
                out += "\n      " + #"<error type="\#(xml(cls))" message="\#(xml("\(cls): \(msg)"))">\#(xml(detail(r)))</error>"# + "\n    "
            }
            out += "</testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func detail(_ r: ProbeResult?) -> String {
        guard let r else { return "no result" }
        var lines = ["verdict: \(r.verdict.rawValue)", "class: \(r.failureClass?.rawValue ?? "-")", "message: \(r.message)"]
        lines += KindFields.junit(r)
        for c in r.conditions { lines.append("\(c.ok ? "ok  " : "FAIL") \(c.expr) (actual \(c.actual))") }
        return lines.joined(separator: "\n")
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where ch.value < 0x20 && ch != "\n" && ch != "\t": out += "?"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
