import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion (bounded), returning its status and output.
///
/// posix_spawn rather than Foundation's `Process`: `Process` on Linux waits until every inheritor of
/// its internal descriptors is gone, and `tmux new-session` leaves a daemon behind, so it would hang.
/// The child also gets an empty signal mask and default dispositions: test threads block signals,
/// and a self-test inheriting that mask would never see SIGTERM or ^C.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                timeout: Duration = .seconds(10)) -> (status: Int32, stdout: String, stderr: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stt-run-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let outPath = dir.appendingPathComponent("out").path, errPath = dir.appendingPathComponent("err").path

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
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
    var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable, &actions, &attr, &argv, &envp)
    guard rc == 0 else { return (-1, "", "posix_spawn \(executable): \(rc)") }

    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var status: Int32 = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
        if clock.now >= deadline {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            break
        }
        usleep(5_000)
    }
    // WIFEXITED / WEXITSTATUS are macros; the encoding is fixed on Linux and the BSDs.
    let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    return (code, read(outPath), read(errPath))
}

/// Where `stagetop __terminal-selftest` can be found, if it can: `STAGETOP_SELFTEST_BINARY`, the
/// `stagetop` next to the test bundle, or `<repo>/.build/debug/stagetop`, and only if it really has
/// the hidden subcommand (it answers a non-TTY run with status 2 and the self-test's message).
enum SelfTestBinary {
    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let path: String? = {
        let env = ProcessInfo.processInfo.environment
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let nextToBundle: String = bundleDir.appendingPathComponent("stagetop").path
        let inRepo: String = repo.appendingPathComponent(".build/debug/stagetop").path
        let candidates = [env["STAGETOP_SELFTEST_BINARY"], nextToBundle, inRepo].compactMap { $0 }
        return candidates.first { path in
            guard FileManager.default.isExecutableFile(atPath: path) else { return false }
            let probe = runProcess(path, ["__terminal-selftest"], timeout: .seconds(20))
            return probe.status == 2 && probe.stderr.contains("stagetop terminal self-test:")
        }
    }()

    static var available: Bool { tmux != nil && path != nil }
}

/// A private tmux server (its own socket, no user config) with one session running the self-test
/// inside `bash -c`, which afterwards records the exit status and `stty -a` of the same pane.
final class TmuxSelfTest {
    let socket = "stt-\(getpid())-\(UUID().uuidString.prefix(8))"
    let session = "selftest"
    let dir: URL
    let tmux: String

    init(binary: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        tmux = SelfTestBinary.tmux ?? "tmux"
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // The Swift backtracer would make a crash wait for a key (and take seconds): the crash test
        // wants the plain re-raised signal.
        let env = ["TERM": "tmux-256color", "LC_ALL": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no"]
            .merging(environment) { $1 }
            .map { "\($0.key)=\(shellQuote($0.value))" }.sorted().joined(separator: " ")
        let script = "env \(env) \(shellQuote(binary)) __terminal-selftest; echo EXIT=$? > \(shellQuote(file("exit"))); "
            + "stty -a > \(shellQuote(file("stty"))); sleep 30"
        let r = run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "bash -c \(shellQuote(script))"])
        guard r.status == 0 else { throw PTY.Failure(description: "tmux new-session failed: \(r.stderr)") }
    }

    deinit {
        run(["kill-server"])
        try? FileManager.default.removeItem(at: dir)
    }

    func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @discardableResult
    func run(_ args: [String]) -> (status: Int32, stdout: String, stderr: String) {
        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        // The pane must not inherit the test runner's colour settings; tests set them explicitly.
        env["NO_COLOR"] = nil
        env["COLORTERM"] = nil
        env["LC_ALL"] = "C.UTF-8"  // tmux itself must run in UTF-8 to keep wide characters
        return runProcess(tmux, ["-L", socket, "-f", "/dev/null"] + args, environment: env)
    }

    /// The pane's text, one string per row.
    func capture(escapes: Bool = false) -> String {
        run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : [])).stdout
    }

    /// Polls the pane (at most `timeout`) until `predicate` holds; returns the last capture.
    @discardableResult
    func waitForScreen(timeout: Duration = .seconds(10), _ predicate: (String) -> Bool) -> (ok: Bool, screen: String) {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var screen = capture()
        while !predicate(screen) && clock.now < deadline {
            usleep(50_000)
            screen = capture()
        }
        return (predicate(screen), screen)
    }

    func sendKeys(_ keys: String...) { run(["send-keys", "-t", session] + keys) }

    func resize(width: Int, height: Int) { run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"]) }

    /// The self-test's pid, as it prints it on screen.
    func pid(in screen: String) -> pid_t? {
        guard let r = screen.range(of: #"pid (\d+)"#, options: .regularExpression) else { return nil }
        return pid_t(screen[r].dropFirst(4))
    }

    /// "EXIT=n" written by the shell once the self-test is gone (bounded wait).
    func waitForExit(timeout: Duration = .seconds(10)) -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let s = try? String(contentsOfFile: file("exit"), encoding: .utf8), s.hasSuffix("\n"),
               let n = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(5)) {
                // stty runs right after; give it a moment to write.
                _ = waitForFile("stty")
                return n
            }
            usleep(50_000)
        }
        return nil
    }

    func waitForFile(_ name: String, timeout: Duration = .seconds(5)) -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let s = try? String(contentsOfFile: file(name), encoding: .utf8), !s.isEmpty { return s }
            usleep(50_000)
        }
        return nil
    }

    /// The terminal modes the shell found after the self-test exited, as `stty -a` words.
    var sttyWords: Set<String> {
        let text = (try? String(contentsOfFile: file("stty"), encoding: .utf8)) ?? ""
        return Set(text.split { $0 == " " || $0 == ";" || $0 == "\n" }.map(String.init))
    }
}

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
