import Foundation
import StageUI

/// A hidden debug command (`stagetop __terminal-selftest`): draws a known frame with wide
/// characters, colours and attributes, redraws on resize, and exits on `q` (status 0) or on
/// SIGINT/SIGTERM/SIGHUP (status 128 + signal). The tmux tests in StageTerminalTests drive it.
/// Not a TTY or an unknown TERM: one line on stderr and status 2.
public enum TerminalSelfTest {
    /// Written to stderr while the screen is up: it must not appear until the terminal is restored.
    public static let stderrProbe = "terminal self-test: stderr held back while the screen was up"

    public static func run(options: Terminal.Options = .init()) -> Int32 {
        let terminal: Terminal
        do {
            terminal = try Terminal.start(options)
        } catch {
            FileHandle.standardError.write(Data("stagetop terminal self-test: \(error)\n".utf8))
            return 2
        }
        FileHandle.standardError.write(Data((stderrProbe + "\n").utf8))
        var state = State()
        terminal.draw(frame(state, terminal))
        while true {
            let key = terminal.readKey(timeoutMs: 500)
            if let signal = terminal.interrupted {
                terminal.stop()
                return 128 + signal
            }
            switch key {
            case .char("q"):
                terminal.stop()
                return 0
            case .none:
                break
            case .resize:
                state.resizes += 1
            default:
                state.keys += 1
                state.lastKey = key.label
            }
            state.frames += 1
            state.previousStats = terminal.lastFrameStats
            terminal.draw(frame(state, terminal))
        }
    }

    struct State {
        var keys = 0
        var resizes = 0
        var frames = 1
        var lastKey = "-"
        var previousStats = Terminal.FrameStats()
    }

    /// The frame, a pure function of state and screen facts, so tests can render it headless too.
    static func frame(_ s: State, _ t: Terminal) -> Buffer {
        frame(s, width: t.width, height: t.height, depth: t.colorDepth, unicode: t.unicode, term: t.termName)
    }

    static func frame(_ s: State, width: Int, height: Int, depth: ColorDepth, unicode: Bool, term: String) -> Buffer {
        var b = Buffer(width: width, height: height)
        let title = Style(fg: .ansi(15), bg: .ansi(4), attrs: [.bold])
        b.fill(Rect(x: 0, y: 0, width: width, height: 1), style: title)
        b.set(x: 1, y: 0, "stagetop terminal self-test", style: title)
        b.set(x: 1, y: 1, "size \(width)x\(height)  depth \(depth.rawValue)  unicode \(unicode ? "yes" : "no")  TERM \(term)  pid \(getpid())", style: .plain)
        var x = b.set(x: 1, y: 2, "wide: [", style: .plain)
        x = b.set(x: x, y: 2, "漢字テスト", style: Style(fg: .ansi(3)))
        b.set(x: x, y: 2, "] ok", style: .plain)
        x = b.set(x: 1, y: 3, "ansi:", style: .plain)
        for i in 0..<16 {
            x = b.set(x: x, y: 3, " " + String(i, radix: 16), style: Style(fg: .ansi(i == 0 ? 15 : 0), bg: .ansi(UInt8(i))))
        }
        x = b.set(x: 1, y: 4, "grey:", style: .plain)
        for i in 0..<24 { x = b.set(x: x, y: 4, " ", style: Style(bg: .indexed(UInt8(232 + i)))) }
        x = b.set(x: 1, y: 5, "rgb: ", style: .plain)
        for i in 0..<32 {
            let v = UInt8(i * 8)
            x = b.set(x: x, y: 5, " ", style: Style(bg: .rgb(v, 64, 255 - v)))
        }
        x = b.set(x: 1, y: 6, "attrs:", style: .plain)
        for (name, attr) in Attributes.named { x = b.set(x: x + 1, y: 6, name, style: Style(attrs: attr)) }
        b.set(x: 1, y: 7, "last key: \(s.lastKey)  keys: \(s.keys)  resizes: \(s.resizes)  frames: \(s.frames)", style: .plain)
        let st = s.previousStats
        b.set(x: 1, y: 8, "previous frame: runs \(st.runs) cells \(st.cells) bytes \(st.bytes) full \(st.fullRepaint ? "yes" : "no")", style: .plain)
        b.set(x: 1, y: 9, "q quits", style: Style(attrs: [.dim]))
        // Ends exactly in the bottom-right cell: the one ncurses cannot move the cursor past.
        let corner = "bottom-right>"
        b.set(x: width - corner.count, y: height - 1, corner, style: Style(attrs: [.reverse]))
        return b
    }
}
