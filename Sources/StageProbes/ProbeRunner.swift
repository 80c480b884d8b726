import Foundation
import StageModel

/// Runs one probe once and always returns exactly one result (never throws: failures are verdicts).
public protocol ProbeRunner: Sendable {
    func run(_ spec: ProbeSpec) async -> ProbeResult
}

/// Sends each probe to the runner for its kind. Kinds nobody registered get an honest `error`, never a pass.
public struct ProbeDispatcher: ProbeRunner {
    public var runners: [ProbeKind: any ProbeRunner]
    let clock: any WallClock

    public init(runners: [ProbeKind: any ProbeRunner], clock: any WallClock = SystemClock()) {
        self.runners = runners
        self.clock = clock
    }

    public func run(_ spec: ProbeSpec) async -> ProbeResult {
        if let runner = runners[spec.kind] { return await runner.run(spec) }
        return UnsupportedProbeRunner(clock: clock).result(for: spec)
    }
}

/// The stand-in for probe kinds that have no runner yet (websocket, stream, burst at first).
public struct UnsupportedProbeRunner: ProbeRunner {
    let clock: any WallClock

    public init(clock: any WallClock = SystemClock()) { self.clock = clock }

    public func run(_ spec: ProbeSpec) async -> ProbeResult { result(for: spec) }

    public func result(for spec: ProbeSpec) -> ProbeResult {
        let now = clock.now()
        return ProbeResult(probe: spec.name, kind: spec.kind, verdict: .error, failureClass: .config,
                           message: "\(spec.kind.rawValue) probes are not supported yet", startedAt: now, finishedAt: now)
    }
}

extension ProbeResult {
    /// The result of a probe the user disabled (`enabled: false`): counted as skipped, never run.
    public static func skipped(_ spec: ProbeSpec, at date: Date) -> ProbeResult {
        ProbeResult(probe: spec.name, kind: spec.kind, verdict: .skip, message: "disabled", startedAt: date, finishedAt: date)
    }
}

extension ProbeDispatcher {
    /// HTTP, stream and burst runners for a loaded config over one `engine` and one token source
    /// (`auth.login` → a `TokenProvider` that logs in on first use; else `auth.token`). WebSocket probes
    /// answer "not supported" here: use `ProbeRuntime.make` to add a WebSocket runner and run the login
    /// before the first probes.
    public static func forConfig(_ config: StageConfig, engine: CurlEngine, clock: any WallClock = SystemClock(),
                                 events: (@Sendable (ProbeEvent) -> Void)? = nil) -> ProbeDispatcher {
        ProbeRuntime.make(config: config, engine: engine, clock: clock, events: events).dispatcher
    }
}

/// Everything one session needs to run a config's probes: the runners for every kind, sharing one
/// `CurlEngine` and one token source, so one login serves every probe. The lead's wiring:
///
/// ```swift
/// let runtime = ProbeRuntime.make(config: config, engine: CurlEngine(), clock: clock, events: sink,
///                                 websocket: { token in WebSocketProbeRunner(engine: wsEngine, target: config.target,
///                                                                            clock: clock, events: sink, token: token) })
/// let scheduler = ProbeScheduler(probes: config.probes, runner: runtime.dispatcher, clock: clock, sink: sink)
/// await runtime.start()            // logs in (auth.login) before the first probe; .login events go to `sink`
/// … scheduler.runOnce() / start() …
/// await runtime.shutdown()         // stops token renewal and the curl engine
/// ```
public struct ProbeRuntime: Sendable {
    public let engine: CurlEngine
    /// The one token source every runner asks (a `TokenProvider` or the static `auth.token`).
    public let tokens: any TokenSource
    /// Set when the config has `auth.login`.
    public let tokenProvider: TokenProvider?
    public let dispatcher: ProbeDispatcher

    /// - Parameters:
    ///   - events: where `.streamProgress` (from the curl thread) and `.login` events go: the same sink the
    ///     scheduler gets (scrub, store.apply, record). Nil drops them.
    ///   - websocket: builds the WebSocket runner around the shared token closure; its probes are gated so
    ///     a failed login reads "login failed: …" there too.
    public static func make(config: StageConfig, engine: CurlEngine, clock: any WallClock = SystemClock(),
                            events: (@Sendable (ProbeEvent) -> Void)? = nil,
                            websocket: ((@escaping @Sendable () async -> Secret?) -> any ProbeRunner)? = nil) -> ProbeRuntime {
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
        var runners: [ProbeKind: any ProbeRunner] = [
            .http: HTTPProbeRunner(engine: engine, target: config.target, clock: clock, tokens: tokens),
            .stream: StreamProbeRunner(engine: engine, target: config.target, clock: clock, tokens: tokens, progress: events),
            .burst: BurstProbeRunner(engine: engine, target: config.target, clock: clock, tokens: tokens),
        ]
        if let websocket {
            runners[.websocket] = LoginGateRunner(websocket(tokens.tokenClosure), tokens: tokens, clock: clock)
        }
        return ProbeRuntime(engine: engine, tokens: tokens, tokenProvider: provider,
                            dispatcher: ProbeDispatcher(runners: runners, clock: clock))
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

    /// Stops token renewal and the curl engine (a WebSocket engine passed in is the caller's to stop).
    public func shutdown() async {
        await tokenProvider?.stop()
        engine.shutdown()
    }
}
