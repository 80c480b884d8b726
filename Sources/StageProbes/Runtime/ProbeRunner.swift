import Foundation
import StageModel

/// Runs one probe once and always returns exactly one result (never throws: failures are verdicts).
/// The scheduler runs probes through this; `KindRunners` is the production one, tests may pass their own.
public protocol ProbeRunner: Sendable {
    func run(_ spec: ProbeSpec) async -> ProbeResult
    /// The run as a `TaskFreeRun`, when nothing has to be awaited before its request goes out (an HTTP
    /// probe without a login to wait for). Nil: the scheduler runs it in a task, through `run`.
    func taskFree(_ spec: ProbeSpec) -> TaskFreeRun?
    /// The engine whose thread should run the scheduler's driver, so the requests it starts and the
    /// results it collects need no other thread's wake-up (`DriverThread`). Nil: a thread of its own.
    var hostEngine: CurlEngine? { get }
}

extension ProbeRunner {
    public func taskFree(_ spec: ProbeSpec) -> TaskFreeRun? { nil }
    public var hostEngine: CurlEngine? { nil }
}

/// A run started without a task of its own. A task per run, and the thread hops to and from it, were half
/// of `watch`'s CPU with 1,000 HTTP probes a second (perf); the scheduler starts these from its driver and
/// collects their results in batches (see `ProbeScheduler.launch`).
public struct TaskFreeRun: Sendable {
    /// What makes the run's result; called on the caller's executor, not the engine's thread.
    public typealias Judge = @Sendable () -> ProbeResult
    /// Starts the run. `finished` is called exactly once, on any thread (possibly before `start` returns),
    /// and must return quickly. Returns what cancels the run (after which `finished` may still be called).
    public let start: @Sendable (_ finished: @escaping @Sendable (@escaping Judge) -> Void) -> @Sendable () -> Void

    public init(start: @escaping @Sendable (_ finished: @escaping @Sendable (@escaping Judge) -> Void) -> @Sendable () -> Void) {
        self.start = start
    }
}

/// The runner of one probe kind, typed by the kind's spec: `KindRunners` holds exactly one per kind
/// and hands each its own spec, so no runner ever meets a spec of another kind.
public protocol KindRunner: ProbeRunner {
    associatedtype Spec: ProbeKindSpec
    func run(_ kindSpec: Spec, probe spec: ProbeSpec) async -> ProbeResult
}

extension KindRunner {
    /// A kind runner called directly (tests, benchmarks) with a whole `ProbeSpec`. Given a spec of another
    /// kind it answers an internal `error` rather than guess; `KindRunners` never does that.
    public func run(_ spec: ProbeSpec) async -> ProbeResult {
        guard let kindSpec = spec.body.kindSpec as? Spec else {
            let now = Date()
            return ProbeResult(probe: spec.name, kind: spec.kind, verdict: .error, failureClass: .config,
                               message: "internal: a \(Spec.kind.rawValue) runner was given a \(spec.kind.rawValue) probe",
                               startedAt: now, finishedAt: now)
        }
        return await run(kindSpec, probe: spec)
    }
}

extension ProbeResult {
    /// The result of a probe the user disabled (`enabled: false`): counted as skipped, never run.
    public static func skipped(_ spec: ProbeSpec, at date: Date) -> ProbeResult {
        ProbeResult(probe: spec.name, kind: spec.kind, verdict: .skip, message: "disabled", startedAt: date, finishedAt: date)
    }
}
