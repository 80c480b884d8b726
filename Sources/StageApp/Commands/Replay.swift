import Foundation
import StageModel
import StageReports
import StageTerminal

extension App {
    /// `stagetop replay`: the dashboard driven by a recording on a virtual clock.
    public static func replay(path: String, speed: Double, display settings: DisplaySettings,
                              terminal: (@Sendable () throws -> any TerminalBackend)? = nil) async -> Int32 {
        if terminal == nil, !TerminalCheck.isInteractive() {
            Console.error("replay needs a terminal (stdout is not a TTY); for a text summary use: stagetop report \(path)")
            return ExitStatus.usage
        }
        let rec: Recording
        do { rec = try Recording.read(path: path) } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        // Warnings go out before the screen is up; nothing may print over it later.
        for w in rec.warnings { Console.error("warning: \(w)") }
        let display: Display
        do { display = try Display.resolve(settings) } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        let loop = DashboardLoop(source: ReplaySource(player: ReplayPlayer(rec, speed: speed)), display: display, requests: [:])
        return ExitStatus.of(dashboard: await loop.runOnOwnThread(on: terminal ?? DashboardLoop.ncurses(display)), quit: ExitStatus.allPassed)
    }

    /// `stagetop report`: the Markdown report of a recording, to a file or stdout.
    public static func report(path: String, output: String?) -> Int32 {
        let rec: Recording
        do { rec = try Recording.read(path: path) } catch {
            Console.error("\(error)")
            return ExitStatus.usage
        }
        for w in rec.warnings { Console.error("warning: \(w)") }
        let store = rec.finalStore()
        let last = rec.events.compactMap { e -> Date? in if case .finished(let r) = e { return r.finishedAt } else { return nil } }.max()
        let snapshot = store.snapshot(at: last ?? rec.header.startedAt)
        let text = MarkdownReport.render(snapshot, startedAt: rec.header.startedAt, finishedAt: last ?? rec.header.startedAt)
        guard let output else {
            print(text, terminator: "")
            return ExitStatus.allPassed
        }
        do { try write(text, to: output) } catch {
            Console.error("cannot write report: \(error.localizedDescription)")
            return ExitStatus.internalError
        }
        return ExitStatus.allPassed
    }

    /// The hidden `__terminal-selftest`: a known frame through the real ncurses backend until `q`.
    public static func terminalSelfTest() -> Int32 { TerminalSelfTest.run() }
}
