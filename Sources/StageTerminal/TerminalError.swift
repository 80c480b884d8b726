/// Why `Terminal.start` refused.
public enum TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (piped, redirected, CI).
    case notATTY
    /// ncurses does not know `$TERM`, or the terminal cannot move the cursor (`dumb`).
    case unsupportedTerminal(String)
    /// A `Terminal` is already running: ncurses has one screen per process here.
    case alreadyActive

    public var description: String {
        switch self {
        case .notATTY: "stdin and stdout must be a terminal"
        case .unsupportedTerminal(let term): "unsupported terminal type '\(term)' (set TERM, e.g. TERM=xterm-256color)"
        case .alreadyActive: "the terminal is already in use by this process"
        }
    }
}
