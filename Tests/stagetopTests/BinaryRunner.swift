import Foundation
import StageTestSupport

/// Runs the built `stagetop` binary as a user would, with a hard time limit.
struct BinaryRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Binary {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The stagetop executable next to the test bundle (swift build puts both in the same folder).
    static var path: String {
        let candidates = builtProductCandidates("stagetop", repoRoot: repoRoot)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// Runs stagetop from the repository root; a run past `timeout` is killed and throws.
    static func run(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 60) throws -> BinaryRun {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "STAGING_JWT")
        for (k, v) in env { environment[k] = v }
        let r = runProcess(path, args, environment: environment, directory: repoRoot.path,
                           timeout: .milliseconds(Int(timeout * 1000)))
        if r.timedOut { throw TimedOut(args: args) }
        return BinaryRun(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    struct TimedOut: Error { var args: [String] }

    static func tempFile(_ name: String, _ contents: String? = nil) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        if let contents { _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)) }
        return path
    }

    /// The pid of the `stagetop` process whose parent is `parent` (the pane's shell), if any.
    static func child(of parent: String, matching pattern: String) -> pid_t? {
        let r = runProcess("/usr/bin/pgrep", ["-P", parent, "-f", pattern])
        return r.stdout.split(separator: "\n").first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }
}
