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
        try run(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "bash", "--norc", "--noprofile", "-c", command])
        return Tmux(session: name)
    }

    @discardableResult
    static func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
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
