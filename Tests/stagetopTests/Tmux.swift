import Foundation

/// Drives a real terminal: tmux runs the binary, send-keys types, capture-pane reads the screen.
struct Tmux {
    let session: String

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    /// Starts `command` inside bash in a detached session of the given size.
    static func start(_ command: String, width: Int = 120, height: Int = 40) throws -> Tmux {
        let name = "stagetop-test-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        // No pipes here: when no tmux server runs yet, the client forks one that inherits its stdout, and a
        // read to EOF on that pipe would then wait for the server to exit, i.e. forever.
        try run(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "bash", "--norc", "--noprofile", "-c", command],
                capture: false)
        return Tmux(session: name)
    }

    /// Runs a tmux command with a hard 10 s limit (`timeout`), so a wedged tmux cannot hang the suite.
    @discardableResult
    static func run(_ args: [String], capture: Bool = true) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["10", "tmux"] + args
        let out = capture ? Pipe() : nil
        p.standardOutput = out ?? FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.map { readAll($0.fileHandleForReading) } ?? Data()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func capture() -> String { (try? Tmux.run(["capture-pane", "-p", "-t", session])) ?? "" }

    func send(_ keys: String...) { _ = try? Tmux.run(["send-keys", "-t", session] + keys) }

    /// Types text literally (no key-name lookup).
    func type(_ text: String) { _ = try? Tmux.run(["send-keys", "-t", session, "-l", text]) }

    func resize(width: Int, height: Int) {
        _ = try? Tmux.run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    func kill() { _ = try? Tmux.run(["kill-session", "-t", session]) }

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
