import Foundation
import StageModel
import Testing
@testable import StageProbes

/// The curl thread's per-stream state, driven by hand with explicit times (what the write callback and
/// the poll loop would feed it), so body timing and progress throttling are checked exactly.
@Suite("StreamTap: body timing, plain and SSE bodies, progress throttling")
struct StreamTapTests {
    let clock = ManualClock()

    func tap(_ limits: StreamWatchdog.Limits, progress: (@Sendable (StreamProgress) -> Void)? = nil) -> StreamTap {
        StreamTap(StreamWatchSettings(probe: "p", limits: limits, clock: clock, progressInterval: 0.1, progress: progress))
    }

    func feed(_ t: StreamTap, _ text: String, at time: Double, contentType: String) {
        Array(text.utf8).withUnsafeBytes { t.chunk($0, at: time, contentType: { contentType }) }
    }

    @Test("a plain chunked body: chunks timed and counted, no SSE names, the watchdog counts chunks")
    func plainBody() {
        let t = tap(.init(firstByteWithin: 1, maxGap: 0.4))
        t.begin(at: 10)
        feed(t, "abc", at: 10.1, contentType: "application/octet-stream")
        feed(t, "defg", at: 10.2, contentType: "application/octet-stream")
        feed(t, "event: x\n\n", at: 10.5, contentType: "application/octet-stream")
        #expect(t.record.chunks == 3 && t.record.bytes == 17)
        #expect(t.record.events.isEmpty && !t.record.isEventStream)
        #expect(t.record.chunkArrivalsMs.map { ($0 * 1000).rounded() / 1000 } == [100, 200, 500])
        #expect(abs((t.record.longestGapMs ?? 0) - 300) < 1e-6)
        #expect(abs((t.record.firstByteMs ?? 0) - 100) < 1e-6)
        guard case .waiting(let deadline?) = t.check(at: 10.85) else { Issue.record("expected to wait"); return }
        #expect(abs(deadline - 10.9) < 1e-9, "0.4 s after the last chunk")
        guard case .fired = t.check(at: 10.95) else { Issue.record("expected a fire"); return }
        #expect(t.record.fire?.message == "no data for 0.4 s after 3 events, 17 B")
        #expect(abs(t.record.durationMs - 950) < 1e-6)
        #expect(t.record.fire?.at == clock.now().addingTimeInterval(0.95), "wall time of the fire")
    }

    @Test("an event stream: names with arrival times, events split across chunks counted once")
    func eventStream() {
        let t = tap(.init(finishWithin: 5))
        t.begin(at: 0)
        feed(t, "event: agent_started\ndata: {}\n\nevent: agent_th", at: 0.05, contentType: "text/event-stream; charset=utf-8")
        feed(t, "inking\ndata: {}\n", at: 0.10, contentType: "ignored after the first chunk")
        feed(t, "\ndata: no name\n\n", at: 0.15, contentType: "")
        t.finished(at: 0.2)
        #expect(t.record.isEventStream)
        #expect(t.record.events.map(\.type) == ["agent_started", "agent_thinking", "message"])
        #expect(t.record.events.map { ($0.atMs * 1000).rounded() / 1000 } == [50, 150, 150])
        #expect(t.record.eventCount == 3 && t.record.fire == nil)
        #expect(abs(t.record.durationMs - 200) < 1e-6)
        #expect(t.check(at: 100) == .waiting(deadline: nil))
    }

    @Test("progress: forced at the start and at the first byte, then at most every 100 ms")
    func throttled() {
        let seen = Locked<[StreamProgress]>([])
        let t = tap(.init(firstByteWithin: 1, maxGap: 1, finishWithin: 10)) { p in seen.withLock { $0.append(p) } }
        t.begin(at: 0)
        // A chunk every 30 ms for 1 s.
        for i in 1...33 { feed(t, "x", at: Double(i) * 0.03, contentType: "text/plain") }
        let progress = seen.withLock { $0 }
        #expect(progress.count >= 2 + 8 && progress.count <= 2 + 10, "\(progress.count)")
        #expect(progress[0].firstByteAt == nil && progress[0].bytes == 0)
        #expect(progress[0].startedAt == clock.now())
        #expect(progress[1].firstByteAt == clock.now().addingTimeInterval(0.03) && progress[1].bytes == 1)
        #expect(progress.last?.lastDataAt != nil && progress.last!.bytes <= 33)
        #expect(progress.allSatisfy { $0.finishWithinMs == 10_000 && $0.maxGapMs == 1000 && $0.firstByteWithinMs == 1000 })
    }

    @Test("a held-back update is flushed by the poll loop when its turn comes, not lost when data stops")
    func trailingFlush() {
        let seen = Locked<[StreamProgress]>([])
        let t = tap(.init(maxGap: 1)) { p in seen.withLock { $0.append(p) } }
        t.begin(at: 0)
        feed(t, "event: a\ndata: 1\n\n", at: 0.03, contentType: "text/event-stream")
        feed(t, "event: b\ndata: 2\n\n", at: 0.06, contentType: "text/event-stream")  // throttled
        #expect(seen.withLock { $0.map(\.events) } == [0, 1])
        // The loop is told to come back at the flush time (0.13), well before the gap limit (1.06).
        guard case .waiting(let at?) = t.check(at: 0.07) else { Issue.record("expected to wait"); return }
        #expect(abs(at - 0.13) < 1e-9)
        _ = t.check(at: 0.131)
        #expect(seen.withLock { $0.map(\.events) } == [0, 1, 2])
        guard case .waiting(let next?) = t.check(at: 0.2) else { Issue.record("expected to wait"); return }
        #expect(abs(next - 1.06) < 1e-9, "nothing pending: back to the watchdog's deadline")
    }
}
