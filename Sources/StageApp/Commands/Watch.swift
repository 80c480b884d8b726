import Foundation
import StageModel
import StageProbes
import StageReports
import StageSim
import StageTerminal
import StageUI

/// `stagetop watch` (and `demo`, which is `watch` against the sim).
public struct WatchSettings: Sendable {
    public var target: TargetSettings
    public var display: DisplaySettings
    public var record: String?
    /// `demo --timeline`: completed cycles per scenario of the staging reports' walk (needs the sim).
    public var timelineCyclesPerStep: Int?

    public init(target: TargetSettings, display: DisplaySettings = DisplaySettings(), record: String? = nil, timelineCyclesPerStep: Int? = nil) {
        self.target = target; self.display = display; self.record = record; self.timelineCyclesPerStep = timelineCyclesPerStep
    }
}

extension App {
    /// Runs the live dashboard until `q` or a signal; returns the exit status.
    /// - Parameter terminal: the backend to draw on (nil: the real terminal, which must be a TTY).
    public static func watch(_ settings: WatchSettings, terminal: (@Sendable () throws -> any TerminalBackend)? = nil) async -> Int32 {
        if terminal == nil, !TerminalCheck.isInteractive() {
            Console.error("watch needs a terminal (stdout is not a TTY); for CI and pipes use: stagetop check \(settings.target.configPath)")
            return ExitStatus.usage
        }
        let display: Display
        do { display = try Display.resolve(settings.display) } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        let prepared: (config: StageConfig, sim: SimulatedTarget?)
        switch await settings.target.prepareOrExit() {
        case .success(let p): prepared = p
        case .failure(let exit): return exit.status
        }
        let timeline = settings.timelineCyclesPerStep.flatMap { n in prepared.sim.map { ($0.server, n) } }
        let status = await live(config: prepared.config, display: display, record: settings.record, timeline: timeline,
                                reload: timeline == nil ? (settings.target, prepared.sim) : nil,
                                terminal: terminal ?? DashboardLoop.ncurses(display))
        await prepared.sim?.stop()
        return status
    }

    /// `watch --attach URL …`: the dashboard driven by agents. `tokenEnv` names the variable holding
    /// their API token (never argv).
    public static func attach(urls: [String], tokenEnv: String?, display settings: DisplaySettings,
                              terminal: (@Sendable () throws -> any TerminalBackend)? = nil) async -> Int32 {
        if terminal == nil, !TerminalCheck.isInteractive() {
            Console.error("watch needs a terminal (stdout is not a TTY); for scripts read the agent's /api/v1/snapshot")
            return ExitStatus.usage
        }
        let display: Display
        do { display = try Display.resolve(settings) } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        let token: String?
        switch TokenEnvironment.read(tokenEnv) {
        case .success(let t): token = t
        case .failure(let exit): return exit.status
        }
        let source = AttachSource(urls: urls, token: token)
        let loop = DashboardLoop(source: source, display: display, requests: [:])
        let outcome = await loop.runOnOwnThread(on: terminal ?? DashboardLoop.ncurses(display))
        let final = source.snapshot()
        await source.shutdown()
        return ExitStatus.of(dashboard: outcome, quit: ExitStatus.of(final))
    }

    /// Probes on their schedule, shown live, until the loop ends.
    /// - Parameter reload: where the config came from, to reload it when the file changes (nil: never).
    static func live(config: StageConfig, display: Display, record: String?, timeline: (sim: SimServer, cyclesPerStep: Int)?,
                     reload: (target: TargetSettings, sim: SimulatedTarget?)? = nil,
                     terminal: @escaping @Sendable () throws -> any TerminalBackend) async -> Int32 {
        let recorder: RecordingWriter?
        do { recorder = try ProbeSession.openRecording(record, config: config) } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        defer { recorder?.close() }
        let session = ProbeSession(config: config, recordTo: recorder)
        for note in config.routeDriftNotes { session.note(note) }
        await session.start()
        await session.scheduler.start()
        let walk = timeline.map { ScenarioTimeline(sim: $0.sim, store: session.store, cyclesPerStep: $0.cyclesPerStep) }
        walk?.begin()
        let source = reload.map { r in
            LiveSource(session: session, reloading: .init(target: r.target, sim: r.sim, recorder: recorder,
                                                          watcher: ConfigFileWatcher(path: r.target.configPath)))
        } ?? LiveSource(session: session, timeline: walk)
        let watcher = source.watchConfigFile()
        let loop = DashboardLoop(source: source, display: display, requests: [:], keyMap: walk == nil ? .standard : .timeline)
        let outcome = await loop.runOnOwnThread(on: terminal)
        watcher?.cancel()
        await source.shutdown()
        return ExitStatus.of(dashboard: outcome, quit: ExitStatus.of(source.snapshot()))
    }
}
