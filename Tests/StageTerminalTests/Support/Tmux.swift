import Foundation
import StageTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Where `stagetop __terminal-selftest` can be found, if it can: `STAGETOP_SELFTEST_BINARY`, the
/// `stagetop` next to the test bundle, or `<repo>/.build/debug/stagetop`, and only if it really has
/// the hidden subcommand (it answers a non-TTY run with status 2 and the self-test's message).
enum SelfTestBinary {
    static let path: String? = {
        let env = ProcessInfo.processInfo.environment
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [env["STAGETOP_SELFTEST_BINARY"]].compactMap { $0 } + builtProductCandidates("stagetop", repoRoot: repo)
        return candidates.first { path in
            guard FileManager.default.isExecutableFile(atPath: path) else { return false }
            let probe = runProcess(path, ["__terminal-selftest"], timeout: .seconds(20))
            return probe.status == 2 && probe.stderr.contains("stagetop terminal self-test:")
        }
    }()

    static var available: Bool { TmuxSession.available && path != nil }
}

/// The self-test in a private tmux server (`TmuxSession`), inside `bash -c`, which afterwards records
/// the exit status and `stty -a` of the same pane.
final class TmuxSelfTest {
    let tmux = TmuxSession(prefix: "stt", session: "selftest")
    let dir: URL

    init(binary: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(tmux.socket)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // The Swift backtracer would make a crash wait for a key (and take seconds): the crash test
        // wants the plain re-raised signal.
        let env = ["TERM": "tmux-256color", "LC_ALL": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no"]
            .merging(environment) { $1 }
            .map { "\($0.key)=\(shellQuote($0.value))" }.sorted().joined(separator: " ")
        let script = "env \(env) \(shellQuote(binary)) __terminal-selftest; echo EXIT=$? > \(shellQuote(file("exit"))); "
            + "stty -a > \(shellQuote(file("stty"))); sleep 30"
        do {
            try tmux.start(["bash -c \(shellQuote(script))"], width: width, height: height)
        } catch {
            throw PTY.Failure(description: "\(error)")
        }
    }

    deinit {
        tmux.kill()
        try? FileManager.default.removeItem(at: dir)
    }

    func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func capture(escapes: Bool = false) -> String { tmux.capture(escapes: escapes) }

    @discardableResult
    func waitForScreen(timeout: Duration = .seconds(10), _ predicate: (String) -> Bool) -> (ok: Bool, screen: String) {
        tmux.waitFor(timeout: Double(timeout.components.seconds), predicate)
    }

    func sendKeys(_ keys: String...) { tmux.send(keys: keys) }

    func resize(width: Int, height: Int) { tmux.resize(width: width, height: height) }

    /// The self-test's pid, as it prints it on screen.
    func pid(in screen: String) -> pid_t? {
        guard let r = screen.range(of: #"pid (\d+)"#, options: .regularExpression) else { return nil }
        return pid_t(screen[r].dropFirst(4))
    }

    /// "EXIT=n" written by the shell once the self-test is gone (bounded wait).
    func waitForExit(timeout: Double = 10) -> Int32? {
        guard let s = StageTestSupport.waitForFile(file("exit"), timeout: timeout, until: { $0.hasSuffix("\n") }),
              let n = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(5)) else { return nil }
        // stty runs right after; give it a moment to write.
        _ = StageTestSupport.waitForFile(file("stty"), timeout: 5)
        return n
    }

    /// The terminal modes the shell found after the self-test exited, as `stty -a` words.
    var sttyWords: Set<String> {
        let text = (try? String(contentsOfFile: file("stty"), encoding: .utf8)) ?? ""
        return Set(text.split { $0 == " " || $0 == ";" || $0 == "\n" }.map(String.init))
    }
}

