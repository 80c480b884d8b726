import Foundation
import StageModel
import StageProbes
#if canImport(Glibc)
import Glibc
#endif

/// Runs an alert's `command:` with the event as JSON on stdin, without a shell, bounded by a timeout.
/// posix_spawn + waitpid rather than Foundation's `Process`, whose wait can miss a child's exit on Linux.
enum CommandRunner {
    /// This process's environment as `NAME=value` lines, without any variable whose value holds one of
    /// `secrets`.
    static func environment(hiding secrets: [String]) -> [String] {
        let needles = secrets.filter { $0.count >= 4 }
        return ProcessInfo.processInfo.environment
            .filter { _, value in !needles.contains { value.contains($0) } }
            .map { "\($0.key)=\($0.value)" }
            .sorted()
    }

    static func run(_ argv: [String], stdin input: String, timeout: Double, environment: [String]) async -> Result<Void, DeliveryFailure> {
        func fail(_ s: String) -> Result<Void, DeliveryFailure> { .failure(DeliveryFailure(description: s)) }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return fail("pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // The agent ignores SIGINT/SIGTERM itself; the command gets the default dispositions back.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        var cenv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { cenv.forEach { free($0) } }
        let rc = posix_spawnp(&pid, argv[0], &actions, &attr, &cargs, &cenv)
        close(readEnd)
        guard rc == 0 else {
            close(writeEnd)
            return fail("cannot run \(argv[0]): \(String(cString: strerror(rc)))")
        }
        // A refused write (EPIPE: it did not read stdin) is not the verdict; its exit status decides.
        FileWrite.all(Array(input.utf8), to: writeEnd)
        close(writeEnd)
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0, errno != EINTR { return fail("lost track of \(argv[0])") }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return fail("\(argv[0]) still running after \(Int(timeout)) s, killed")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        if (status & 0x7f) != 0 { return fail("\(argv[0]) killed by signal \(status & 0x7f)") }
        let code = (status >> 8) & 0xff
        return code == 0 ? .success(()) : fail("\(argv[0]) exited \(code)")
    }
}
