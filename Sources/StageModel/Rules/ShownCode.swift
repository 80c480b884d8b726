/// The code a probe's last run is shown with: the dashboard's CODE column, `check`'s STATUS column, the
/// Markdown report's "status / close" column and the Prometheus status and close-code gauges all ask
/// this rule, so a probe cannot show 1011 in one place and 101 in another.
///
/// In order: the close code that ended a WebSocket run; else the status of a refused WebSocket upgrade
/// (a 101 is not worth showing: the close or the result's status says more); else the result's HTTP
/// status; else a burst's statuses.
public enum ShownCode: Sendable, Equatable {
    case close(Int)
    case status(Int)
    /// A burst's statuses, status → count (never empty).
    case statuses([Int: Int])

    /// What `probe` shows; nil before its first result, or when the run got no code at all (a timeout).
    public init?(_ probe: ProbeState) {
        guard let last = probe.last else { return nil }
        self.init(last, connection: probe.connection)
    }

    /// What `result` shows. `connection` is a held-open WebSocket's latest state, used when the result
    /// itself carries none.
    public init?(_ result: ProbeResult, connection: WebSocketInfo? = nil) {
        if let code = result.closeCode { self = .close(code); return }
        if let status = Self.responseStatus(result, connection: connection) { self = .status(status); return }
        guard !result.statuses.isEmpty else { return nil }
        self = .statuses(result.statuses)
    }

    /// The HTTP status of the last response, whether or not a close code is shown instead: the refused
    /// upgrade's, else the result's (101 for a WebSocket that connected), else a burst's commonest.
    /// The Prometheus report keeps it beside the close code, as two gauges.
    public static func httpStatus(_ result: ProbeResult, connection: WebSocketInfo? = nil) -> Int? {
        responseStatus(result, connection: connection) ?? Format.commonestStatus(result.statuses)
    }

    /// A refused upgrade's status (a 101 is not worth showing), else the result's HTTP status.
    static func responseStatus(_ result: ProbeResult, connection: WebSocketInfo?) -> Int? {
        if let refused = (result.websocket ?? connection)?.handshakeStatus, refused != 101 { return refused }
        return result.status
    }

    /// One number for the code: the close code, the status, or the status a burst got most often.
    public var number: Int {
        switch self {
        case .close(let code), .status(let code): code
        case .statuses(let statuses): Format.commonestStatus(statuses) ?? 0
        }
    }

    /// As a text column shows it: `1011`, `404`, `38×200 12×429`.
    public var text: String {
        switch self {
        case .close(let code), .status(let code): String(code)
        case .statuses(let statuses): Format.statusCounts(statuses)
        }
    }
}
