import Foundation
import StageModel
import StageUI

/// A live probe session as a dashboard source.
public final class LiveSource: DashboardSource, @unchecked Sendable {  // UI thread only
    let session: ProbeSession
    let timeline: ScenarioTimeline?

    public init(session: ProbeSession, timeline: ScenarioTimeline? = nil) { self.session = session; self.timeline = timeline }

    public var version: UInt64 { session.store.version }
    public func snapshot() -> Snapshot { session.store.snapshot() }
    public var replayStatus: ReplayStatus? { nil }
    public func perform(_ command: ReplayCommand) {}
    public func tick(elapsed: TimeInterval) { timeline?.tick() }

    public func perform(_ command: Command, snapshot: Snapshot) {
        let scheduler = session.scheduler
        switch command {
        case .rerun(let name):
            Task { _ = await scheduler.runNow(name) }
        case .rerunAll:
            let names = snapshot.probes.map(\.name)
            Task { for n in names { _ = await scheduler.runNow(n) } }
        case .togglePause:
            let paused = !snapshot.paused
            session.store.setPaused(paused)
            Task { if paused { await scheduler.pause() } else { await scheduler.resume() } }
        case .nextScenario:
            timeline?.advance()
        case .quit, .nextTheme:
            break  // handled by the loop
        }
    }
}
