/// A named staging condition: which routes misbehave, and how slow every route is.
///
/// Later issues add WebSocket and stream fault modes as new stored properties with defaults in
/// `init` (e.g. `ws: WSFaults? = nil`), which keeps every existing `Scenario(...)` call compiling.
public struct Scenario: Sendable, Equatable {
    public var name: String
    /// One line, citing the staging report the scenario models.
    public var summary: String
    /// Route path (exactly as requested, e.g. "/api/health"; "/health/" is a different route) → fault.
    public var faults: [String: RouteFault]
    /// Latency of every route whose fault does not set its own: `baseDelayMs + random(0...baseJitterMs)`.
    public var baseDelayMs: Double
    public var baseJitterMs: Double

    public init(
        name: String,
        summary: String,
        faults: [String: RouteFault] = [:],
        baseDelayMs: Double = 2,
        baseJitterMs: Double = 3
    ) {
        self.name = name
        self.summary = summary
        self.faults = faults
        self.baseDelayMs = baseDelayMs
        self.baseJitterMs = baseJitterMs
    }
}
