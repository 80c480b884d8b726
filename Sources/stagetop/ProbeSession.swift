import Foundation
import StageModel
import StageProbes
import StageReports

/// Wires a config to runners, a scheduler and a store: the one place `check`, `watch` and `demo` share,
/// so they can never disagree about a verdict.
final class ProbeSession: Sendable {
    let config: StageConfig
    let store: SharedStore
    let engine: CurlEngine
    let scheduler: ProbeScheduler

    struct Outcome {
        var snapshot: Snapshot
        var startedAt: Date
        var finishedAt: Date
    }

    /// - Parameter recorder: when set, every event and cycle boundary is appended to a recording.
    init(config: StageConfig, clock: any WallClock = SystemClock(), recordTo recorder: RecordingWriter? = nil) {
        self.config = config
        let store = SharedStore(config: config, clock: clock)
        let scrubber = SecretScrubber(secrets: [config.auth.token?.value].compactMap { $0 })
        let engine = CurlEngine()
        let http = HTTPProbeRunner(engine: engine, target: config.target, token: config.auth.token, clock: clock)
        let dispatcher = ProbeDispatcher(runners: [.http: http], clock: clock)
        self.store = store
        self.engine = engine
        scheduler = ProbeScheduler(probes: config.probes, runner: dispatcher, clock: clock, sink: { raw in
            let event = scrubber.scrub(raw)
            let closed = store.apply(event)
            recorder?.record(event)
            if let c = closed { recorder?.cycleClosed(c.number, at: c.finishedAt) }
        })
    }

    /// Runs every probe once per cycle, `cycles` times, `interval` apart; `afterCycle` sees each closed cycle.
    func runCycles(_ cycles: Int = 1, interval: TimeInterval = 0, afterCycle: (Snapshot) -> Void = { _ in }) async -> Outcome {
        let started = Date()
        for i in 0..<cycles {
            _ = await scheduler.runOnce()
            afterCycle(store.snapshot())
            if i < cycles - 1, interval > 0 {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
        let finished = Date()
        engine.shutdown()
        return Outcome(snapshot: store.snapshot(), startedAt: started, finishedAt: finished)
    }
}
