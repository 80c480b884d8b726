import Foundation

/// What a stream run saw: body bytes timed in the write callback (not curl's header-time STARTTRANSFER).
public struct StreamInfo: Sendable, Equatable {
    /// First *body* byte, ms after the request started.
    public var firstByteMs: Double?
    public var chunks: Int
    public var bytes: Int
    /// SSE event names in arrival order (the `event:` field; "message" when absent).
    public var events: [String]
    public var longestGapMs: Double?
    /// Set when a watchdog ended the run.
    public var watchdog: WatchdogFire?

    public init(firstByteMs: Double? = nil, chunks: Int = 0, bytes: Int = 0, events: [String] = [], longestGapMs: Double? = nil, watchdog: WatchdogFire? = nil) {
        self.firstByteMs = firstByteMs; self.chunks = chunks; self.bytes = bytes; self.events = events
        self.longestGapMs = longestGapMs; self.watchdog = watchdog
    }
}

/// Which stream limit fired.
public enum WatchdogLimit: String, Sendable, Codable, CaseIterable {
    case firstByte = "first_byte_within"
    case maxGap = "max_gap"
    case finish = "finish_within"
}

/// A watchdog that fired: which limit, when, and how far the stream had got.
public struct WatchdogFire: Sendable, Equatable {
    public var probe: String
    public var limit: WatchdogLimit
    public var limitMs: Double
    /// When it fired, and how long after the limit was due (the watchdog's own lateness).
    public var at: Date
    public var lateByMs: Double
    public var events: Int
    public var bytes: Int

    public init(probe: String, limit: WatchdogLimit, limitMs: Double, at: Date, lateByMs: Double = 0, events: Int, bytes: Int) {
        self.probe = probe; self.limit = limit; self.limitMs = limitMs; self.at = at; self.lateByMs = lateByMs
        self.events = events; self.bytes = bytes
    }

    /// "no first byte within 5.0 s", "no data for 10.0 s after 3 events, 412 B", "not finished within 60.0 s (…)".
    public var message: String {
        let limit = String(format: "%.1f s", limitMs / 1000)
        let progress = "\(events) event\(events == 1 ? "" : "s"), \(bytes) B"
        switch self.limit {
        case .firstByte: return "no first byte within \(limit)"
        case .maxGap: return "no data for \(limit) after \(progress)"
        case .finish: return "not finished within \(limit) (\(progress))"
        }
    }
}

/// A stream in flight, for the live watchdog panel: the UI computes elapsed times from `takenAt`.
public struct StreamProgress: Sendable, Equatable {
    public var probe: String
    public var startedAt: Date
    public var firstByteAt: Date?
    public var lastDataAt: Date?
    public var events: Int
    public var bytes: Int
    public var firstByteWithinMs: Double?
    public var maxGapMs: Double?
    public var finishWithinMs: Double?

    public init(probe: String, startedAt: Date, firstByteAt: Date? = nil, lastDataAt: Date? = nil, events: Int = 0, bytes: Int = 0,
                firstByteWithinMs: Double? = nil, maxGapMs: Double? = nil, finishWithinMs: Double? = nil) {
        self.probe = probe; self.startedAt = startedAt; self.firstByteAt = firstByteAt; self.lastDataAt = lastDataAt
        self.events = events; self.bytes = bytes; self.firstByteWithinMs = firstByteWithinMs; self.maxGapMs = maxGapMs
        self.finishWithinMs = finishWithinMs
    }
}
