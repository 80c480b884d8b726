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

    /// "84%" / "84.6%": whole percent unless the fraction matters.
    public static func percent(_ rate: Double?) -> String {
        guard let rate else { return "-" }
        let p = rate * 100
        return p == p.rounded() ? String(format: "%.0f%%", p) : String(format: "%.1f%%", p)
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

// MARK: - Durations

/// One formatter per purpose, used by `check`'s table, the reports, the probes' messages and the
/// dashboard alike: a duration reads the same wherever it is shown. Hand-rolled instead of
/// `String(format:)` because the dashboard runs them for every visible cell of every frame.
extension Format {
    /// `v` with exactly `decimals` decimals, rounded half away from zero.
    public static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let negative = v < 0
        let n = Int64((abs(v) * scale).rounded())
        let s = Int64(scale)
        var out = negative && n != 0 ? "-" : ""
        out += String(n / s)
        if decimals > 0 {
            let frac = String(n % s)
            out += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return out
    }

    /// What a run took (latency, a handshake, a gap): `0.4ms`, `82.7ms`, `1.20s`, `12.3s`, then minutes
    /// as a running run shows them, `2m05s`; `-` when there is none.
    public static func latency(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return "-" }
        if ms < 999.95 { return fixed(ms, decimals: 1) + "ms" }
        let s = ms / 1000
        if s < 9.995 { return fixed(s, decimals: 2) + "s" }
        return elapsed(s)
    }

    /// How long a run has been going: `4.2s`, then `2m05s` (whole seconds, as a clock counts them).
    public static func elapsed(_ seconds: Double) -> String {
        let s = max(0, seconds.isFinite ? seconds : 0)
        if s < 59.95 { return fixed(s, decimals: 1) + "s" }
        // From 59.95 s the tenth rounds to a minute: show 1m00s, not 0m59s.
        let whole = max(60, Int(s))
        return "\(whole / 60)m" + pad2(whole % 60) + "s"
    }

    /// Elapsed time in at most 4 columns, for the AGE column (`running 4.2s`, `running 14s`, `running 2m`).
    public static func shortElapsed(_ seconds: Double) -> String {
        let s = max(0, seconds.isFinite ? seconds : 0)
        if s < 9.95 { return fixed(s, decimals: 1) + "s" }
        return s < 59.5 ? "\(Int(s.rounded()))s" : age(s)
    }

    /// The age of a result, coarse: `3s`, `2m`, `1h`, `2d`. Negative ages (clock skew) read as `0s`.
    public static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.isFinite ? seconds : 0))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }

    /// How long something has been up (a session, a held-open connection): `44s`, `3m05s`, `1h02m`, `2d03h`.
    public static func uptime(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.isFinite ? seconds : 0))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad2(s % 60) + "s" }
        if s < 86400 { return "\(s / 3600)h" + pad2(s % 3600 / 60) + "m" }
        return "\(s / 86400)d" + pad2(s % 86400 / 3600) + "h"
    }

    /// `05`, `12`.
    public static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
