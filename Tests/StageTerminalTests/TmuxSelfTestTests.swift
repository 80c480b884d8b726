import Foundation
import Testing
@testable import StageTerminal
#if canImport(Glibc)
import Glibc
#endif

/// End to end: `stagetop __terminal-selftest` in a real terminal (tmux), resized, quit, signalled
/// and crashed; afterwards the shell must find its terminal as it left it (echo, icanon).
/// Skipped until the binary has the hidden subcommand (or without tmux). `STAGETOP_SELFTEST_BINARY`
/// may point at any program that runs `TerminalSelfTest.run()` for that argument.
@Suite(.serialized, .enabled(if: SelfTestBinary.available, "needs tmux and a stagetop with __terminal-selftest"))
struct TmuxSelfTestTests {
    let title = "stagetop terminal self-test"

    func start(width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws -> TmuxSelfTest {
        try TmuxSelfTest(binary: try #require(SelfTestBinary.path), width: width, height: height, environment: environment)
    }

    func expectTerminalRestored(_ t: TmuxSelfTest, sourceLocation: SourceLocation = #_sourceLocation) {
        let words = t.sttyWords
        #expect(words.contains("echo") && !words.contains("-echo"), "stty after exit: \(words.sorted())", sourceLocation: sourceLocation)
        #expect(words.contains("icanon") && !words.contains("-icanon"), sourceLocation: sourceLocation)
        // Back on the normal screen: the frame is gone, the held-back stderr line is shown.
        let (ok, screen) = t.waitForScreen(timeout: .seconds(5)) { $0.contains(TerminalSelfTest.stderrProbe) && !$0.contains(title) }
        #expect(ok, "pane after exit:\n\(screen)", sourceLocation: sourceLocation)
    }

    @Test func drawsTheFrameRedrawsOnResizeAndQuitsOnQ() throws {
        let t = try start()
        var (ok, screen) = t.waitForScreen { $0.contains(title) && $0.contains("size 100x30") }
        try #require(ok, "no frame:\n\(screen)")
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows[0].hasPrefix(" \(title)"))
        #expect(rows[1].contains("depth c256  unicode yes  TERM tmux-256color"))
        #expect(rows[2].hasPrefix(" wide: [漢字テスト] ok"))
        #expect(rows[29].hasSuffix("bottom-right>"))
        #expect(!screen.contains(TerminalSelfTest.stderrProbe), "stderr must not reach the screen while it is up")

        t.sendKeys("Up")
        (ok, screen) = t.waitForScreen { $0.contains("last key: ↑  keys: 1") }
        #expect(ok, "\(screen)")
        t.sendKeys("PageDown")
        (ok, screen) = t.waitForScreen { $0.contains("last key: PgDn  keys: 2") }
        #expect(ok, "\(screen)")

        t.resize(width: 80, height: 24)
        (ok, screen) = t.waitForScreen { $0.contains("size 80x24") && $0.contains("resizes: 1") }
        #expect(ok, "after resize:\n\(screen)")
        let resized = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(resized.count >= 24 && resized[23].hasSuffix("bottom-right>"), "\(resized)")
        #expect(resized.prefix(24).allSatisfy { $0.count <= 80 })
        #expect(resized[2].hasPrefix(" wide: [漢字テスト] ok"))

        t.resize(width: 120, height: 40)
        (ok, screen) = t.waitForScreen { $0.contains("size 120x40") && $0.contains("resizes: 2") }
        #expect(ok, "after growing:\n\(screen)")
        #expect(screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(39).first?.hasSuffix("bottom-right>") == true)
        #expect(!screen.contains("size 80x24"))

        t.sendKeys("q")
        #expect(t.waitForExit() == 0)
        expectTerminalRestored(t)
    }

    @Test func coloursReachTheTerminal() throws {
        let t = try start()
        let (ok, screen) = t.waitForScreen { $0.contains(title) }
        try #require(ok, "\(screen)")
        let coloured = t.capture(escapes: true)
        #expect(coloured.contains("\u{1b}[48;5;232m"), "256-colour grey ramp")
        #expect(coloured.contains("\u{1b}[41m"), "ANSI red background")
        #expect(coloured.contains("\u{1b}[1m"), "bold")
        t.sendKeys("q")
        #expect(t.waitForExit() == 0)
    }

    @Test func noColorMeansNoColour() throws {
        let t = try start(environment: ["NO_COLOR": "1"])
        let (ok, screen) = t.waitForScreen { $0.contains(title) }
        try #require(ok, "\(screen)")
        #expect(screen.contains("depth mono"))
        #expect(colourParameters(in: t.capture(escapes: true)).isEmpty)
        t.sendKeys("q")
        #expect(t.waitForExit() == 0)
    }

    @Test func ctrlCStopsTheLoopAndRestoresTheTerminal() throws {
        let t = try start()
        let (ok, screen) = t.waitForScreen { $0.contains(title) }
        try #require(ok, "\(screen)")
        t.sendKeys("C-c")
        #expect(t.waitForExit() == 128 + SIGINT)
        expectTerminalRestored(t)
    }

    /// SIGTERM and SIGHUP stop the loop (128 + n); SIGSEGV and SIGABRT restore the terminal, then die
    /// of the signal (the shell reports 128 + n as well).
    @Test(arguments: [SIGTERM, SIGHUP, SIGSEGV, SIGABRT])
    func signalsRestoreTheTerminal(signal: Int32) throws {
        let t = try start()
        let (ok, screen) = t.waitForScreen { $0.contains(title) && t.pid(in: $0) != nil }
        try #require(ok, "\(screen)")
        let pid = try #require(t.pid(in: screen))
        #expect(kill(pid, signal) == 0)
        #expect(t.waitForExit() == 128 + signal)
        expectTerminalRestored(t)
    }
}
