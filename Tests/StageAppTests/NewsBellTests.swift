import Foundation
@testable import StageApp
import StageModel
import StageUI
import Testing

/// A headless terminal that waits as the real one does: for `timeoutMs`, or until `wake` is readable
/// (poll(2)). Records each wait and each frame with its time; reports a hangup after `seconds`.
final class WakingTerminal: TerminalBackend, @unchecked Sendable {  // the loop's thread, then the test's
    let width = 120, height = 40
    let colorDepth: ColorDepth = .truecolor
    let unicode = true
    var interrupted: Int32?
    private let end: Date
    private let log = Locked<(waits: [Int], plainReads: Int, frames: [(at: Date, text: String)])>(([], 0, []))
    var hungUp: Bool { Date() >= end }

    init(seconds: Double) { end = Date().addingTimeInterval(seconds) }

    var waits: [Int] { log.withLock { $0.waits } }
    var plainReads: Int { log.withLock { $0.plainReads } }
    var frames: [(at: Date, text: String)] { log.withLock { $0.frames } }

    func readKey(timeoutMs: Int) -> Key {
        log.withLock { $0.plainReads += 1 }
        Thread.sleep(forTimeInterval: Double(timeoutMs) / 1000)
        return .none
    }

    func readKey(timeoutMs: Int, wake: Int32?) -> Key {
        guard let wake else { return readKey(timeoutMs: timeoutMs) }
        log.withLock { $0.waits.append(timeoutMs) }
        var fd = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, Int32(min(timeoutMs, Int(end.timeIntervalSinceNow * 1000) + 1)))
        return .none
    }

    func draw(_ frame: Buffer) { log.withLock { $0.frames.append((Date(), frame.text)) } }
    func bell() {}
    func stop() {}
}

@Suite("The dashboard sleeps until a key, news or its next frame")
struct NewsBellTests {
    @Test("a live session's loop waits up to half a second at a time, and a note is on screen within 50 ms")
    func newsWakesTheLoop() async throws {
        let config = StageConfig(name: "quiet", target: TargetConfig(baseURL: "http://127.0.0.1:9"),
                                 probes: [ProbeSpec(name: "idle", body: .http(HTTPProbeSpec(path: "/")), enabled: false)])
        let session = ProbeSession(config: config)
        let source = LiveSource(session: session)
        let terminal = WakingTerminal(seconds: 2)
        let loop = DashboardLoop(source: source, display: display(), requests: [:])
        let ended = Task { await loop.runOnOwnThread { terminal } }
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let noted = Date()
        session.note("news from the test")
        _ = await ended.value
        await session.shutdown()

        // Looking every 50 ms would be 40 reads in 2 s; waiting for the next frame is a handful.
        #expect(terminal.plainReads == 0)
        #expect(terminal.waits.count <= 12, "\(terminal.waits.count) reads: \(terminal.waits)")
        #expect(terminal.waits.contains { $0 >= 400 }, "long waits: \(terminal.waits)")
        let shown = try #require(terminal.frames.first { $0.text.contains("news from the test") }, "the note was drawn")
        #expect(shown.at.timeIntervalSince(noted) < 0.05, "drawn \(shown.at.timeIntervalSince(noted)) s after the note")
    }

    @Test("the bell rings once until drained, and wakes a poll(2) on its descriptor")
    func ringAndDrain() throws {
        let bell = try #require(NewsBell())
        var fd = pollfd(fd: bell.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&fd, 1, 0) == 0, "quiet before a ring")
        bell.ring(); bell.ring(); bell.ring()
        #expect(poll(&fd, 1, 0) == 1, "readable after a ring")
        bell.drain()
        fd.revents = 0
        #expect(poll(&fd, 1, 0) == 0, "quiet again after drain")
        bell.ring()
        #expect(poll(&fd, 1, 0) == 1, "rings again after a drain")
    }
}
