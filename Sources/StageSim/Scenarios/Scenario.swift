/// A named staging condition: which routes misbehave, how slow every route is, what the WebSocket
/// does wrong and how each event stream behaves.
///
/// New fault kinds arrive as stored properties with defaults in `init`, which keeps every existing
/// `Scenario(...)` call compiling.
public struct Scenario: Sendable, Equatable {
    public var name: String
    /// One line, citing the staging report the scenario models.
    public var summary: String
    /// Route path (exactly as requested, e.g. "/api/health"; "/health/" is a different route) → fault.
    public var faults: [String: RouteFault]
    /// Latency of every route whose fault does not set its own: `baseDelayMs + random(0...baseJitterMs)`.
    public var baseDelayMs: Double
    public var baseJitterMs: Double
    /// What `/ws` does wrong; the default is a healthy WebSocket.
    public var ws: WSFaults
    /// Stream route path (e.g. "/api/chat/stream") → how it streams; routes not named stream `.ok`.
    /// A `faults` entry for the same path (e.g. 403) answers before any streaming starts.
    public var streams: [String: StreamMode]
    /// The store loses writes: creating a thread or a message answers as if it worked (201 with an id),
    /// deleting a thread answers 204, but nothing is stored or removed, so a read after the write tells.
    public var losesWrites: Bool

    public init(
        name: String,
        summary: String,
        faults: [String: RouteFault] = [:],
        baseDelayMs: Double = 2,
        baseJitterMs: Double = 3,
        ws: WSFaults = WSFaults(),
        streams: [String: StreamMode] = [:],
        losesWrites: Bool = false
    ) {
        self.name = name
        self.summary = summary
        self.faults = faults
        self.baseDelayMs = baseDelayMs
        self.baseJitterMs = baseJitterMs
        self.ws = ws
        self.streams = streams
        self.losesWrites = losesWrites
    }
}
