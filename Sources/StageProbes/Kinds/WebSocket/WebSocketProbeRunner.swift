import Foundation
import StageModel

/// Runs `websocket:` probes over a shared `WebSocketEngine`.
///
/// - one connection (default): connect, check the subprotocol, run the steps, close; one verdict.
/// - `concurrency: N`: N connections at once; "k/N connected", the slowest handshake, the first failure's class.
/// - `hold: true`: a `WebSocketHolder` per probe keeps the connection; `run` returns its state (see there).
///
/// The token is asked for on every connection attempt and goes into the upgrade request only; every string
/// a result carries passes through a redactor that removes each spelling of it.
public struct WebSocketProbeRunner: KindRunner {
    public let engine: WebSocketEngine
    public let target: TargetConfig
    private let token: @Sendable () async -> Secret?
    private let clock: any WallClock
    private let events: (@Sendable (ProbeEvent) -> Void)?
    private let holdOptions: WebSocketHoldOptions
    private let holders = WebSocketHolderRegistry()

    /// - Parameters:
    ///   - events: where `.closed` and held connections' `.connection` updates go (the store's `apply`).
    ///   - token: asked once per connection attempt, so a login flow can refresh it.
    public init(engine: WebSocketEngine, target: TargetConfig, clock: any WallClock = SystemClock(),
                hold: WebSocketHoldOptions = WebSocketHoldOptions(), events: (@Sendable (ProbeEvent) -> Void)? = nil,
                token: @escaping @Sendable () async -> Secret?) {
        self.engine = engine; self.target = target; self.clock = clock; self.holdOptions = hold
        self.events = events; self.token = token
    }

    public init(engine: WebSocketEngine, target: TargetConfig, token: Secret?, clock: any WallClock = SystemClock(),
                hold: WebSocketHoldOptions = WebSocketHoldOptions(), events: (@Sendable (ProbeEvent) -> Void)? = nil) {
        self.init(engine: engine, target: target, clock: clock, hold: hold, events: events, token: { token })
    }

    public func run(_ ws: WebSocketProbeSpec, probe spec: ProbeSpec) async -> ProbeResult {
        let context = WebSocketProbeContext(spec: spec, ws: ws, target: target, engine: engine, token: token, clock: clock)
        if ws.concurrency > 1 {
            // Held-open applies to single connections; a concurrency probe checks N fresh connections each run.
            return await runConcurrent(context, count: ws.concurrency)
        }
        if ws.hold {
            let holder = holders.holder(for: spec.name) {
                WebSocketHolder(context: context, options: holdOptions, events: events)
            }
            holder.start()
            return await holder.result()
        }
        return await once(context).result
    }

    /// One connection, its close reported, its verdict, and the attempt itself: a probe's run, and a journey's
    /// WebSocket step, which also captures from what the attempt received.
    func once(_ ws: WebSocketProbeSpec, probe spec: ProbeSpec) async -> (result: ProbeResult, attempt: WebSocketAttempt) {
        await once(WebSocketProbeContext(spec: spec, ws: ws, target: target, engine: engine, token: token, clock: clock))
    }

    private func once(_ context: WebSocketProbeContext) async -> (result: ProbeResult, attempt: WebSocketAttempt) {
        let attempt = await context.attempt()
        if let record = WebSocketJudge.closeRecord(attempt, probe: context.spec.name) { events?(.closed(record)) }
        return (WebSocketJudge.result(attempt, spec: context.spec), attempt)
    }

    private func runConcurrent(_ context: WebSocketProbeContext, count: Int) async -> ProbeResult {
        let attempts = await withTaskGroup(of: (Int, WebSocketAttempt).self) { group in
            for i in 0..<count { group.addTask { (i, await context.attempt()) } }
            var out = [WebSocketAttempt?](repeating: nil, count: count)
            for await (i, a) in group { out[i] = a }
            return out.compactMap { $0 }
        }
        for a in attempts {
            if let record = WebSocketJudge.closeRecord(a, probe: context.spec.name) { events?(.closed(record)) }
        }
        return WebSocketJudge.result(concurrent: attempts, spec: context.spec)
    }

    /// The holder of a held-open probe that has run at least once.
    public func holder(named name: String) -> WebSocketHolder? { holders.named(name) }

    /// Starts a held-open probe's holder without waiting for its first result (the scheduler's start).
    @discardableResult
    public func startHolding(_ spec: ProbeSpec) -> WebSocketHolder? {
        guard case .websocket(let ws) = spec.body, ws.hold, ws.concurrency <= 1 else { return nil }
        let context = WebSocketProbeContext(spec: spec, ws: ws, target: target, engine: engine, token: token, clock: clock)
        let holder = holders.holder(for: spec.name) { WebSocketHolder(context: context, options: holdOptions, events: events) }
        holder.start()
        return holder
    }

    /// Closes every held connection and stops reconnecting (call before `engine.shutdown()`).
    public func stopHolding() async {
        await withTaskGroup(of: Void.self) { group in
            for h in holders.removeAll() { group.addTask { await h.stop() } }
        }
    }
}
