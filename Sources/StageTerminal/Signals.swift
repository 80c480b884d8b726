import CNCursesw

/// Process-wide terminal protection while the screen is up:
/// - SIGINT, SIGTERM, SIGHUP only set a flag; `Terminal.readKey` returns promptly and the loop stops;
/// - SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT restore the terminal, then go on to the previous
///   handler (the Swift runtime's backtracer, or SIG_DFL), so the crash report lands on a sane tty;
/// - `atexit` restores the terminal when someone calls `exit()` with the screen up;
/// - stderr is captured while the screen is up and replayed after (see the shim).
/// SIGTSTP/SIGCONT and SIGWINCH are left to ncurses: it installs its own handlers in `newterm`
/// (endwin on ^Z, repaint on `fg`, `KEY_RESIZE` on resize).
///
/// The handlers and their state live in the C shim as `static`s, and each Swift file that calls a
/// shim function gets its own copy of them; this file is therefore the only caller of `stn_guard_*`.
enum ProcessGuard {
    /// Before `newterm`: ncurses catches SIGINT/SIGTERM itself (cleanup and exit) when they are
    /// still SIG_DFL, and we want the flag instead.
    static func install() { stn_guard_install() }

    /// After curses is set up. Returns false when stderr could not be captured (drawing still works).
    @discardableResult
    static func screenUp(captureStderr: Bool) -> Bool { stn_guard_screen_up(captureStderr ? 1 : 0) != 0 }

    /// `endwin()` if the screen is up, then give stderr back and replay it. Idempotent.
    static func restoreScreen() { stn_guard_restore() }

    /// Puts the previous signal dispositions back (the received signal number is kept).
    static func uninstall() { stn_guard_uninstall() }

    /// SIGINT, SIGTERM or SIGHUP received since `install`, or nil.
    static var pendingSignal: Int32? {
        let s = stn_guard_pending_signal()
        return s == 0 ? nil : s
    }

    static func clearSignal() { stn_guard_clear_signal() }
}
