import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests, on posix_spawn + waitpid rather than Foundation's `Process`.
///
/// Why not `Process`: on Linux its `waitUntilExit` can miss the child's exit and wait forever (seen in
/// CI: a `timeout tmux …` child a zombie, the test runner parked in `waitUntilExit` until the 90-minute
/// limit), and reading its pipes to EOF waits for every inheritor, which `tmux new-session` leaves
/// behind as a daemon. Here output goes to files, waits poll `waitpid(WNOHANG)` against a deadline,
/// and a child past its deadline is killed. The child gets an empty signal mask and default
/// dispositions: test threads block signals, and a child inheriting that mask would ignore SIGTERM/^C.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let stdoutPath: String
    public let stderrPath: String
    private let dir: URL
    private var exitStatus: Int32?

    /// Starts `executable` (an absolute path) with stdin from /dev/null and stdout/stderr in files.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                directory: String? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        stdoutPath = dir.appendingPathComponent("out").path
        stderrPath = dir.appendingPathComponent("err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        // Swift's Glibc does not export posix_spawn_file_actions_addchdir_np; a shell that cd's and then
        // execs keeps the child's pid (signals still reach the program itself).
        let (path, args) = directory.map { ("/bin/sh", ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, executable] + arguments) }
            ?? (executable, [executable] + arguments)
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, &argv, &envp)
        guard rc == 0 else {
            try? FileManager.default.removeItem(at: dir)
            throw SpawnFailed(executable: executable, code: rc)
        }
        self.pid = pid
    }

    deinit {
        if exitStatus == nil { kill(pid, SIGKILL); _ = wait(timeout: .seconds(2)) }
        try? FileManager.default.removeItem(at: dir)
    }

    public struct SpawnFailed: Error, CustomStringConvertible {
        public var executable: String
        public var code: Int32
        public var description: String { "posix_spawn \(executable): \(String(cString: strerror(code)))" }
    }

    /// The exit code (128+N after signal N), or nil if it is still running after `timeout`.
    public func wait(timeout: Duration) -> Int32? {
        if let exitStatus { return exitStatus }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var status: Int32 = 0
        var reaped = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { reaped = true; break }
            if r < 0 && errno != EINTR { break }  // ECHILD: someone else reaped it; its status is lost
            if clock.now >= deadline { return nil }
            usleep(5_000)
        }
        // WIFEXITED / WEXITSTATUS are macros; the encoding is fixed on Linux and the BSDs. An unknown status
        // is -1, never 0: a test expecting success must not pass on a status nobody saw.
        let code: Int32 = !reaped ? -1 : (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        return code
    }

    public func signal(_ sig: Int32) { if exitStatus == nil { kill(pid, sig) } }

    /// SIGTERM, a short grace, then SIGKILL; always reaps.
    public func terminate() {
        guard exitStatus == nil else { return }
        kill(pid, SIGTERM)
        if wait(timeout: .seconds(2)) == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: .seconds(5))
        }
    }

    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

public struct ChildResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
}

/// Runs a program to completion, bounded: past `timeout` it is killed and `timedOut` is set.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                       directory: String? = nil, timeout: Duration = .seconds(10)) -> ChildResult {
    let child: ChildProcess
    do {
        child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
    } catch {
        return ChildResult(status: -1, stdout: "", stderr: "\(error)", timedOut: false)
    }
    var timedOut = false
    var status = child.wait(timeout: timeout)
    if status == nil {
        timedOut = true
        child.terminate()
        status = child.wait(timeout: .seconds(1))
    }
    return ChildResult(status: status ?? -1, stdout: child.stdout, stderr: child.stderr, timedOut: timedOut)
}
