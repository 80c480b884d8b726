import StageModel

/// What a stream run adds to a failure's evidence: the watchdog that ended it, unless the message says so.
enum StreamReport {
    /// Markdown: `watchdog: no data for 10.0 s after 3 events, 412 B`.
    static func evidence(_ r: ProbeResult) -> [String] {
        guard let w = r.stream?.watchdog, !r.message.contains(w.message) else { return [] }
        return ["watchdog: \(w.message)"]
    }
}
