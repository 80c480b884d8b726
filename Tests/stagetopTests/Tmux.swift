import Foundation
import StageTestSupport

/// Drives a real terminal: tmux runs the binary, send-keys types, capture-pane reads the screen.
/// Each instance has its own tmux server (`-L`, no user config), so tests never touch a person's
/// sessions and `kill()` leaves nothing behind.
struct Tmux {
    let socket: String
    let session = "stagetop"

    static let executable: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { executable != nil }

    /// Starts `command` inside bash in a detached session of the given size.
    static func start(_ command: String, width: Int = 120, height: Int = 40) throws -> Tmux {
        let t = Tmux(socket: "stagetop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let r = t.run(["new-session", "-d", "-s", t.session, "-x", "\(width)", "-y", "\(height)", "bash", "--norc", "--noprofile", "-c", command])
        guard r.status == 0 else { throw StartFailed(stderr: r.stderr) }
        return t
    }

    struct StartFailed: Error { var stderr: String }

    /// One tmux command, bounded (10 s): a wedged tmux cannot hang the suite.
    @discardableResult
    func run(_ args: [String]) -> ChildResult {
        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        env["NO_COLOR"] = nil
        env["LC_ALL"] = "C.UTF-8"  // tmux keeps wide characters only in a UTF-8 locale
        return runProcess(Tmux.executable ?? "/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + args, environment: env)
    }

    func capture() -> String { run(["capture-pane", "-p", "-t", session]).stdout }

    func send(_ keys: String...) { run(["send-keys", "-t", session] + keys) }

    /// Types text literally (no key-name lookup).
    func type(_ text: String) { run(["send-keys", "-t", session, "-l", text]) }

    func resize(width: Int, height: Int) { run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"]) }

    /// The pid of the shell running in the pane.
    var panePID: String { run(["list-panes", "-t", session, "-F", "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    func kill() { run(["kill-server"]) }

    /// Polls the screen until `predicate` holds or `timeout` passes; returns the last capture.
    @discardableResult
    func waitFor(timeout: TimeInterval = 15, _ predicate: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !predicate(screen) {
            if Date() > deadline { return (false, screen) }
            Thread.sleep(forTimeInterval: 0.1)
            screen = capture()
        }
        return (true, screen)
    }
}
