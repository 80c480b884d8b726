import Foundation

/// Number formats shared by the table, the reports and the dashboard, so a figure reads the same everywhere.
public enum Format {
    /// A burst's statuses, `38×200 12×429`: count × status, statuses ascending.
    public static func statusCounts(_ statuses: [Int: Int]) -> String {
        statuses.keys.sorted().map { "\(statuses[$0]!)×\($0)" }.joined(separator: " ")
    }

    /// The status a burst answered most often; the lower one on a tie, so the figure is stable.
    public static func commonestStatus(_ statuses: [Int: Int]) -> Int? {
        statuses.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
    }

    /// "0.4ms", "82.7ms", "1.20s", "12.5s", "3m05s".
    public static func latency(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return "-" }
        if ms < 1000 { return String(format: "%.1fms", ms) }
        let s = ms / 1000
        if s < 10 { return String(format: "%.2fs", s) }
        if s < 60 { return String(format: "%.1fs", s) }
        return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }

    /// "84%" / "84.6%": whole percent unless the fraction matters.
    public static func percent(_ rate: Double?) -> String {
        guard let rate else { return "-" }
        let p = rate * 100
        return p == p.rounded() ? String(format: "%.0f%%", p) : String(format: "%.1f%%", p)
    }

    /// Ages: "4s", "2m", "3h", "2d".
    public static func age(_ seconds: Double) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(Int(s))s" }
        if s < 3600 { return "\(Int(s / 60))m" }
        if s < 86400 { return "\(Int(s / 3600))h" }
        return "\(Int(s / 86400))d"
    }

    /// "1m 05s", "2h 03m": uptime in the header.
    public static func uptime(_ seconds: Double) -> String {
        let s = Int(max(0, seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm %02ds", s / 60, s % 60) }
        return String(format: "%dh %02dm", s / 3600, (s % 3600) / 60)
    }

    /// The standard reason phrase of an HTTP status, for messages like "404 Not Found".
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"; case 201: "Created"; case 202: "Accepted"; case 204: "No Content"
        case 301: "Moved Permanently"; case 302: "Found"; case 303: "See Other"; case 304: "Not Modified"
        case 307: "Temporary Redirect"; case 308: "Permanent Redirect"
        case 400: "Bad Request"; case 401: "Unauthorized"; case 403: "Forbidden"; case 404: "Not Found"
        case 405: "Method Not Allowed"; case 408: "Request Timeout"; case 409: "Conflict"; case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"; case 501: "Not Implemented"; case 502: "Bad Gateway"
        case 503: "Service Unavailable"; case 504: "Gateway Timeout"
        default: ""
        }
    }

    /// WebSocket close code names (RFC 6455 §7.4.1), for the close-code panel and messages.
    public static func closeCodeName(_ code: Int) -> String {
        switch code {
        case 1000: "normal"; case 1001: "going away"; case 1002: "protocol error"; case 1003: "unsupported data"
        case 1005: "no status"; case 1006: "abnormal"; case 1007: "invalid payload"; case 1008: "policy violation"
        case 1009: "message too big"; case 1010: "mandatory extension"; case 1011: "internal error"
        case 1012: "service restart"; case 1013: "try again later"; case 1015: "TLS handshake"
        default: "code \(code)"
        }
    }
}
