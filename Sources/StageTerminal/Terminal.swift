import CNCursesw
import Foundation
import StageUI
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses screen: the only place in stagetop that talks to ncurses.
///
/// Threading: ncurses is not thread-safe and keeps process-global state. Create, use and stop a
/// `Terminal` on ONE thread (the UI loop's) and never call it concurrently; it is deliberately not
/// `Sendable`. Only one `Terminal` can be running per process (`TerminalError.alreadyActive`).
///
/// While it runs: the terminal is in cbreak/noecho mode on the alternate screen with the cursor
/// hidden; SIGINT/SIGTERM/SIGHUP set `interrupted` instead of killing the process; crash signals and
/// `exit()` restore the terminal first; stderr is held back and replayed after `stop()`.
public final class Terminal {
    public struct Options: Sendable {
        /// nil: detect (see `DepthDetection.resolve`). A request is capped to what the terminal can show.
        public var colorDepth: ColorDepth?
        /// No colour at all: `--theme mono`. (`NO_COLOR` in the environment is honoured by detection.)
        public var noColor: Bool
        /// Hold back everything written to stderr while the screen is up and replay it after `stop()`,
        /// so a library warning cannot scribble over the frame. On by default.
        public var captureStderr: Bool

        public init(colorDepth: ColorDepth? = nil, noColor: Bool = false, captureStderr: Bool = true) {
            self.colorDepth = colorDepth; self.noColor = noColor; self.captureStderr = captureStderr
        }
    }

    /// What one `draw` wrote: runs and cells (continuation cells included) and the UTF-8 bytes of
    /// their graphemes (escape sequences not counted). For benchmarks and tests.
    public struct FrameStats: Sendable, Equatable {
        public var runs = 0
        public var cells = 0
        public var bytes = 0
        /// The frame was a full repaint (first frame, after a resize, a size change or Ctrl-L).
        public var fullRepaint = false
        public init() {}
    }

    /// The depth colours are drawn at; give it to `Renderer(depth:)`.
    public let colorDepth: ColorDepth
    /// The locale is UTF-8 (`nl_langinfo(CODESET)`); otherwise use `GlyphSet.ascii`. Frames are
    /// transliterated to ASCII here anyway when false, so a stray non-ASCII string cannot garble the screen.
    public let unicode: Bool
    /// What terminfo said about colours (for a diagnostics line or the self-test).
    public let capabilities: ColorCapabilities
    /// `$TERM` as ncurses saw it.
    public let termName: String

    /// What the last `draw` wrote.
    public internal(set) var lastFrameStats = FrameStats()

    var screen: OpaquePointer?
    var styles: CellStyles
    /// The frame on screen now; nil forces a full repaint.
    var previous: Buffer?
    var needsFullRepaint = true
    /// Scratch for `setcchar`: a spacing character, up to 4 combining ones, and the terminator.
    var wideChars = [wchar_t](repeating: 0, count: 6)
    /// Where keys come from: stdin, or a test's pty.
    private let inputFD: Int32
    private var stoppedSignal: Int32?
    private var stopped = false
    private var lastSize = (width: 0, height: 0)

    private init(screen: OpaquePointer, depth: ColorDepth, unicode: Bool, capabilities: ColorCapabilities,
                 termName: String, styles: CellStyles, inputFD: Int32) {
        self.inputFD = inputFD
        self.screen = screen; colorDepth = depth; self.unicode = unicode; self.capabilities = capabilities
        self.termName = termName; self.styles = styles
    }

    deinit { stop() }

    // MARK: Start

    /// Takes over the terminal. Throws `TerminalError.notATTY` when stdin or stdout is not a terminal.
    public static func start(_ options: Options = .init()) throws -> Terminal {
        guard TerminalCheck.isInteractive() else { throw TerminalError.notATTY }
        return try start(options, device: nil)
    }

    /// A terminal other than stdin/stdout: the seam that lets tests run real ncurses on a pty.
    struct Device {
        var output: UnsafeMutablePointer<FILE>
        var input: UnsafeMutablePointer<FILE>
        var term: String
        /// For `setlocale(LC_ALL, _)`; "" is the user's locale.
        var locale: String = ""
        /// Replaces the process environment for colour detection.
        var environment: [String: String] = [:]
    }

    static func start(_ options: Options, device: Device?) throws -> Terminal {
        guard ActiveTerminal.claim() else { throw TerminalError.alreadyActive }
        var started = false
        defer { if !started { ActiveTerminal.release() } }

        // The user's locale makes ncurses speak UTF-8 (here only C.utf8 exists: never hard-code one).
        // Numbers keep the C locale so no library starts printing "1,5" or parsing "1.5" wrongly.
        setlocale(LC_ALL, device?.locale ?? "")
        setlocale(LC_NUMERIC, "C")
        let unicode = stn_locale_is_utf8() != 0
        let environment = device?.environment ?? ProcessInfo.processInfo.environment
        let term = device?.term ?? environment["TERM"] ?? ""

        ProcessGuard.install()
        let created: OpaquePointer? = if let device { stn_newterm_on(device.term, device.output, device.input) } else { stn_newterm() }
        guard let screen = created else {
            ProcessGuard.uninstall()
            throw TerminalError.unsupportedTerminal(term)
        }
        // Without cursor addressing (TERM=dumb) there is no screen to draw on.
        guard stn_has_string_cap("cup") != 0 else {
            endwin()
            delscreen(screen)
            ProcessGuard.uninstall()
            throw TerminalError.unsupportedTerminal(term)
        }
        let win = stn_stdscr()
        cbreak()           // keys arrive at once; ^C/^Z still signal (raw() would swallow them)
        noecho()
        nonl()             // no CR→LF translation: faster cursor moves; Enter arrives as 13
        intrflush(win, false)
        keypad(win, true)  // arrows and PgUp/PgDn as KEY_* codes
        leaveok(win, true) // the cursor is hidden, so ncurses need not put it back after each update
        curs_set(0)
        set_escdelay(25)   // Esc is a key here; 1 s (the default) feels broken
        // No look at the input every few lines of an update (a poll(2) each): keys wait for the frame.
        typeahead(-1)

        let caps = ColorCapabilities(colors: Int(stn_terminfo_colors()), hasColors: has_colors(),
                                     canChangeColor: can_change_color(), directColor: stn_has_direct_color() != 0)
        let depth = DepthDetection.resolve(requested: options.colorDepth, environment: environment,
                                           capabilities: caps, noColor: options.noColor)
        var defaultColors = false
        var pairLimit: Int32 = 0
        if depth != .mono {
            start_color()
            defaultColors = use_default_colors() == OK
            pairLimit = stn_color_pairs()
        }
        let numbering = ColorNumbering(depth: depth, direct: caps.directColor, defaultColors: defaultColors)
        let pairs = ColorPairs(limit: pairLimit) { pair, fg, bg in init_extended_pair(pair, fg, bg) == OK }
        let terminal = Terminal(screen: screen, depth: depth, unicode: unicode, capabilities: caps,
                                termName: term, styles: CellStyles(numbering: numbering, pairs: pairs),
                                inputFD: device.map { fileno($0.input) } ?? STDIN_FILENO)
        // ncurses 6.4 flushes its output after every cursor move until the screen has been through endwin
        // once (its `_endwin` stays "initial" until then; gdb: `_nc_flush` under `doupdate`): a frame went
        // out as one write per changed line (~45, strace), each a wake-up of the terminal's reader (tmux,
        // sshd). Leaving and entering at once, before anything is drawn, makes a frame one write.
        endwin()
        doupdate()
        ProcessGuard.wrapResize()
        ProcessGuard.screenUp(captureStderr: options.captureStderr)
        terminal.lastSize = (Int(stn_cols()), Int(stn_lines()))
        started = true
        return terminal
    }

    // MARK: State

    public var isRunning: Bool { !stopped }

    /// Columns of the screen (the last known size after `stop()`).
    public var width: Int { stopped ? lastSize.width : Int(stn_cols()) }
    /// Rows of the screen.
    public var height: Int { stopped ? lastSize.height : Int(stn_lines()) }

    /// The signal (SIGINT, SIGTERM or SIGHUP) that asked us to stop, or nil. Check it after every
    /// `readKey`; on non-nil, `stop()` and exit (conventionally with status 128 + signal).
    public var interrupted: Int32? { stopped ? stoppedSignal : ProcessGuard.pendingSignal }

    /// True when the terminal went away without a signal reaching us (ssh dropped, tmux pane killed): key
    /// reads then fail at once and a loop would spin; poll tells a hangup apart from "no key yet".
    public var hungUp: Bool {
        var fds = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, 0) >= 0 else { return false }
        return fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Colour pairs allocated so far (tests, diagnostics).
    public var colorPairCount: Int { styles.pairs.count }

    // MARK: Keys

    /// The next key, or `.none` after `timeoutMs` (negative: wait for a key). Returns `.none` within
    /// about 100 ms of SIGINT/SIGTERM/SIGHUP whatever the timeout (at once with `wake:`), so the loop
    /// sees `interrupted`.
    /// `.resize` after the terminal was resized (or Ctrl-L): the next `draw` repaints everything.
    public func readKey(timeoutMs: Int) -> Key {
        readKey(timeoutMs: timeoutMs, wake: nil)
    }

    /// The same, returning `.none` as soon as `wake` (a file descriptor) is readable: the dashboard waits for
    /// keys and news together (the caller drains `wake`). The wait is one poll(2) for the whole timeout when
    /// signals ring `ProcessGuard.bellFD`: an idle dashboard wakes only for its frames.
    public func readKey(timeoutMs: Int, wake: Int32?) -> Key {
        guard !stopped, interrupted == nil, let win = stn_stdscr() else { return .none }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(max(0, timeoutMs)))
        let signals = wake == nil ? nil : ProcessGuard.bellFD
        // Wait in slices: a signal interrupts the read, but ncurses may retry on EINTR (and the signal may
        // land on another thread). A wait that hears signals on the bell needs no slices.
        let cap = signals == nil ? 100 : Int(Int32.max)
        while true {
            var slice = cap
            if timeoutMs >= 0 {
                let left = clock.now.duration(to: deadline).components
                // Rounded up, so the last sub-millisecond does not turn into a busy loop of poll(0).
                let ms = left.seconds * 1000 + (left.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
                slice = Int(max(0, min(ms, Int64(cap))))
            }
            if let wake {
                // What ncurses already holds (the rest of an escape sequence, a resize) comes first; then
                // the wait is poll(2) on the input, `wake` and the signal bell together.
                wtimeout(win, 0)
                var code: wint_t = 0
                let status = wget_wch(win, &code)
                if status != ERR { return decoded(status, code) }
                var fds = [pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: signals ?? -1, events: Int16(POLLIN), revents: 0)]
                if poll(&fds, 3, Int32(slice)) > 0 {
                    if fds[2].revents != 0 {
                        // A resize is read at the top (ncurses' flag); a stop signal is seen below.
                        ProcessGuard.drainBell()
                        if interrupted != nil { return .none }
                        continue
                    }
                    // News, or the terminal went away (the caller sees `hungUp`): either way, back to the loop.
                    if fds[1].revents != 0 || fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .none }
                    continue  // input: read it at the top
                }
            } else {
                wtimeout(win, Int32(slice))
                var code: wint_t = 0
                let status = wget_wch(win, &code)
                if status != ERR { return decoded(status, code) }
            }
            if interrupted != nil { return .none }
            if timeoutMs >= 0 && clock.now >= deadline { return .none }
        }
    }

    private func decoded(_ status: Int32, _ code: wint_t) -> Key {
        let key = KeyDecoder.decode(status: status, code: UInt32(code))
        if key == .resize { needsFullRepaint = true; lastSize = (Int(stn_cols()), Int(stn_lines())) }
        return key
    }

    /// The terminal bell (`watch --bell`): an audible or visual alert, as the user's terminal is set up.
    public func bell() {
        guard !stopped else { return }
        beep()
    }

    // MARK: Stop

    /// Gives the terminal back: `endwin`, stderr replayed, signal handlers restored. Idempotent;
    /// also run by `deinit`, on crash signals and at `exit()`.
    public func stop() {
        guard !stopped else { return }
        lastSize = (Int(stn_cols()), Int(stn_lines()))
        stoppedSignal = ProcessGuard.pendingSignal
        stopped = true
        ProcessGuard.unwrapResize()
        ProcessGuard.restoreScreen()
        if let screen { delscreen(screen) }
        screen = nil
        ProcessGuard.uninstall()
        ActiveTerminal.release()
    }
}

/// One ncurses screen per process: `start` claims it, `stop` releases it.
enum ActiveTerminal {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var active = false  // guarded by `lock`

    static func claim() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if active { return false }
        active = true
        return true
    }

    static func release() {
        lock.lock(); defer { lock.unlock() }
        active = false
    }
}
