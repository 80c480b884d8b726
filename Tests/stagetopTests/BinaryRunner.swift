import Foundation

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
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent(), repoRoot.appendingPathComponent(".build/debug")] {
            let candidate = dir.appendingPathComponent("stagetop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return repoRoot.appendingPathComponent(".build/debug/stagetop").path
    }

    static func run(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 60) throws -> BinaryRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = repoRoot
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "STAGING_JWT")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Drain both pipes while it runs so a chatty child cannot block on a full pipe.
        let outData = Locked(Data()), errData = Locked(Data())
        let group = DispatchGroup()
        for (pipe, sink) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                let d = readAll(pipe.fileHandleForReading)
                sink.set(d)
                group.leave()
            }
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            throw TimedOut(args: args)
        }
        p.waitUntilExit()
        return BinaryRun(status: p.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
                         stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    struct TimedOut: Error { var args: [String] }

    static func tempFile(_ name: String, _ contents: String? = nil) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        if let contents { FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)) }
        return path
    }
}

final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
}

extension Binary {
    /// Runs a short shell command and returns its stdout.
    static func shell(_ command: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = readAll(out.fileHandleForReading)
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reads a pipe to EOF, retrying on EINTR: other suites in this process raise signals (terminal tests),
/// and Foundation's readDataToEndOfFile treats an interrupted read as fatal.
func readAll(_ handle: FileHandle) -> Data {
    var out = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    let fd = handle.fileDescriptor
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 { out.append(contentsOf: buffer[0..<n]); continue }
        if n < 0 && errno == EINTR { continue }
        return out
    }
}
