import Foundation
import StageModel

/// Everything one session needs to run a config's probes: a runner for every kind, sharing one
/// `CurlEngine`, one `WebSocketEngine` and one token source, so one login serves every probe.
///
/// ```swift
/// let runtime = ProbeRuntime.make(config: config, engine: CurlEngine(), webSockets: WebSocketEngine(), events: sink)
/// let scheduler = ProbeScheduler(probes: config.probes, runner: runtime.runners, clock: clock, sink: sink)
/// await runtime.start()            // logs in (auth.login) before the first probe; .login events go to `sink`
/// … scheduler.runOnce() / start() …
/// await runtime.shutdown()         // held sockets, token renewal, both engines
/// ```
public struct ProbeRuntime: Sendable {
    public let engine: CurlEngine
    public let webSockets: WebSocketEngine
    /// The one token source every runner asks (a `TokenProvider` or the static `auth.token`).
    public let tokens: any TokenSource
    /// Set when the config has `auth.login`.
    public let tokenProvider: TokenProvider?
    public let runners: KindRunners

    /// - Parameters:
    ///   - events: where `.streamProgress` (from the curl thread), `.closed`/`.connection` (WebSocket) and
    ///     `.login` events go: the same sink the scheduler gets (scrub, store.apply, record). Nil drops them.
    ///   - hold: how held-open WebSocket probes ping and reconnect.
    public static func make(config: StageConfig, engine: CurlEngine, webSockets: WebSocketEngine, clock: any WallClock = SystemClock(),
                            events: (@Sendable (ProbeEvent) -> Void)? = nil,
                            hold: WebSocketHoldOptions = WebSocketHoldOptions()) -> ProbeRuntime {
        var provider: TokenProvider?
        let tokens: any TokenSource
        if let login = config.auth.login {
            let p = TokenProvider(login: login, target: config.target, engine: engine, clock: clock,
                                  timeout: config.defaults.timeout.seconds, events: events)
            provider = p
            tokens = p
        } else {
            tokens = StaticTokenSource(config.auth.token)
        }
        let target = config.target
        let runners = KindRunners(
            http: HTTPProbeRunner(engine: engine, target: target, clock: clock, tokens: tokens),
            stream: StreamProbeRunner(engine: engine, target: target, clock: clock, tokens: tokens, progress: events),
            burst: BurstProbeRunner(engine: engine, target: target, clock: clock, tokens: tokens),
            websocket: WebSocketProbeRunner(engine: webSockets, target: target, clock: clock, hold: hold, events: events,
                                            token: tokens.tokenClosure),
            tokens: tokens, clock: clock, events: events)
        return ProbeRuntime(engine: engine, webSockets: webSockets, tokens: tokens, tokenProvider: provider, runners: runners)
    }

    /// Logs in (with `auth.login`) and keeps the token renewed; returns the login state (nil without a
    /// login step). A failed login is returned, emitted as `.login(.failed)`, and every probe that needs
    /// the token then reports it; the probes that do not need it run as usual.
    @discardableResult
    public func start() async -> LoginState? {
        guard let tokenProvider else { return nil }
        let state = await tokenProvider.prepare()
        await tokenProvider.startRenewing()
        return state
    }

    /// Closes held sockets, stops token renewal and both engines. Stop the scheduler first.
    public func shutdown() async {
        await runners.websocket.stopHolding()
        await webSockets.shutdown()
        await tokenProvider?.stop()
        engine.shutdown()
    }
}
