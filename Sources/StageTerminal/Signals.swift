import CNCursesw

/// Process-wide terminal protection while the screen is up:
/// - SIGINT, SIGTERM, SIGHUP only set a flag; `Terminal.readKey` returns promptly and the loop stops;
/// - SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT restore the terminal, then go on to the previous
///   handler (the Swift runtime's backtracer, or SIG_DFL), so the crash report lands on a sane tty;
/// - `atexit` restores the terminal when someone calls `exit()` with the screen up;
/// - stderr is captured while the screen is up and replayed after (see the shim);
/// - those signals are unblocked on the thread that starts the terminal;
/// - those signals and SIGWINCH ring a pipe (`bellFD`) that the dashboard's key wait polls, so it can wait
///   a frame's time instead of waking every 100 ms to look at the flags.
/// SIGTSTP/SIGCONT and SIGWINCH are ncurses' own: it installs its handlers in `newterm` (endwin on ^Z,
/// repaint on `fg`, `KEY_RESIZE` on resize); ours for SIGWINCH only calls ncurses' and rings the pipe.
///
/// The handlers are C (shim.h); their state is one block of memory allocated here and never freed,
/// because C `static`s in the shim would be duplicated into every Swift object file that inlines
/// an accessor.
enum ProcessGuard {
    /// Set up once; only ever touched from the UI thread and the signal handlers.
    nonisolated(unsafe) private static let state: UnsafeMutablePointer<stn_guard_state> = {
        let p = UnsafeMutablePointer<stn_guard_state>.allocate(capacity: 1)
        stn_guard_init(p)
        return p
    }()

    /// Before `newterm`: ncurses catches SIGINT/SIGTERM itself (cleanup and exit) when they are
    /// still SIG_DFL, and we want the flag instead.
    static func install() { stn_guard_install(state) }

    /// After curses is set up. Returns false when stderr could not be captured (drawing still works).
    @discardableResult
    static func screenUp(captureStderr: Bool) -> Bool { stn_guard_screen_up(state, captureStderr ? 1 : 0) != 0 }

    /// `endwin()` if the screen is up, then give stderr back and replay it. Idempotent.
    static func restoreScreen() { stn_guard_restore(state) }

    /// Puts the previous signal dispositions back (the received signal number is kept).
    static func uninstall() { stn_guard_uninstall(state) }

    /// After `newterm`: ncurses' SIGWINCH handler is called through ours, which also rings `bellFD`.
    static func wrapResize() { stn_guard_wrap_winch(state) }

    /// Before `delscreen`: ncurses' SIGWINCH handler goes back as it was.
    static func unwrapResize() { stn_guard_unwrap_winch(state) }

    /// Readable after SIGINT, SIGTERM, SIGHUP or SIGWINCH (nil when no pipe could be made): a signal
    /// usually lands on another thread, and a key wait that polls this too wakes at once.
    static var bellFD: Int32? {
        let fd = stn_guard_bell_fd(state)
        return fd < 0 ? nil : fd
    }

    static func drainBell() { stn_guard_drain_bell(state) }

    /// SIGINT, SIGTERM or SIGHUP received since `install`, or nil.
    static var pendingSignal: Int32? {
        let s = stn_guard_pending_signal(state)
        return s == 0 ? nil : s
    }
}
