import Foundation
import StageTestSupport
import StageUI
import Testing
@testable import StageTerminal
#if canImport(Glibc)
import Glibc
#endif

/// Truecolor needs a direct-colour terminfo entry (terminfo `RGB`). None is installed here, so the
/// test compiles one with `tic`: xterm-256color whose colour numbers are 0xRRGGBB.
/// An extension of `PTYTerminalTests`: one ncurses screen per process, so it joins that serialized suite.
extension PTYTerminalTests {
    @Test(.enabled(if: DirectColorTerminfo.tic != nil, "needs tic"))
    func truecolorOnADirectColourTerminal() throws {
        let (dir, db) = try DirectColorTerminfo.compile()
        defer { try? FileManager.default.removeItem(at: dir) }
        // ncurses reads TERMINFO at newterm; nothing else in the test process looks at it.
        setenv("TERMINFO", db, 1)
        defer { unsetenv("TERMINFO") }

        let pty = try PTY(rows: 24, cols: 80)
        defer { pty.close() }
        let device = Terminal.Device(output: pty.output, input: pty.input, term: DirectColorTerminfo.name, locale: "C.UTF-8")
        let terminal = try Terminal.start(.init(captureStderr: false), device: device)
        defer { terminal.stop() }
        #expect(terminal.capabilities.directColor)
        #expect(terminal.colorDepth == .truecolor)

        var b = Buffer(width: 80, height: 24)
        b.set(x: 0, y: 0, "rgb", style: Style(fg: .rgb(0x12, 0x34, 0x56)))
        b.set(x: 0, y: 1, "red", style: Style(fg: .ansi(1)))
        b.set(x: 0, y: 2, "idx", style: Style(fg: .indexed(196), bg: .rgb(1, 2, 3)))
        terminal.draw(b)
        #expect(pty.waitFor("idx"))
        let out = pty.text
        #expect(out.contains("\u{1b}[38:2::18:52:86m"), "rgb sent as RGB")
        #expect(out.contains("\u{1b}[31m"), "ANSI 0–7 stay palette colours")
        #expect(out.contains("\u{1b}[38:2::255:0:0m"), "a 256-colour index is sent as its RGB")
        #expect(out.contains("\u{1b}[48:2::1:2:3m"))
    }
}

enum DirectColorTerminfo {
    static let name = "stt-direct"
    static let tic: String? = ["/usr/bin/tic", "/usr/local/bin/tic", "/opt/homebrew/bin/tic"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let source = #"""
    stt-direct|stagetop test: xterm-256color with direct colour,
    \#tcolors#0x1000000, pairs#0x10000, RGB,
    \#tsetab=\E[%?%p1%{8}%<%t4%p1%d%e48\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
    \#tsetaf=\E[%?%p1%{8}%<%t3%p1%d%e38\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
    \#tuse=xterm-256color,

    """#

    /// A fresh temporary directory (remove it afterwards) with a terminfo database holding `stt-direct`.
    static func compile() throws -> (dir: URL, database: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stt-terminfo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let src = dir.appendingPathComponent("direct.src")
        try source.write(to: src, atomically: true, encoding: .utf8)
        let r = runProcess(try #require(tic), ["-x", "-o", dir.appendingPathComponent("db").path, src.path])
        guard r.status == 0 else { throw PTY.Failure(description: "tic failed: \(r.stderr)") }
        return (dir, dir.appendingPathComponent("db").path)
    }
}
