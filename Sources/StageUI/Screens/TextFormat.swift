import Foundation

/// Number and time formatting for the screens. Hand-rolled instead of `String(format:)` and
/// formatters because it runs for every visible cell of every frame.
public enum TextFormat {
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

    /// A latency in the table: `82.7ms`, `1.20s`, `12.3s`, `123s`; `-` when there is none.
    public static func latency(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return "-" }
        if ms < 999.95 { return fixed(ms, decimals: 1) + "ms" }
        let s = ms / 1000
        if s < 9.995 { return fixed(s, decimals: 2) + "s" }
        if s < 99.95 { return fixed(s, decimals: 1) + "s" }
        return fixed(s, decimals: 0) + "s"
    }

    /// The header average: `avg 82.7 ms` (one decimal, always in ms, as in the JSON report).
    public static func averageLatency(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return "avg - ms" }
        return "avg " + fixed(ms, decimals: 1) + " ms"
    }

    /// The age of a result, coarse: `3s`, `2m`, `1h`, `2d`. Negative ages (clock skew) read as `0s`.
    public static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.isFinite ? seconds : 0))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }

    /// How long a run has been going: `4.2s`, then `2m05s`.
    public static func elapsed(_ seconds: Double) -> String {
        let s = max(0, seconds.isFinite ? seconds : 0)
        if s < 59.95 { return fixed(s, decimals: 1) + "s" }
        let whole = Int(s)
        return "\(whole / 60)m" + pad2(whole % 60) + "s"
    }

    /// Uptime: `44s`, `3m05s`, `1h02m`, `2d03h`.
    public static func uptime(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.isFinite ? seconds : 0))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad2(s % 60) + "s" }
        if s < 86400 { return "\(s / 3600)h" + pad2(s % 3600 / 60) + "m" }
        return "\(s / 86400)d" + pad2(s % 86400 / 3600) + "h"
    }

    /// `HH:MM:SS` of `date` in `zone`.
    public static func clock(_ date: Date, zone: TimeZone) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        let day = ((t % 86400) + 86400) % 86400
        return pad2(day / 3600) + ":" + pad2(day % 3600 / 60) + ":" + pad2(day % 60)
    }

    /// The zone label after the clock: `UTC` or the zone's abbreviation.
    public static func zoneLabel(_ zone: TimeZone, at date: Date) -> String {
        zone.secondsFromGMT(for: date) == 0 && (zone.identifier == "UTC" || zone.identifier == "GMT")
            ? "UTC" : (zone.abbreviation(for: date) ?? zone.identifier)
    }

    /// `passed/counted (xx%)`. The percentage is rounded down, so 249 of 250 reads 99%, never 100%:
    /// a run with a failure must not look perfect.
    public static func passRate(passed: Int, counted: Int) -> String {
        guard counted > 0 else { return "\(passed)/0 (-)" }
        return "\(passed)/\(counted) (\(passed * 100 / counted)%)"
    }

    /// `512 B`, `1.5 KB`, `2.0 MB`.
    public static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return fixed(Double(n) / 1024, decimals: 1) + " KB" }
        return fixed(Double(n) / 1024 / 1024, decimals: 1) + " MB"
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
