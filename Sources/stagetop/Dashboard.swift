import Foundation
import StageModel
import StageProbes
import StageTerminal
import StageUI

/// Runs the live dashboard: probes on their schedule, the UI loop on a thread of its own (ncurses must
/// stay on one thread, and its blocking key reads must not occupy the Swift concurrency pool).
enum Dashboard {
    static func run(config: StageConfig, display: DisplayOptions) async throws -> Int32 {
        let themeDirs = [BundledFiles.path("themes")]
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let themeName = noColor ? "mono" : (display.theme ?? "default")
        let theme: Theme
        do {
            theme = try ThemeLoader.load(nameOrPath: themeName, searchDirs: themeDirs)
        } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        let logFile: EventLogFile?
        do {
            logFile = try display.log.map { try EventLogFile(path: $0) }
        } catch {
            Console.error("cannot open log file: \(error.localizedDescription)")
            return ExitStatus.usage
        }

        let session = ProbeSession(config: config)
        await session.start()
        await session.scheduler.start()
        let requests = Dictionary(uniqueKeysWithValues: config.probes.map { spec in
            let r = RequestRepro.make(spec, target: config.target, auth: config.auth)
            return (spec.name, ProbeRequestInfo(url: r.url, method: r.method, headers: r.headers, curl: r.curl))
        })
        let loop = DashboardLoop(session: session, theme: theme, themeName: themeName, themeDirs: themeDirs,
                                 noColor: noColor, requests: requests, timeZone: display.utc ? TimeZone(identifier: "UTC")! : .current,
                                 logFile: logFile)
        let outcome: Result<Void, any Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { try loop.run() })
            }
            thread.name = "stagetop-ui"
            thread.start()
        }
        await session.shutdown()
        switch outcome {
        case .success:
            let s = session.store.snapshot().summary
            return s.passed == s.counted ? ExitStatus.allPassed : ExitStatus.probeFailed
        case .failure(let error):
            Console.error("\(error)")
            return ExitStatus.internalError
        }
    }
}

/// The UI loop: keys → view state → commands; snapshot → frame → diff → terminal.
final class DashboardLoop: @unchecked Sendable {  // used by exactly one thread after construction
    let session: ProbeSession
    var theme: Theme
    var themeName: String
    let themeDirs: [String]
    let noColor: Bool
    let requests: [String: ProbeRequestInfo]
    let timeZone: TimeZone
    let logFile: EventLogFile?

    /// Frames are at least this far apart; a changed snapshot waits for the next slot.
    static let frameInterval: TimeInterval = 0.05
    /// Ages and the clock move even when nothing else does.
    static let idleRefresh: TimeInterval = 1.0

    init(session: ProbeSession, theme: Theme, themeName: String, themeDirs: [String], noColor: Bool,
         requests: [String: ProbeRequestInfo], timeZone: TimeZone, logFile: EventLogFile?) {
        self.session = session; self.theme = theme; self.themeName = themeName; self.themeDirs = themeDirs
        self.noColor = noColor; self.requests = requests; self.timeZone = timeZone; self.logFile = logFile
    }

    func run() throws {
        let terminal = try Terminal.start(Terminal.Options(noColor: noColor))
        defer { terminal.stop() }
        var renderer = Renderer(theme: theme, depth: terminal.colorDepth, glyphs: terminal.unicode ? .unicode : .ascii, requests: requests)
        var view = ViewState(timeZone: timeZone)
        var snapshot = session.store.snapshot()
        var lastDrawn: UInt64? = nil
        var lastFrame = Date.distantPast
        var dirty = true

        while terminal.interrupted == nil {
            let key = terminal.readKey(timeoutMs: 50)
            if key != .none {
                dirty = true
                snapshot = session.store.snapshot()
                for command in reduce(&view, key: key, snapshot: snapshot, keyMap: renderer.keyMap) {
                    switch command {
                    case .quit: return
                    case .rerun(let name):
                        let scheduler = session.scheduler
                        Task { _ = await scheduler.runNow(name) }
                    case .rerunAll:
                        let scheduler = session.scheduler
                        let names = snapshot.probes.map(\.name)
                        Task { for n in names { _ = await scheduler.runNow(n) } }
                    case .togglePause:
                        let paused = !snapshot.paused
                        session.store.setPaused(paused)
                        let scheduler = session.scheduler
                        Task { if paused { await scheduler.pause() } else { await scheduler.resume() } }
                    case .nextTheme:
                        let names = ThemeLoader.available(searchDirs: themeDirs)
                        if let next = ThemeLoader.next(after: themeName, in: names),
                           let t = try? ThemeLoader.load(nameOrPath: next, searchDirs: themeDirs) {
                            themeName = next
                            renderer.setTheme(t)
                        }
                    }
                }
            }
            let now = Date()
            let version = session.store.version
            if version != lastDrawn { dirty = true }
            if now.timeIntervalSince(lastFrame) >= DashboardLoop.idleRefresh { dirty = true }
            guard dirty, now.timeIntervalSince(lastFrame) >= DashboardLoop.frameInterval || key != .none else { continue }
            snapshot = session.store.snapshot()
            logFile?.append(newEntriesOf: snapshot)
            let frame = renderer.frame(snapshot, view: &view, width: terminal.width, height: terminal.height)
            terminal.draw(frame)
            lastDrawn = snapshot.version
            lastFrame = now
            dirty = false
        }
    }
}
