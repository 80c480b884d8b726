import StageTestSupport

/// The real binary in a real terminal: `Tmux.start` runs a shell command line in a private tmux server.
typealias Tmux = TmuxSession

extension TmuxSession {
    static func start(_ command: String, width: Int = 120, height: Int = 40) throws -> TmuxSession {
        let t = TmuxSession(prefix: "stagetop-test", session: "stagetop")
        try t.start(["bash", "--norc", "--noprofile", "-c", command], width: width, height: height)
        return t
    }
}
