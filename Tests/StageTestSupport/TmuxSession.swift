import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real terminal for end-to-end tests: one private tmux server (its own `-L` socket, no user config)
/// with one session. Every tmux call is a bounded child (`runProcess`), so a wedged tmux cannot hang a
/// suite, and `kill()` ends the server with everything in it.
public struct TmuxSession: Sendable {
    public let socket: String
    public let session: String

    public static let executable: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    public static var available: Bool { executable != nil }

    /// Names a new server; nothing runs until `start`.
    public init(prefix: String, session: String = "main") {
        socket = "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.session = session
    }

    /// Starts `command` (one shell word list, as tmux takes it) in a detached session of the given size.
    public func start(_ command: [String], width: Int, height: Int) throws {
        let r = run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)"] + command)
        guard r.status == 0 else { throw StartFailed(stderr: r.stderr) }
    }

    public struct StartFailed: Error, CustomStringConvertible {
        public var stderr: String
        public var description: String { "tmux new-session failed: \(stderr)" }
    }

    /// One tmux command against this server, bounded (10 s).
    @discardableResult
    public func run(_ args: [String]) -> ChildResult {
        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        // The pane must not inherit the test runner's colour settings; tests set them explicitly.
        env["NO_COLOR"] = nil
        env["COLORTERM"] = nil
        env["LC_ALL"] = "C.UTF-8"  // tmux keeps wide characters only in a UTF-8 locale
        return runProcess(Self.executable ?? "tmux", ["-L", socket, "-f", "/dev/null"] + args, environment: env)
    }

    /// The pane's text, one line per row (`escapes`: with its colour and attribute sequences).
    public func capture(escapes: Bool = false) -> String {
        run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : [])).stdout
    }

    /// Key names as tmux knows them ("Enter", "Up", "C-c", "q").
    public func send(_ keys: String...) { send(keys: keys) }

    public func send(keys: [String]) { run(["send-keys", "-t", session] + keys) }

    /// Types text literally (no key-name lookup).
    public func type(_ text: String) { run(["send-keys", "-t", session, "-l", text]) }

    public func resize(width: Int, height: Int) {
        run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The pid of the shell running in the pane.
    public var panePID: String {
        run(["list-panes", "-t", session, "-F", "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func kill() { run(["kill-server"]) }

    /// Polls the screen every 50 ms until `predicate` holds or `timeout` seconds pass; the last capture.
    @discardableResult
    public func waitFor(timeout: Double = 15, _ predicate: (String) -> Bool) -> (ok: Bool, screen: String) {
        var screen = ""
        let ok = poll(timeout: timeout) { () -> Bool? in
            screen = capture()
            return predicate(screen) ? true : nil
        } ?? false
        return (ok, screen)
    }
}

public func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
