import StageModel

/// What a burst adds to the reports: the statuses its requests got, counted.
enum BurstReport {
    /// JSON: `"statuses": {"200": 38, "429": 12}`, statuses ascending; absent when none came back.
    static func json(_ r: ProbeResult) -> [(String, OrderedJSON)] {
        guard !r.statuses.isEmpty else { return [] }
        return [("statuses", .object(r.statuses.keys.sorted().map { (String($0), .int(r.statuses[$0]!)) }))]
    }

    /// Markdown: `statuses 38×200 12×429`.
    static func evidence(_ r: ProbeResult) -> [String] {
        r.statuses.isEmpty ? [] : ["statuses \(Format.statusCounts(r.statuses))"]
    }
}
