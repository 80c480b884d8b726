/// What one route does wrong. All fields are optional and combine in a fixed order: first the delay
/// (`delayMs` plus a uniform random `0...jitterMs`), then `redirectTo` (a 307), else `status` (an error
/// JSON body, before any auth check: the route looks missing or broken), else `wrongShape` (a 200 whose
/// body has the wrong shape, after the route's auth check). An empty fault means "behave": as a
/// run-time override it masks the scenario's fault for that route. A delay interrupted by `stop()`
/// answers 503.
///
/// Codable with these property names as keys, so the control endpoint accepts
/// `{"route":"/api/health","fault":{"status":429}}`. Fields added later must stay optional.
public struct RouteFault: Codable, Sendable, Equatable {
    /// Answer with this status and a JSON error body like `{"detail":"Not Found"}`.
    public var status: Int?
    /// Answer 307 with this `Location` (the reports' health checks redirected to a trailing slash).
    public var redirectTo: String?
    /// Fixed delay before answering. Replaces the scenario's base latency for this route.
    public var delayMs: Double?
    /// Uniform random extra delay `0...jitterMs`, on top of `delayMs`.
    public var jitterMs: Double?
    /// Answer 200 with a body of the wrong shape (e.g. `services` as a string, keys missing).
    public var wrongShape: Bool?
    /// The `detail` of a `status` fault's body; defaults to the status's reason phrase. Lets a scenario
    /// repeat a report's exact text, e.g. `{"detail":"Invalid E2E bypass key"}`.
    public var detail: String?

    public init(
        status: Int? = nil,
        redirectTo: String? = nil,
        delayMs: Double? = nil,
        jitterMs: Double? = nil,
        wrongShape: Bool? = nil,
        detail: String? = nil
    ) {
        self.status = status
        self.redirectTo = redirectTo
        self.delayMs = delayMs
        self.jitterMs = jitterMs
        self.wrongShape = wrongShape
        self.detail = detail
    }

    public static func status(_ code: Int, detail: String? = nil) -> RouteFault {
        RouteFault(status: code, detail: detail)
    }

    public static func redirect(to location: String) -> RouteFault {
        RouteFault(redirectTo: location)
    }

    public static func delay(ms: Double, jitterMs: Double = 0) -> RouteFault {
        RouteFault(delayMs: ms, jitterMs: jitterMs)
    }

    public static let wrongShape = RouteFault(wrongShape: true)

    /// Whether this fault sets its own latency (and so replaces the scenario's base latency).
    var setsLatency: Bool { delayMs != nil || jitterMs != nil }
}
