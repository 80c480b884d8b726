import Foundation
import StageModel
import StageProbes
import StageReports
import StageSim
import StageTerminal
import StageUI

/// What the dashboard loop shows and steers: a live probe session, or a recording being replayed.
/// Called from the UI thread only.
protocol DashboardSource: AnyObject {
    /// Changes whenever the snapshot would (so frames are drawn only when something changed).
    var version: UInt64 { get }
    func snapshot() -> Snapshot
    /// Live commands (re-run, pause); a replay ignores the ones that make no sense there.
    func perform(_ command: Command, snapshot: Snapshot)
    /// Replay only: the badge, and the keys' effects. Live sources return nil and ignore them.
    var replayStatus: ReplayStatus? { get }
    func perform(_ command: ReplayCommand)
    /// Called every loop turn with the real time elapsed (replay moves its virtual clock).
    func tick(elapsed: TimeInterval)
}

/// Runs the dashboard: the UI loop on a thread of its own (ncurses must stay on one thread, and its
/// blocking key reads must not occupy the Swift concurrency pool).
enum Dashboard {
    struct Display {
        var theme: Theme
        var themeName: String
        var themeDirs: [String]
        var noColor: Bool
        var timeZone: TimeZone
        var logFile: EventLogFile?
    }

    /// Resolves the theme (NO_COLOR → mono) and the log file; nil after printing the error.
    static func display(_ options: DisplayOptions) -> Display? {
        let themeDirs = [BundledFiles.path("themes")]
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let themeName = noColor ? "mono" : (options.theme ?? "default")
        do {
            let theme = try ThemeLoader.load(nameOrPath: themeName, searchDirs: themeDirs)
            let log = try options.log.map { try EventLogFile(path: $0) }
            return Display(theme: theme, themeName: themeName, themeDirs: themeDirs, noColor: noColor,
                           timeZone: options.utc ? TimeZone(identifier: "UTC")! : .current, logFile: log)
        } catch {
            Console.error("\(error)")
            return nil
        }
    }

    /// Live: probes on their schedule until `q` or a signal. Exit status per SPEC.md.
    /// - Parameter timeline: `demo --timeline` (the sim and how many cycles each report's scenario lasts).
    static func run(config: StageConfig, display options: DisplayOptions, record: String? = nil,
                    timeline: (sim: SimServer, cyclesPerStep: Int)? = nil) async throws -> Int32 {
        guard let display = display(options) else { return ExitStatus.usage }
        let recorder: RecordingWriter?
        do {
            recorder = try record.map { try RecordingWriter(path: $0, header: RecordingHeader(snapshot: SharedStore(config: config).snapshot())) }
        } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        defer { recorder?.close() }
        let session = ProbeSession(config: config, recordTo: recorder)
        await session.start()
        await session.scheduler.start()
        let requests = Dictionary(uniqueKeysWithValues: config.probes.map { spec in
            (spec.name, ProbeRequestInfo(RequestRepro.make(spec, target: config.target, auth: config.auth)))
        })
        let walk = timeline.map { ScenarioTimeline(sim: $0.sim, store: session.store, cyclesPerStep: $0.cyclesPerStep) }
        walk?.begin()
        let outcome = await runLoop(source: LiveSource(session: session, timeline: walk), display: display, requests: requests,
                                    keyMap: walk == nil ? .standard : .timeline)
        await session.shutdown()
        switch outcome {
        case .success(let signal?):
            return 128 + signal  // the shell convention for "ended by a signal"
        case .success(nil):
            let s = session.store.snapshot().summary
            return s.passed == s.counted ? ExitStatus.allPassed : ExitStatus.probeFailed
        case .failure(let error):
            Console.error("\(error)")
            return ExitStatus.internalError
        }
    }

    /// Runs the loop on its own thread; succeeds with the signal that ended it (nil for `q`).
    static func runLoop(source: DashboardSource, display: Display, requests: [String: ProbeRequestInfo],
                        keyMap: KeyMap = .standard) async -> Result<Int32?, any Error> {
        let loop = DashboardLoop(source: source, display: display, requests: requests, keyMap: keyMap)
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { try loop.run() })
            }
            thread.name = "stagetop-ui"
            thread.start()
        }
    }
}

/// The UI loop: keys → view state → commands; snapshot → frame → diff → terminal.
final class DashboardLoop: @unchecked Sendable {  // used by exactly one thread after construction
    let source: DashboardSource
    var display: Dashboard.Display
    let requests: [String: ProbeRequestInfo]
    let keyMap: KeyMap

    /// Frames are at least this far apart; a changed snapshot waits for the next slot.
    static let frameInterval: TimeInterval = 0.05
    /// Ages, meters and the clock move even when nothing else does.
    static let idleRefresh: TimeInterval = 1.0

    init(source: DashboardSource, display: Dashboard.Display, requests: [String: ProbeRequestInfo], keyMap: KeyMap) {
        self.source = source; self.display = display; self.requests = requests; self.keyMap = keyMap
    }

    /// Returns the signal that ended the loop, or nil when the user quit.
    func run() throws -> Int32? {
        let terminal = try Terminal.start(Terminal.Options(noColor: display.noColor))
        defer { terminal.stop() }
        var renderer = Renderer(theme: display.theme, depth: terminal.colorDepth, glyphs: terminal.unicode ? .unicode : .ascii,
                                keyMap: keyMap, requests: requests)
        var view = ViewState(timeZone: display.timeZone)
        view.replay = source.replayStatus
        var snapshot = source.snapshot()
        var lastDrawn: UInt64? = nil
        var lastFrame = Date.distantPast
        var lastTick = Date()
        var dirty = true

        while terminal.interrupted == nil, !DashboardLoop.terminalHungUp() {
            let key = terminal.readKey(timeoutMs: 50)
            let tickNow = Date()
            source.tick(elapsed: tickNow.timeIntervalSince(lastTick))
            lastTick = tickNow
            if key != .none {
                dirty = true
                snapshot = source.snapshot()
                if let rc = reduceReplay(view, key: key, keyMap: renderer.keyMap) {
                    source.perform(rc)
                } else {
                    for command in reduce(&view, key: key, snapshot: snapshot, keyMap: renderer.keyMap) {
                        switch command {
                        case .quit: return nil
                        case .nextTheme:
                            let names = ThemeLoader.available(searchDirs: display.themeDirs)
                            if let next = ThemeLoader.next(after: display.themeName, in: names),
                               let t = try? ThemeLoader.load(nameOrPath: next, searchDirs: display.themeDirs) {
                                display.themeName = next
                                renderer.setTheme(t)
                            }
                        default:
                            source.perform(command, snapshot: snapshot)
                        }
                    }
                }
                view.replay = source.replayStatus
            }
            let now = Date()
            if source.version != lastDrawn { dirty = true }
            if now.timeIntervalSince(lastFrame) >= DashboardLoop.idleRefresh { dirty = true }
            guard dirty, now.timeIntervalSince(lastFrame) >= DashboardLoop.frameInterval || key != .none else { continue }
            snapshot = source.snapshot()
            view.replay = source.replayStatus
            display.logFile?.append(newEntriesOf: snapshot)
            let frame = renderer.frame(snapshot, view: &view, width: terminal.width, height: terminal.height)
            terminal.draw(frame)
            lastDrawn = snapshot.version
            lastFrame = now
            dirty = false
        }
        return terminal.interrupted
    }
}

extension DashboardLoop {
    /// True when the terminal went away (ssh dropped, tmux pane killed) without a SIGHUP reaching us:
    /// key reads then fail at once and the loop would spin; poll tells a hangup apart from "no key yet".
    static func terminalHungUp() -> Bool {
        var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, 0) >= 0 else { return false }
        return fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }
}

/// A live probe session as a dashboard source.
final class LiveSource: DashboardSource, @unchecked Sendable {
    let session: ProbeSession
    let timeline: ScenarioTimeline?
    init(session: ProbeSession, timeline: ScenarioTimeline? = nil) { self.session = session; self.timeline = timeline }

    var version: UInt64 { session.store.version }
    func snapshot() -> Snapshot { session.store.snapshot() }
    var replayStatus: ReplayStatus? { nil }
    func perform(_ command: ReplayCommand) {}
    func tick(elapsed: TimeInterval) { timeline?.tick() }

    func perform(_ command: Command, snapshot: Snapshot) {
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
