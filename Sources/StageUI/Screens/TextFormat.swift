import Foundation
import StageModel

/// Formatting only the screens need: clock times, byte sizes, pass rates. Durations and latencies are
/// `Format`'s (StageModel/Formatting.swift), shared with `check` and the reports. Hand-rolled instead of
/// `String(format:)` and formatters because it runs for every visible cell of every frame.
public enum TextFormat {
    /// The header average: `avg 82.7 ms` (one decimal, always in ms, as in the JSON report).
    public static func averageLatency(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return "avg - ms" }
        return "avg " + Format.fixed(ms, decimals: 1) + " ms"
    }

    /// `HH:MM:SS` of `date` in `zone`.
    public static func clock(_ date: Date, zone: TimeZone) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        let day = ((t % 86400) + 86400) % 86400
        return pad2(day / 3600) + ":" + pad2(day % 3600 / 60) + ":" + pad2(day % 60)
    }

    /// The zone label after the clock: `UTC` or the zone's abbreviation.
    ///
    /// Kept for the minute it was made in: Foundation asks ICU for the abbreviation, which was a twentieth of
    /// a frame's CPU with the header drawn twice a second (perf, zone `Etc/UTC`). A zone changes its
    /// abbreviation only at a transition, and transitions fall on whole minutes.
    public static func zoneLabel(_ zone: TimeZone, at date: Date) -> String {
        let minute = Int((date.timeIntervalSinceReferenceDate / 60).rounded(.down))
        let id = zone.identifier
        if let kept = lastZoneLabel.withLock({ $0 }), kept.minute == minute, kept.zone == id { return kept.label }
        let label = zone.secondsFromGMT(for: date) == 0 && (zone.identifier == "UTC" || zone.identifier == "GMT")
            ? "UTC" : (zone.abbreviation(for: date) ?? zone.identifier)
        lastZoneLabel.withLock { $0 = (id, minute, label) }
        return label
    }

    private static let lastZoneLabel = Locked<(zone: String, minute: Int, label: String)?>(nil)

    /// `passed/counted (xx%)`. The percentage is rounded down, so 249 of 250 reads 99%, never 100%:
    /// a run with a failure must not look perfect.
    public static func passRate(passed: Int, counted: Int) -> String {
        guard counted > 0 else { return "\(passed)/0 (-)" }
        return "\(passed)/\(counted) (\(passed * 100 / counted)%)"
    }

    /// `512 B`, `1.5 KB`, `2.0 MB`.
    public static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return Format.fixed(Double(n) / 1024, decimals: 1) + " KB" }
        return Format.fixed(Double(n) / 1024 / 1024, decimals: 1) + " MB"
    }

    static func pad2(_ n: Int) -> String { Format.pad2(n) }
}
