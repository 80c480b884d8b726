import Foundation
import StageModel

/// One runner per probe kind, as stored properties (not a dictionary keyed by kind): a new kind is a
/// new property here and a new case in `run`'s switch, and the compiler asks for both.
public struct KindRunners: ProbeRunner {
    public let http: HTTPProbeRunner
    public let stream: StreamProbeRunner
    public let burst: BurstProbeRunner
    public let websocket: WebSocketProbeRunner
    public let journey: JourneyProbeRunner
    /// Asked before a WebSocket run: the WebSocket runner takes only a token closure and cannot tell
    /// "no token" from "login failed" (the curl runners ask the token source themselves).
    let tokens: any TokenSource
    let clock: any WallClock

    /// - Parameter events: the session's sink, for a journey's step progress.
    public init(http: HTTPProbeRunner, stream: StreamProbeRunner, burst: BurstProbeRunner, websocket: WebSocketProbeRunner,
                tokens: any TokenSource, clock: any WallClock = SystemClock(), events: (@Sendable (ProbeEvent) -> Void)? = nil) {
        self.http = http; self.stream = stream; self.burst = burst; self.websocket = websocket
        // A journey's steps run through the same runners (one curl engine, one WebSocket engine, one login).
        self.journey = JourneyProbeRunner(http: http, stream: stream, websocket: websocket, tokens: tokens, clock: clock, events: events)
        self.tokens = tokens; self.clock = clock
    }

    /// HTTP runs need no task when their headers are known now; the other kinds hold connections, wait
    /// on streams or run steps, and keep their task.
    public func taskFree(_ spec: ProbeSpec) -> TaskFreeRun? {
        if case .http(let s) = spec.body { return http.taskFree(s, probe: spec) }
        return nil
    }

    public var hostEngine: CurlEngine? { http.engine }

    public func run(_ spec: ProbeSpec) async -> ProbeResult {
        switch spec.body {
        case .http(let s):
            return await http.run(s, probe: spec)
        case .stream(let s):
            return await stream.run(s, probe: spec)
        case .burst(let s):
            return await burst.run(s, probe: spec)
        case .websocket(let s):
            if let refused = await LoginGate.refusal(spec, tokens: tokens, clock: clock) { return refused }
            return await websocket.run(s, probe: spec)
        case .journey(let s):
            return await journey.run(s, probe: spec)
        }
    }
}
