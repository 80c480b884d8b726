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
    /// The runners that exist today for a loaded config: HTTP over `engine` with the config's target and
    /// token; every other kind answers with the honest "not supported yet" error.
    /// (`auth.login` is not run here yet: without `auth.token`, bearer probes report a missing token.)
    public static func forConfig(_ config: StageConfig, engine: CurlEngine, clock: any WallClock = SystemClock()) -> ProbeDispatcher {
        let http = HTTPProbeRunner(engine: engine, target: config.target, token: config.auth.token, clock: clock)
        return ProbeDispatcher(runners: [.http: http], clock: clock)
    }
}
