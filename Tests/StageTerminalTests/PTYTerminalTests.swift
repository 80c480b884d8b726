import Foundation
import StageUI
import Testing
@testable import StageTerminal
#if canImport(Glibc)
import Glibc
#endif

/// Real ncurses on a pseudo-terminal, inside the test process. One ncurses screen per process, so
/// these run one at a time.
@Suite(.serialized) struct PTYTerminalTests {
    func withTerminal(term: String = "xterm-256color", locale: String = "C.UTF-8", environment: [String: String] = [:],
                      rows: Int = 24, cols: Int = 80, options: Terminal.Options = .init(captureStderr: false),
                      _ body: (Terminal, PTY) throws -> Void) throws {
        let pty = try PTY(rows: rows, cols: cols)
        defer { pty.close() }
        let device = Terminal.Device(output: pty.output, input: pty.input, term: term, locale: locale, environment: environment)
        let terminal = try Terminal.start(options, device: device)
        defer { terminal.stop() }
        try body(terminal, pty)
    }

    /// A frame with a word per row in a few styles.
    func frame(width: Int = 80, height: Int = 24, word: String = "hello", style: Style = Style(fg: .ansi(2))) -> Buffer {
        var b = Buffer(width: width, height: height)
        for y in 0..<height { b.set(x: 2, y: y, "\(word) \(y)", style: y.isMultiple(of: 2) ? style : .plain) }
        b.set(x: width - 1, y: height - 1, "X", style: Style(fg: .ansi(1), attrs: [.bold]))
        return b
    }

    @Test func takesOverTheTerminalAndGivesItBack() throws {
        let pty = try PTY(rows: 24, cols: 80)
        defer { pty.close() }
        let before = pty.termios()
        let device = Terminal.Device(output: pty.output, input: pty.input, term: "xterm-256color", locale: "C.UTF-8")
        let terminal = try Terminal.start(.init(captureStderr: false), device: device)
        #expect(terminal.width == 80 && terminal.height == 24)
        #expect(terminal.colorDepth == .c256)
        #expect(terminal.unicode)
        let during = pty.termios()
        #expect(during.c_lflag & tcflag_t(ECHO) == 0)
        #expect(during.c_lflag & tcflag_t(ICANON) == 0)
        #expect(during.c_lflag & tcflag_t(ISIG) != 0)  // cbreak, not raw: ^C still signals
        terminal.draw(frame())
        #expect(pty.waitFor("\u{1b}[?1049h"))  // alternate screen
        #expect(pty.waitFor("hello 23"))
        // Start leaves the alternate screen once before the first frame (see `Terminal.start`): what stop writes
        // is looked for in what comes after.
        pty.clear()
        terminal.stop()
        terminal.stop()  // idempotent
        #expect(pty.waitFor("\u{1b}[?1049l"))
        #expect(!terminal.isRunning)
        let after = pty.termios()
        #expect(after.c_lflag & tcflag_t(ECHO) != 0)
        #expect(after.c_lflag & tcflag_t(ICANON) != 0)
        #expect(after.c_lflag == before.c_lflag)
        // Drawing or reading after stop is harmless.
        terminal.draw(frame())
        #expect(terminal.readKey(timeoutMs: 10) == .none)
    }

    @Test func drawWritesOnlyWhatChanged() throws {
        try withTerminal { terminal, pty in
            terminal.draw(frame())
            #expect(terminal.lastFrameStats.fullRepaint)
            #expect(terminal.lastFrameStats.runs == 24)
            #expect(terminal.lastFrameStats.cells == 80 * 24)
            #expect(pty.waitFor("hello 23"))
            #expect(pty.waitFor("X"))  // the bottom-right cell
            #expect(colourParameters(in: pty.text).contains(32))  // green, as ansi(2)

            usleep(50_000)
            pty.clear()
            terminal.draw(frame())
            #expect(terminal.lastFrameStats == Terminal.FrameStats())
            usleep(50_000)
            #expect(pty.bytes.isEmpty, "an unchanged frame writes nothing")

            var changed = frame()
            changed.set(x: 2, y: 5, "HOWDY", style: .plain)
            terminal.draw(changed)
            #expect(!terminal.lastFrameStats.fullRepaint)
            #expect(terminal.lastFrameStats.runs == 1)
            #expect(terminal.lastFrameStats.cells == 5)
            #expect(pty.waitFor("HOWDY"))
            #expect(!pty.text.contains("hello"), "only the changed run is sent")
        }
    }

    @Test func sameStylesTwiceAllocateNoNewPairs() throws {
        try withTerminal { terminal, _ in
            var b = Buffer(width: 80, height: 24)
            let styles: [Style] = [
                Style(fg: .ansi(1)), Style(fg: .ansi(2), bg: .ansi(0)), Style(fg: .indexed(208)), Style(fg: .rgb(10, 200, 30), bg: .indexed(236)),
                Style(fg: .ansi(3), attrs: [.bold, .underline]), Style(bg: .ansi(4), attrs: [.reverse]),
            ]
            for (i, s) in styles.enumerated() { b.set(x: 0, y: i, "style \(i)", style: s) }
            terminal.draw(b)
            let pairs = terminal.colorPairCount
            #expect(pairs == 6)
            for i in 0..<styles.count { b.set(x: 20, y: i, "again", style: styles[(i + 1) % styles.count]) }
            terminal.draw(b)
            terminal.draw(Buffer(width: 80, height: 24))
            terminal.draw(b)
            #expect(terminal.colorPairCount == pairs)
        }
    }

    @Test func manyColoursUsePairsAbove255() throws {
        try withTerminal { terminal, pty in
            var b = Buffer(width: 80, height: 24)
            var n = 0
            for y in 0..<24 {
                for x in 0..<40 {
                    b.set(x: x * 2, y: y, "#", style: Style(fg: .indexed(UInt8(n % 256)), bg: .indexed(UInt8((n / 256) % 256))))
                    n += 1
                }
            }
            terminal.draw(b)
            #expect(terminal.colorPairCount == 24 * 40)
            // Pairs above 255 reach the screen: the last cells' colours are sent.
            #expect(pty.waitFor("\u{1b}[38;5;191m"))  // fg of cell 959 = 959 % 256
        }
    }

    @Test func wideCharactersAreWrittenOnceAndKeepTheRowAligned() throws {
        try withTerminal { terminal, pty in
            var b = Buffer(width: 80, height: 24)
            b.set(x: 0, y: 0, "[漢字]end", style: .plain)
            terminal.draw(b)
            #expect(pty.waitFor("[漢字]end"))
            // Replacing the second wide character rewrites only its run.
            usleep(50_000)
            pty.clear()
            b.set(x: 3, y: 0, "テ", style: .plain)
            terminal.draw(b)
            #expect(terminal.lastFrameStats.runs == 1)
            #expect(terminal.lastFrameStats.cells == 2)
            #expect(pty.waitFor("テ"))
            #expect(!pty.text.contains("漢"))
        }
    }

    @Test func keysFromTheTerminal() throws {
        try withTerminal { terminal, pty in
            terminal.draw(frame())
            // xterm-256color in keypad-transmit mode: SS3 arrows/Home/End, CSI ~ for PgUp/PgDn.
            let cases: [(String, Key)] = [
                ("\u{1b}OA", .up), ("\u{1b}OB", .down), ("\u{1b}[5~", .pageUp), ("\u{1b}[6~", .pageDown),
                ("\u{1b}OH", .home), ("\u{1b}OF", .end), ("\r", .enter), ("\u{7f}", .backspace),
                ("q", .char("q")), ("/", .char("/")), ("漢", .char("漢")), ("é", .char("é")),
            ]
            for (bytes, key) in cases {
                pty.send(bytes)
                #expect(terminal.readKey(timeoutMs: 2000) == key, "\(bytes.unicodeScalars.map { String($0.value, radix: 16) })")
            }
            // A lone Esc is a key after the short escape delay, not the start of a sequence forever.
            pty.send("\u{1b}")
            #expect(terminal.readKey(timeoutMs: 2000) == .escape)
        }
    }

    /// write(2) calls this thread has made (`syscw` of /proc/thread-self/io): draw runs on the caller's thread.
    func writesByThisThread() throws -> Int {
        let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("syscw:") })
        return try #require(Int(line.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)))
    }

    /// Times this thread has gone to sleep (`voluntary_ctxt_switches` of /proc/thread-self/status).
    func sleepsOfThisThread() throws -> Int {
        let text = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("voluntary_ctxt_switches:") })
        return try #require(Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)))
    }

    @Test func aFrameGoesOutInOneWrite() throws {
        try withTerminal { terminal, pty in
            var before = try writesByThisThread()
            terminal.draw(frame())
            var writes = try writesByThisThread() - before
            #expect(pty.waitFor("hello 23"))
            // ncurses 6.4 flushed after every cursor move until the first endwin: one write per row (24 here).
            #expect(writes >= 1 && writes <= 2, "a full 80x24 frame took \(writes) writes")

            // A change on every other row: still one write, not one per changed row.
            var changed = frame()
            for y in stride(from: 0, to: 24, by: 2) { changed.set(x: 40, y: y, "row \(y) changed", style: .plain) }
            before = try writesByThisThread()
            terminal.draw(changed)
            writes = try writesByThisThread() - before
            #expect(pty.waitFor("row 22 changed"))
            #expect(writes == 1, "twelve changed rows took \(writes) writes")
        }
    }

    @Test func aWaitWithAWakeHearsSignalsAtOnce() throws {
        try withTerminal { terminal, pty in
            let bell = try #require(NewsPipe())
            defer { bell.close() }
            terminal.draw(frame())
            let clock = ContinuousClock()
            // The wait is one poll for its whole time (no 100 ms slices): a resize that lands on another thread
            // (test threads block signals) must still end it, through the signal bell.
            pty.resize(rows: 30, cols: 100)
            let delivered = Thread { kill(getpid(), SIGWINCH) }
            var t0 = clock.now
            delivered.start()
            #expect(terminal.readKey(timeoutMs: 5000, wake: bell.readEnd) == .resize)
            #expect(clock.now - t0 < .milliseconds(500))
            #expect(terminal.width == 100 && terminal.height == 30)

            // Nothing rung, nothing typed: the whole timeout passes in one wait (slices of 100 ms were three
            // sleeps, each a wake-up of an idle dashboard).
            let sleeps = try sleepsOfThisThread()
            t0 = clock.now
            #expect(terminal.readKey(timeoutMs: 350, wake: bell.readEnd) == .none)
            #expect(clock.now - t0 >= .milliseconds(340))
            #expect(try sleepsOfThisThread() - sleeps <= 2)

            // The caller's own wake ends the wait too.
            bell.ring()
            #expect(terminal.readKey(timeoutMs: 5000, wake: bell.readEnd) == .none)
            bell.drain()

            // A stop signal on another thread ends it at once.
            t0 = clock.now
            kill(getpid(), SIGTERM)
            #expect(terminal.readKey(timeoutMs: 5000, wake: bell.readEnd) == .none)
            #expect(clock.now - t0 < .milliseconds(500))
            #expect(terminal.interrupted == SIGTERM)
        }
    }

    @Test func readKeyTimesOut() throws {
        try withTerminal { terminal, _ in
            let clock = ContinuousClock()
            let t0 = clock.now
            #expect(terminal.readKey(timeoutMs: 150) == .none)
            let elapsed = clock.now - t0
            #expect(elapsed >= .milliseconds(140) && elapsed < .milliseconds(1000), "\(elapsed)")
            #expect(terminal.readKey(timeoutMs: 0) == .none)
        }
    }

    @Test func resizeReportsAndRepaintsEverything() throws {
        try withTerminal { terminal, pty in
            terminal.draw(frame())
            pty.resize(rows: 30, cols: 100)
            // The pty has no controlling process to signal; do what the kernel would. kill(), not
            // raise(): test threads block signals, and the UI loop may not be the receiving thread either.
            kill(getpid(), SIGWINCH)
            #expect(terminal.readKey(timeoutMs: 2000) == .resize)
            #expect(terminal.width == 100 && terminal.height == 30)
            terminal.draw(frame(width: 100, height: 30))
            #expect(terminal.lastFrameStats.fullRepaint)
            #expect(terminal.lastFrameStats.cells == 3000)
            // Ctrl-L asks for the same full repaint.
            pty.send("\u{0c}")
            #expect(terminal.readKey(timeoutMs: 2000) == .resize)
            terminal.draw(frame(width: 100, height: 30))
            #expect(terminal.lastFrameStats.fullRepaint)
        }
    }

    @Test func aFrameLargerThanTheScreenIsClipped() throws {
        try withTerminal(rows: 10, cols: 20) { terminal, pty in
            var b = Buffer(width: 30, height: 12)
            b.set(x: 0, y: 0, "0123456789abcdefghijKLMNOPQRST", style: .plain)
            b.set(x: 19, y: 1, "漢", style: .plain)  // would straddle the right edge
            terminal.draw(b)
            #expect(pty.waitFor("0123456789abcdefghij"))
            usleep(50_000)
            #expect(!pty.text.contains("KLM"))
            #expect(!pty.text.contains("漢"))
        }
    }

    @Test func signalSetsInterruptedAndReadKeyReturnsPromptly() throws {
        try withTerminal { terminal, _ in
            #expect(terminal.interrupted == nil)
            // Our handler is installed while the terminal runs, so this only sets the flag. The signal
            // lands on another thread (test threads block signals): readKey must notice anyway.
            kill(getpid(), SIGTERM)
            let clock = ContinuousClock()
            let t0 = clock.now
            #expect(terminal.readKey(timeoutMs: 5000) == .none)
            #expect(clock.now - t0 < .milliseconds(500))
            #expect(terminal.interrupted == SIGTERM)
            terminal.stop()
            #expect(terminal.interrupted == SIGTERM)
        }
        // A new terminal starts without the old signal.
        try withTerminal { terminal, _ in #expect(terminal.interrupted == nil) }
    }

    @Test func oneTerminalAtATime() throws {
        try withTerminal { _, _ in
            let pty = try PTY(rows: 24, cols: 80)
            defer { pty.close() }
            let device = Terminal.Device(output: pty.output, input: pty.input, term: "xterm-256color")
            #expect(throws: TerminalError.alreadyActive) { try Terminal.start(.init(captureStderr: false), device: device) }
        }
    }

    @Test(arguments: ["dumb", "no-such-terminal-stagetop"])
    func unsupportedTerminalsAreRefused(term: String) throws {
        #expect(throws: TerminalError.unsupportedTerminal(term)) {
            try withTerminal(term: term) { _, _ in }
        }
        // The refusal released the screen: the next start works.
        try withTerminal { terminal, _ in #expect(terminal.isRunning) }
    }

    @Test func noColorDrawsWithoutColourPairs() throws {
        try withTerminal(environment: ["NO_COLOR": "1"]) { terminal, pty in
            #expect(terminal.colorDepth == .mono)
            terminal.draw(frame())
            #expect(pty.waitFor("hello 23"))
            #expect(terminal.colorPairCount == 0)
            #expect(colourParameters(in: pty.text).isEmpty, "no colour in any SGR sequence")
        }
        try withTerminal(options: .init(noColor: true, captureStderr: false)) { terminal, _ in
            #expect(terminal.colorDepth == .mono)
        }
    }

    @Test func depthFollowsTheTerminalDescription() throws {
        try withTerminal(term: "xterm") { terminal, _ in #expect(terminal.colorDepth == .ansi8) }
        try withTerminal(term: "vt100") { terminal, _ in #expect(terminal.colorDepth == .mono) }
        try withTerminal(term: "xterm-256color", environment: ["COLORTERM": "truecolor"]) { terminal, _ in
            #expect(terminal.colorDepth == .c256)  // no direct colour in xterm-256color
        }
        try withTerminal(term: "xterm", options: .init(colorDepth: .c256, captureStderr: false)) { terminal, _ in
            #expect(terminal.colorDepth == .ansi8)  // a request is capped to what the terminal has
        }
    }

    @Test func nonUTF8LocaleDrawsASCIIOnly() throws {
        try withTerminal(locale: "C") { terminal, pty in
            #expect(!terminal.unicode)
            var b = Buffer(width: 80, height: 24)
            b.set(x: 0, y: 0, "wide [漢字] arrow → ok", style: .plain)
            terminal.draw(b)
            #expect(pty.waitFor("ok"))
            #expect(pty.bytes.allSatisfy { $0 < 0x80 })
            #expect(pty.text.contains("arrow > ok"))
        }
    }
}

/// The colour parameters (30–38, 40–48, 90–97, 100–107) of every SGR sequence (`ESC [ … m`) in `text`.
func colourParameters(in text: String) -> [Int] {
    var found: [Int] = []
    var rest = Substring(text)
    while let start = rest.range(of: "\u{1b}[") {
        rest = rest[start.upperBound...]
        let params = rest.prefix { $0.isNumber || $0 == ";" || $0 == ":" }
        let after = rest.dropFirst(params.count)
        guard after.first == "m" else { continue }
        for p in params.split(whereSeparator: { $0 == ";" || $0 == ":" }) {
            if let n = Int(p), (30...38).contains(n) || (40...48).contains(n) || (90...97).contains(n) || (100...107).contains(n) {
                found.append(n)
            }
        }
    }
    return found
}

/// A pipe standing in for the dashboard's news bell.
final class NewsPipe {
    let readEnd: Int32
    private let writeEnd: Int32

    init?() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        readEnd = fds[0]; writeEnd = fds[1]
    }

    func ring() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func drain() {
        var byte: UInt8 = 0
        _ = read(readEnd, &byte, 1)
    }

    func close() {
        Glibc.close(readEnd)
        Glibc.close(writeEnd)
    }
}
