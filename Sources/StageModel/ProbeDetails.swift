import Foundation

/// What a WebSocket run saw beyond the verdict: the handshake, the negotiated subprotocol, the held-open
/// connection's health. The handshake status and headers are kept when the upgrade is refused (a 403).
public struct WebSocketInfo: Sendable, Equatable {
    public var url: String
    public var handshakeStatus: Int?
    public var handshakeHeaders: [(name: String, value: String)]
    public var subprotocol: String?
    /// Connections that completed the handshake, of `attempted` (concurrency probes: "4/5").
    public var connected: Int
    public var attempted: Int
    public var slowestHandshakeMs: Double?
    /// Held-open probes: when the current connection came up (nil while disconnected).
    public var connectedSince: Date?
    public var lastPingRTTMs: Double?
    public var reconnects: Int

    public init(url: String = "", handshakeStatus: Int? = nil, handshakeHeaders: [(name: String, value: String)] = [], subprotocol: String? = nil,
                connected: Int = 0, attempted: Int = 1, slowestHandshakeMs: Double? = nil, connectedSince: Date? = nil,
                lastPingRTTMs: Double? = nil, reconnects: Int = 0) {
        self.url = url; self.handshakeStatus = handshakeStatus; self.handshakeHeaders = handshakeHeaders
        self.subprotocol = subprotocol; self.connected = connected; self.attempted = attempted
        self.slowestHandshakeMs = slowestHandshakeMs; self.connectedSince = connectedSince
        self.lastPingRTTMs = lastPingRTTMs; self.reconnects = reconnects
    }

    public static func == (a: WebSocketInfo, b: WebSocketInfo) -> Bool {
        a.url == b.url && a.handshakeStatus == b.handshakeStatus && a.subprotocol == b.subprotocol && a.connected == b.connected
            && a.attempted == b.attempted && a.slowestHandshakeMs == b.slowestHandshakeMs && a.connectedSince == b.connectedSince
            && a.lastPingRTTMs == b.lastPingRTTMs && a.reconnects == b.reconnects
            && a.handshakeHeaders.map { "\($0.name):\($0.value)" } == b.handshakeHeaders.map { "\($0.name):\($0.value)" }
    }
}

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

/// A WebSocket close, for the close-code panel and per-code counts.
public struct CloseRecord: Sendable, Equatable {
    public var at: Date
    public var probe: String
    public var code: Int
    public var reason: String
    /// False when we closed (normal end of a non-held probe is not recorded at all).
    public var byServer: Bool

    public init(at: Date, probe: String, code: Int, reason: String, byServer: Bool = true) {
        self.at = at; self.probe = probe; self.code = code; self.reason = reason; self.byServer = byServer
    }

    public var codeName: String { Format.closeCodeName(code) }
}

/// The login step's state, for the header banner and countdown. Never holds the token.
public struct LoginState: Sendable, Equatable {
    public enum Phase: String, Sendable { case pending, ok, failed }
    public var phase: Phase
    /// "401 Invalid E2E bypass key" when it failed.
    public var message: String
    public var status: Int?
    public var at: Date
    /// The token's `exp`, decoded without verification, for the countdown.
    public var expiresAt: Date?

    public init(phase: Phase, message: String = "", status: Int? = nil, at: Date, expiresAt: Date? = nil) {
        self.phase = phase; self.message = message; self.status = status; self.at = at; self.expiresAt = expiresAt
    }
}
