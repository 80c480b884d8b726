import StageModel

/// What a journey adds to the reports: its steps (JSON) and the step that failed (Markdown, JUnit).
enum JourneyReport {
    /// JSON: `"steps": [{name, kind, verdict, class, status, close_code, latency_ms, message, captures}]`
    /// (docs/report-json.md); secret captures are already masked.
    static func json(_ r: ProbeResult) -> [(String, OrderedJSON)] {
        guard let j = r.journey else { return [] }
        return [("steps", .array(j.steps.map { s in
            var fields: [(String, OrderedJSON)] = [
                ("name", .string(s.name)), ("kind", .string(s.kind.rawValue)), ("verdict", .string(s.verdict.rawValue)),
                ("class", s.failureClass.map { .string($0.rawValue) } ?? .null),
                ("status", s.status.map { .int($0) } ?? .null), ("close_code", s.closeCode.map { .int($0) } ?? .null),
                ("latency_ms", .ms(s.latencyMs)), ("message", .string(s.message)),
            ]
            if !s.captures.isEmpty {
                fields.append(("captures", .object(s.captures.map { ($0.name, .string($0.value)) })))
            }
            return .object(fields)
        }))]
    }

    /// Markdown: `step 2/3 read: 404 Not Found (route)`, then the steps after it, skipped.
    static func evidence(_ r: ProbeResult) -> [String] {
        guard let j = r.journey, let (i, failing) = j.failing else { return [] }
        var out = ["failed at step \(i + 1)/\(j.steps.count) \(failing.name) (\(failing.kind.rawValue))"
                   + (failing.failureClass.map { ", class \($0.rawValue)" } ?? "")
                   + (failing.status.map { ", status \($0)" } ?? "") + (failing.closeCode.map { ", close \($0)" } ?? "")]
        let passed = j.steps.prefix(i).map(\.name)
        if !passed.isEmpty { out.append("passed before it: " + passed.joined(separator: ", ")) }
        let skipped = j.steps.filter { $0.verdict == .skip }.map(\.name)
        if !skipped.isEmpty { out.append("skipped after it: " + skipped.joined(separator: ", ")) }
        return out
    }

    /// JUnit: `step: 2/3 read (http) status 404`.
    static func junit(_ r: ProbeResult) -> [String] {
        guard let j = r.journey, let (i, failing) = j.failing else { return [] }
        return ["step: \(i + 1)/\(j.steps.count) \(failing.name) (\(failing.kind.rawValue))"
                + (failing.status.map { " status \($0)" } ?? "") + (failing.closeCode.map { " close \($0)" } ?? "")]
    }
}
