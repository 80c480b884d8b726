import Foundation

/// curl-exact timing phases of one request, in milliseconds from the start of the transfer.
/// Each value is the phase's own duration, not the cumulative curl figure, except `total`.
public struct Timings: Codable, Sendable, Equatable {
    public var dns: Double
    public var connect: Double
    public var tls: Double
    /// Nil when no byte of the response arrived: a number never observed is never reported.
    public var ttfb: Double?
    public var total: Double

    public init(dns: Double = 0, connect: Double = 0, tls: Double = 0, ttfb: Double? = 0, total: Double = 0) {
        self.dns = dns; self.connect = connect; self.tls = tls; self.ttfb = ttfb; self.total = total
    }
}

/// One evaluated condition with the value it actually saw, so a report can say why it failed.
public struct ConditionResult: Codable, Sendable, Equatable {
    public var expr: String
    public var ok: Bool
    public var actual: String

    public init(expr: String, ok: Bool, actual: String) {
        self.expr = expr; self.ok = ok; self.actual = actual
    }
}

/// An event observed during a run (WebSocket message type, SSE event), timed from connect.
public struct TimedEvent: Codable, Sendable, Equatable {
    public var type: String
    public var atMs: Double

    public init(type: String, atMs: Double) { self.type = type; self.atMs = atMs }
}

/// What came back, kept for the detail view and reports. The body is capped; `bodyBytes` is the real size.
public struct ResponseCapture: Sendable, Equatable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var bodyBytes: Int
    public var truncated: Bool

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], bodyBytes: Int = 0, truncated: Bool = false) {
        self.status = status; self.headers = headers; self.body = body; self.bodyBytes = bodyBytes; self.truncated = truncated
    }

    public static func == (a: ResponseCapture, b: ResponseCapture) -> Bool {
        a.status == b.status && a.body == b.body && a.bodyBytes == b.bodyBytes && a.truncated == b.truncated
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }

    /// First value of a header, case-insensitively (HTTP header names are case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { ASCIICase.equal($0.name, name) }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// The result of one run of one probe. Produced by StageProbes, reduced by the Store, read by UI and reports.
public struct ProbeResult: Sendable, Equatable {
    public var probe: String
    public var kind: ProbeKind
    public var verdict: Verdict
    public var failureClass: FailureClass?
    /// Short human message: "200 OK", "307 Temporary Redirect → /health/", "no data for 10.0 s after 3 events".
    public var message: String
    public var status: Int?
    public var closeCode: Int?
    public var closeReason: String?
    /// End-to-end latency of the run in ms (curl TOTAL_TIME for HTTP), nil when nothing completed.
    public var latencyMs: Double?
    public var timings: Timings?
    public var conditions: [ConditionResult]
    public var events: [TimedEvent]
    public var response: ResponseCapture?
    /// Burst probes: status → count.
    public var statuses: [Int: Int]
    public var websocket: WebSocketInfo?
    public var stream: StreamInfo?
    public var startedAt: Date
    public var finishedAt: Date
    /// How long the run waited for a slot (`defaults.max_in_flight`) before it started; never in `latencyMs`.
    public var queueMs: Double?
    /// The server certificate, when this run did a TLS handshake (a reused connection has none to report).
    public var certificate: CertificateExpiry?
    /// Journey probes: every step's verdict, timing, captures (masked where secret) and conditions.
    public var journey: JourneyInfo?

    public init(
        probe: String, kind: ProbeKind, verdict: Verdict, failureClass: FailureClass? = nil, message: String = "",
        status: Int? = nil, closeCode: Int? = nil, closeReason: String? = nil, latencyMs: Double? = nil,
        timings: Timings? = nil, conditions: [ConditionResult] = [], events: [TimedEvent] = [],
        response: ResponseCapture? = nil, statuses: [Int: Int] = [:], websocket: WebSocketInfo? = nil, stream: StreamInfo? = nil,
        startedAt: Date, finishedAt: Date
    ) {
        self.probe = probe; self.kind = kind; self.verdict = verdict; self.failureClass = failureClass
        self.message = message; self.status = status; self.closeCode = closeCode; self.closeReason = closeReason
        self.latencyMs = latencyMs; self.timings = timings; self.conditions = conditions; self.events = events
        self.response = response; self.statuses = statuses; self.websocket = websocket; self.stream = stream
        self.startedAt = startedAt; self.finishedAt = finishedAt
    }
}
