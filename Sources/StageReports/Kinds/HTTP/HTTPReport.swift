import StageModel

/// What an HTTP answer adds to a failure's evidence: its status, unless the message already says it.
/// Stream and WebSocket probes start with an HTTP request, so their evidence leads with this too.
enum HTTPReport {
    /// Markdown: `status 200` after a message that does not name it (a hung stream's `no data for …`).
    static func evidence(_ r: ProbeResult) -> [String] {
        guard let s = r.status, !r.message.contains(String(s)) else { return [] }
        return ["status \(s)"]
    }

    /// JUnit: `status: 307`.
    static func junit(_ r: ProbeResult) -> [String] {
        r.status.map { ["status: \($0)"] } ?? []
    }
}
