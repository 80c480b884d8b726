import StageModel

/// What a WebSocket run adds to a failure's evidence: the close that ended it.
enum WebSocketReport {
    /// Markdown: `close 1011 internal error "Internal error"`.
    static func evidence(_ r: ProbeResult) -> [String] {
        guard let c = r.closeCode else { return [] }
        return ["close \(c) \(Format.closeCodeName(c))" + (r.closeReason.map { $0.isEmpty ? "" : " \"\($0)\"" } ?? "")]
    }

    /// JUnit: `close: 1011 Internal error`.
    static func junit(_ r: ProbeResult) -> [String] {
        r.closeCode.map { ["close: \($0) \(r.closeReason ?? "")"] } ?? []
    }
}
