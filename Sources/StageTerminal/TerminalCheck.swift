#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cheap checks before taking over the screen.
public enum TerminalCheck {
    /// Both stdin (keys) and stdout (the screen) are terminals. `watch` refuses politely otherwise.
    public static func isInteractive() -> Bool {
        isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }
}
