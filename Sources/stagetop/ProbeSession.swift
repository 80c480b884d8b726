import Foundation
import StageModel
import StageProbes
import StageReports

/// Wires a config to runners, a scheduler and a store: the one place `check`, `watch` and `demo` share,
/// so they can never disagree about a verdict.
final class ProbeSession: Sendable {
    let config: StageConfig
    let store: SharedStore
    let runtime: ProbeRuntime
    let webSockets: WebSocketEngine
    let webSocketRunner: WebSocketProbeRunner
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
        // Every event from every runner (results, closes, stream progress, login) takes this one path:
        // scrubbed of secrets, applied to the store, appended to the recording.
        let sink: @Sendable (ProbeEvent) -> Void = { raw in
            let event = scrubber.scrub(raw)
            let closed = store.apply(event)
            recorder?.record(event)
            if let c = closed { recorder?.cycleClosed(c.number, at: c.finishedAt) }
        }
        let webSockets = WebSocketEngine()
        var ws: WebSocketProbeRunner?
        let runtime = ProbeRuntime.make(config: config, engine: CurlEngine(), clock: clock, events: sink, websocket: { token in
            let runner = WebSocketProbeRunner(engine: webSockets, target: config.target, clock: clock, events: sink, token: token)
            ws = runner
            return runner
        })
        self.store = store
        self.runtime = runtime
        self.webSockets = webSockets
        self.webSocketRunner = ws!
        scheduler = ProbeScheduler(probes: config.probes, runner: runtime.dispatcher, clock: clock, sink: sink)
    }

    /// Logs in when the config has `auth.login` (a failure shows as a banner and `auth` errors, never silently).
    func start() async {
        await runtime.start()
    }

    /// Stops everything that runs in the background: schedules, held-open sockets, token renewal, engines.
    func shutdown() async {
        await scheduler.stop()
        await webSocketRunner.stopHolding()
        await webSockets.shutdown()
        await runtime.shutdown()
    }

    /// Runs every probe once per cycle, `cycles` times, `interval` apart; `afterCycle` sees each closed cycle.
    func runCycles(_ cycles: Int = 1, interval: TimeInterval = 0, afterCycle: (Snapshot) -> Void = { _ in }) async -> Outcome {
        let started = Date()
        await start()
        for i in 0..<cycles {
            _ = await scheduler.runOnce()
            afterCycle(store.snapshot())
            if i < cycles - 1, interval > 0 {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
        let finished = Date()
        await shutdown()
        return Outcome(snapshot: store.snapshot(), startedAt: started, finishedAt: finished)
    }
}
