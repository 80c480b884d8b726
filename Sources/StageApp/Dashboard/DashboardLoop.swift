import Foundation
import StageModel
import StageTerminal
import StageUI

/// The UI loop: keys → view state → commands; snapshot → frame → diff → terminal.
public final class DashboardLoop: @unchecked Sendable {  // used by exactly one thread after construction
    let source: DashboardSource
    var display: Display
    let requests: [String: ProbeRequestInfo]
    let keyMap: KeyMap

    /// Frames for new results are at least this far apart; a changed snapshot waits for the next slot. A
    /// frame costs its snapshot and render however little changed: at 20 a second the dashboard alone was 9 %
    /// of a core with 1,000 probes a second (perf), at 5 a second still 1 %. Two a second is livelier than top
    /// or htop. News is not kept waiting: a key, or a new log entry (a verdict change, a close), is drawn
    /// within `newsInterval`.
    static let frameInterval: TimeInterval = 0.5
    static let newsInterval: TimeInterval = 0.05
    /// Ages, meters and the clock move even when nothing else does.
    static let idleRefresh: TimeInterval = 1.0

    public init(source: DashboardSource, display: Display, requests: [String: ProbeRequestInfo], keyMap: KeyMap = .standard) {
        self.source = source; self.display = display; self.requests = requests; self.keyMap = keyMap
    }

    /// The real terminal, as `watch`, `demo` and `replay` use it.
    public static func ncurses(_ display: Display) -> @Sendable () throws -> any TerminalBackend {
        let noColor = display.noColor
        return { try Terminal.start(Terminal.Options(noColor: noColor)) }
    }

    /// Runs on the calling thread until `q`, a signal or a hangup; returns the signal that ended it
    /// (nil when the user quit or the terminal went away). The backend is started here and always stopped.
    public func run(on start: () throws -> any TerminalBackend) throws -> Int32? {
        let terminal = try start()
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
        var bellSeen = snapshot.logTotal
        var newsSeen = source.logTotal
        // With a bell the loop sleeps until a key, news or the next frame's time; without, it looks every 50 ms.
        let ringing = source as? NewsRinging
        let newsBell = NewsBell().flatMap { bell in ringing?.ringOnNews(bell) == true ? bell : nil }
        defer { if newsBell != nil { ringing?.ringOnNews(nil) } }

        while terminal.interrupted == nil, !terminal.hungUp {
            let key: Key
            if let newsBell {
                key = terminal.readKey(timeoutMs: DashboardLoop.wait(dirty: dirty || source.version != lastDrawn,
                                                                     news: source.logTotal != newsSeen, since: lastFrame),
                                       wake: newsBell.fd)
                newsBell.drain()
            } else {
                key = terminal.readKey(timeoutMs: 50)
            }
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
            let news = source.logTotal
            let pace = news != newsSeen ? DashboardLoop.newsInterval : DashboardLoop.frameInterval
            guard dirty, now.timeIntervalSince(lastFrame) >= pace || key != .none else { continue }
            newsSeen = news
            snapshot = source.snapshot()
            view.replay = source.replayStatus
            if let requests = source.requests { renderer.requests = requests }
            display.logFile?.append(newEntriesOf: snapshot)
            if display.bell, DashboardLoop.flippedToFailing(snapshot, since: bellSeen) { terminal.bell() }
            bellSeen = snapshot.logTotal
            let frame = renderer.frame(snapshot, view: &view, width: terminal.width, height: terminal.height)
            terminal.draw(frame)
            lastDrawn = snapshot.version
            lastFrame = now
            dirty = false
        }
        return terminal.interrupted
    }

    /// How long a loop with a news bell may wait for a key (ms): until the next frame may be drawn when
    /// something is waiting to be, else a frame interval (results change the version without ringing).
    static func wait(dirty: Bool, news: Bool, since lastFrame: Date, now: Date = Date()) -> Int {
        let pace = news ? newsInterval : frameInterval
        let seconds = dirty || news ? lastFrame.addingTimeInterval(pace).timeIntervalSince(now) : frameInterval
        return Int((max(0, min(seconds, frameInterval)) * 1000).rounded(.up))
    }

    /// Whether a log entry since `seen` is a probe going from passing (or no result) to fail, hang or
    /// error: one bell for news, not for a probe that was already failing and fails differently.
    static func flippedToFailing(_ snapshot: Snapshot, since seen: Int) -> Bool {
        let new = min(max(0, snapshot.logTotal - seen), snapshot.log.count)
        let failing: Set<Verdict> = [.fail, .hang, .error]
        return snapshot.log.suffix(new).contains { e in
            guard let to = e.to, failing.contains(to) else { return false }
            return e.from.map { !failing.contains($0) } ?? true
        }
    }

    /// Runs the loop on a thread of its own (ncurses must stay on one thread, and its blocking key reads
    /// must not occupy the Swift concurrency pool); succeeds with the signal that ended it (nil for `q`).
    public func runOnOwnThread(on start: @escaping @Sendable () throws -> any TerminalBackend) async -> Result<Int32?, any Error> {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { try self.run(on: start) })
            }
            thread.name = "stagetop-ui"
            thread.start()
        }
    }
}
