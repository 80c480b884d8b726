import Foundation
import StageApp
import StageModel
import StageUI
import Testing

/// A source with fixed probes that records what the loop asks of it.
final class RecordingSource: DashboardSource, @unchecked Sendable {  // one thread at a time
    var store: Store
    var commands: [Command] = []
    var replayCommands: [ReplayCommand] = []
    var ticks = 0

    init(probes: [String]) {
        let config = StageConfig(name: "headless", target: TargetConfig(baseURL: "http://127.0.0.1:9"),
                                 probes: probes.map { ProbeSpec(name: $0, body: .http(HTTPProbeSpec(path: "/" + $0))) })
        store = Store(config: config, startedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    var version: UInt64 { store.version }
    var logTotal: Int? { store.logTotal }
    func snapshot() -> Snapshot { store.snapshot(at: Date(timeIntervalSince1970: 1_700_000_010)) }
    var replayStatus: ReplayStatus? { nil }
    func perform(_ command: ReplayCommand) { replayCommands.append(command) }
    func perform(_ command: Command, snapshot: Snapshot) { commands.append(command) }
    func tick(elapsed: TimeInterval) { ticks += 1 }

    func finish(_ name: String, _ verdict: Verdict) {
        let at = Date(timeIntervalSince1970: 1_700_000_005)
        store.apply(.finished(ProbeResult(probe: name, kind: .http, verdict: verdict, failureClass: verdict == .pass ? nil : .server,
                                          message: verdict == .pass ? "200 OK" : "500 Internal Server Error", status: verdict == .pass ? 200 : 500,
                                          latencyMs: 12, startedAt: at, finishedAt: at)))
    }
}

func display() -> Display {
    Display(theme: .builtinDefault, themeName: "default", themeDirs: [], noColor: false, timeZone: TimeZone(identifier: "UTC")!)
}

@Suite("The dashboard loop, headless: keys, commands, frames, and how it ends")
struct DashboardLoopTests {
    @Test("q ends the loop without a signal; the terminal is stopped once; the frame shows the probes")
    func quit() throws {
        let source = RecordingSource(probes: ["backend_health", "discovery"])
        let terminal = ScriptedTerminal(keys: [.none, .none])
        let ended = try DashboardLoop(source: source, display: display(), requests: [:]).run { terminal }
        #expect(ended == nil)
        #expect(terminal.stopped == 1)
        let text = try #require(terminal.lastText)
        #expect(text.contains("backend_health") && text.contains("discovery"))
        #expect(terminal.frames.allSatisfy { $0.width == 120 && $0.height == 40 })
    }

    @Test("r re-runs the selected probe, R all, p pauses: the keys reach the source as commands")
    func commandsReachTheSource() throws {
        let source = RecordingSource(probes: ["alpha", "beta"])
        let terminal = ScriptedTerminal(keys: [.char("r"), .down, .char("r"), .char("R"), .char("p")])
        _ = try DashboardLoop(source: source, display: display(), requests: [:]).run { terminal }
        #expect(source.commands.count == 4)
        guard source.commands.count == 4 else { return }
        #expect(source.commands[2] == .rerunAll && source.commands[3] == .togglePause)
        if case .rerun(let first) = source.commands[0], case .rerun(let second) = source.commands[1] {
            #expect(first != second, "moving down selects the other probe")
            #expect(Set([first, second]) == ["alpha", "beta"])
        } else {
            Issue.record("expected two re-runs, got \(source.commands)")
        }
    }

    @Test("a signal ends the loop and is returned; the terminal is still restored")
    func signalEnds() throws {
        let source = RecordingSource(probes: ["alpha"])
        let terminal = ScriptedTerminal { t, _ in
            if t.reads == 3 { t.interrupted = SIGTERM }
            return .none
        }
        let ended = try DashboardLoop(source: source, display: display(), requests: [:]).run { terminal }
        #expect(ended == SIGTERM)
        #expect(terminal.stopped == 1)
        #expect(terminal.reads == 3)
    }

    @Test("a terminal that went away ends the loop (no spin on failing reads)")
    func hangupEnds() throws {
        let source = RecordingSource(probes: ["alpha"])
        let terminal = ScriptedTerminal { t, _ in
            if t.reads == 5 { t.hangUpNow = true }
            return .none
        }
        let ended = try DashboardLoop(source: source, display: display(), requests: [:]).run { terminal }
        #expect(ended == nil)
        #expect(terminal.reads == 5)
        #expect(terminal.stopped == 1)
    }

    @Test("a new result is drawn on the next frame; an idle source is not redrawn every turn")
    func redrawsOnChange() throws {
        let source = RecordingSource(probes: ["alpha"])
        var framesWhenChanged = 0
        let terminal = ScriptedTerminal(idleSleep: 0.01) { t, text in
            switch t.reads {
            case 1...20: return .none  // ~0.2 s idle: one frame, then nothing new (idle refresh is 1 s)
            case 21:
                framesWhenChanged = t.frames.count
                source.finish("alpha", .fail)
                return .none
            case 22...40: return .none
            default: return .char("q")
            }
        }
        _ = try DashboardLoop(source: source, display: display(), requests: [:]).run { terminal }
        #expect(framesWhenChanged == 1, "idle for 0.2 s: only the first frame")
        let afterChange = terminal.frames.dropFirst(framesWhenChanged)
        #expect(afterChange.contains { $0.text.contains("500 Internal Server Error") })
        #expect(afterChange.count <= 3, "one frame for the change (plus the q frame), not one per turn")
    }

    @Test("Enter opens the detail view of the selected probe, Esc goes back")
    func detailView() throws {
        let source = RecordingSource(probes: ["alpha"])
        source.finish("alpha", .fail)
        var detail: String?
        var back: String?
        let terminal = ScriptedTerminal { t, text in
            switch t.reads {
            case 1: return .enter
            case 2: detail = text; return .escape
            case 3: back = text; return .char("q")
            default: return .char("q")
            }
        }
        _ = try DashboardLoop(source: source, display: display(), requests: [:]).run { terminal }
        #expect(detail?.contains("GET /alpha") == true)
        #expect(detail != back)
        #expect(back?.contains("alpha") == true)
    }
}

@Suite("watch --bell")
struct BellTests {
    /// Runs the loop, applying `steps[i]` to the source at read i (once), then `q`; returns the bells rung.
    func bells(bell: Bool, _ steps: [(RecordingSource) -> Void]) throws -> Int {
        let source = RecordingSource(probes: ["alpha", "beta"])
        var d = display()
        d.bell = bell
        var i = 0
        let terminal = ScriptedTerminal(idleSleep: 0.06) { _, _ in
            defer { i += 1 }
            if i < steps.count { steps[i](source); return .none }
            return .char("q")
        }
        _ = try DashboardLoop(source: source, display: d, requests: [:]).run { terminal }
        return terminal.bells
    }

    @Test("rings once per flip to failing; not for a first pass, a failing probe failing differently, or a recovery")
    func flips() throws {
        let n = try bells(bell: true, [
            { $0.finish("alpha", .pass) }, { $0.finish("beta", .pass) },   // first passes: quiet
            { $0.finish("alpha", .fail) },                                  // pass → fail: 1
            { $0.finish("alpha", .hang) },                                  // fail → hang: already failing
            { $0.finish("alpha", .pass) },                                  // recovery: quiet
            { $0.finish("beta", .error) },                                  // pass → error: 2
        ])
        #expect(n == 2)
    }

    @Test("a probe whose first result fails rings; without --bell nothing rings")
    func firstFailureAndOff() throws {
        #expect(try bells(bell: true, [{ $0.finish("alpha", .fail) }]) == 1)
        #expect(try bells(bell: false, [{ $0.finish("alpha", .fail) }, { $0.finish("beta", .hang) }]) == 0)
    }
}
