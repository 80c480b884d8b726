import Foundation
import StageModel
import StageReports
import StageUI

/// A live probe session as a dashboard source. With `reloading`, the config file is watched and a
/// changed one is swapped in while the dashboard runs (unchanged probes keep their history); a broken
/// one leaves the old probes running and shows why in a banner.
public final class LiveSource: DashboardSource, NewsRinging, @unchecked Sendable {  // UI thread only, but for `current`
    private let current: Locked<(session: ProbeSession, requests: [String: ProbeRequestInfo])>
    let timeline: ScenarioTimeline?
    private let reloading: Reloading?
    private let reloads = ReloadQueue()
    /// The dashboard's bell, rung by whichever session's store is current.
    private let bell = Locked<NewsBell?>(nil)

    /// What a reload needs: where the config came from, the sim it runs against, the recording it appends to.
    struct Reloading: Sendable {
        var target: TargetSettings
        var sim: SimulatedTarget?
        var recorder: RecordingWriter?
        var watcher: ConfigFileWatcher
    }

    public init(session: ProbeSession, timeline: ScenarioTimeline? = nil) {
        current = Locked((session, Self.requests(session.config))); self.timeline = timeline; reloading = nil
    }

    init(session: ProbeSession, reloading: Reloading) {
        current = Locked((session, Self.requests(session.config))); timeline = nil; self.reloading = reloading
    }

    var session: ProbeSession { current.withLock { $0.session } }
    public var requests: [String: ProbeRequestInfo]? { current.withLock { $0.requests } }

    /// Each probe's request as the detail view shows it (secrets as `$NAME`).
    static func requests(_ config: StageConfig) -> [String: ProbeRequestInfo] {
        Dictionary(config.probes.map { spec in
            (spec.name, ProbeRequestInfo(RequestRepro.make(spec, target: config.target, auth: config.auth, secrets: config.secretVariables)))
        }, uniquingKeysWith: { first, _ in first })
    }

    /// A demo's timeline moves by `tick`, so it keeps the 50 ms look.
    func ringOnNews(_ bell: NewsBell?) -> Bool {
        guard timeline == nil else { return false }
        self.bell.withLock { $0 = bell }
        if let bell { session.store.onNews { bell.ring() } } else { session.store.onNews(nil) }
        return true
    }

    public var version: UInt64 { session.store.version }
    public var logTotal: Int? { session.store.logTotal }
    public func snapshot() -> Snapshot { session.store.snapshot() }
    public var replayStatus: ReplayStatus? { nil }
    public func perform(_ command: ReplayCommand) {}
    public func tick(elapsed: TimeInterval) { timeline?.tick() }

    public func perform(_ command: Command, snapshot: Snapshot) {
        let session = session
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

    /// Watches the config file; nil when this source does not reload.
    func watchConfigFile() -> Task<Void, Never>? {
        reloading.map { r in r.watcher.start { [self] in await reload() } }
    }

    /// Loads the config again and swaps it in; an invalid one keeps the old running, with a banner.
    func reload() async {
        guard let r = reloading else { return }
        await reloads.serially { [self] in
            r.watcher.markLoaded()
            let old = session
            let config: StageConfig
            do { config = try r.target.reload(sim: r.sim) } catch {
                old.store.setNotice("config reload failed, still running the previous config: \(error)")
                old.note("config reload failed: \(error)")
                return
            }
            let diff = ConfigDiff(from: old.config, to: config)
            await old.shutdown()
            let next = ProbeSession(config: config, recordTo: r.recorder, store: old.carriedOverStore(to: config, unchanged: diff.unchanged))
            current.withLock { $0 = (next, Self.requests(config)) }
            if let bell = bell.withLock({ $0 }) {
                old.store.onNews(nil)
                next.store.onNews { bell.ring() }
                bell.ring()
            }
            await next.start()
            await next.scheduler.start()
            if next.store.snapshot().paused { await next.scheduler.pause() }
            next.note("config reloaded: \(diff)")
        }
    }

    /// Stops whichever session is current.
    func shutdown() async { await session.shutdown() }
}
