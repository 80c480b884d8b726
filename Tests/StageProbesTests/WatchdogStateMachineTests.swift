import Foundation
import StageModel
import Testing
@testable import StageProbes

/// The watchdog as a pure state machine, driven by a ManualClock: no sleeping, exact times.
@Suite("StreamWatchdog: limits fire on time, not before")
struct WatchdogStateMachineTests {
    let clock = ManualClock()

    func watchdog(firstByte: Double? = nil, maxGap: Double? = nil, finish: Double? = nil) -> StreamWatchdog {
        StreamWatchdog(limits: .init(firstByteWithin: firstByte, maxGap: maxGap, finishWithin: finish), startedAt: clock.now())
    }

    func at(_ seconds: Double) -> Date { clock.now().addingTimeInterval(seconds) }

    func fire(_ d: StreamWatchdog.Decision) -> StreamWatchdog.Fire? {
        if case .fired(let f) = d { return f }
        return nil
    }

    @Test("first_byte_within fires just after its limit with \"no first byte within 5.0 s\"")
    func firstByte() {
        var w = watchdog(firstByte: 5, maxGap: 10, finish: 60)
        #expect(w.deadlineDate == at(5))
        #expect(w.check(at: at(4.999)) == .waiting(deadline: at(5).timeIntervalSinceReferenceDate))
        #expect(fire(w.check(at: at(5))) == nil, "exactly at the limit is still in time")
        let f = try! #require(fire(w.check(at: at(5.2))))
        #expect(f.limit == .firstByte)
        #expect(abs(f.lateBy - 0.2) < 1e-6)
        let record = f.record(probe: "chat_stream", at: at(5.2))
        #expect(record.message == "no first byte within 5.0 s")
        #expect(abs(record.lateByMs - 200) < 1e-3)
        #expect(record.events == 0 && record.bytes == 0)
    }

    @Test("max_gap counts from the last chunk: \"no data for 10.0 s after 3 events, 412 B\"")
    func maxGap() {
        var w = watchdog(firstByte: 5, maxGap: 10, finish: 60)
        w.data(bytes: 100, events: 1, at: at(1))
        w.data(bytes: 200, events: 2, at: at(2))
        w.data(bytes: 112, events: 3, at: at(3))
        #expect(w.deadlineDate == at(13))
        #expect(fire(w.check(at: at(12.99))) == nil)
        let f = try! #require(fire(w.check(at: at(13.01))))
        #expect(f.limit == .maxGap)
        #expect(f.record(probe: "p", at: at(13.01)).message == "no data for 10.0 s after 3 events, 412 B")
    }

    @Test("data resets the gap; the first byte ends first_byte_within")
    func dataResetsGap() {
        var w = watchdog(firstByte: 5, maxGap: 10)
        w.data(bytes: 10, events: 1, at: at(4))
        #expect(w.deadlineDate == at(14))
        w.data(bytes: 10, events: 2, at: at(13))
        #expect(w.deadlineDate == at(23))
        #expect(fire(w.check(at: at(22))) == nil)
        #expect(fire(w.check(at: at(23.5)))?.limit == .maxGap)
    }

    @Test("finish_within fires even while data keeps coming, and reports progress so far")
    func finish() {
        var w = watchdog(firstByte: 5, maxGap: 10, finish: 60)
        var events = 0
        for t in stride(from: 1.0, through: 59.0, by: 2.0) {
            events += 1
            #expect(fire(w.data(bytes: 50, events: events, at: at(t))) == nil)
        }
        #expect(w.deadlineDate == at(60), "finish (60) is due before the gap (59 + 10)")
        #expect(fire(w.check(at: at(59.9))) == nil)
        let f = try! #require(fire(w.check(at: at(60.05))))
        #expect(f.limit == .finish)
        #expect(f.record(probe: "p", at: at(60.05)).message == "not finished within 60.0 s (30 events, 1500 B)")
    }

    @Test("a stream that finishes in time never fires, however long one waits afterwards")
    func finishedInTime() {
        var w = watchdog(firstByte: 5, maxGap: 10, finish: 60)
        w.data(bytes: 10, events: 1, at: at(1))
        #expect(w.finished(at: at(2)) == .waiting(deadline: nil))
        #expect(w.deadline == nil)
        #expect(w.check(at: at(1000)) == .waiting(deadline: nil))
        #expect(w.fire == nil)
    }

    @Test("data that arrives after a deadline does not rescue the stream; a fired watchdog stays fired")
    func lateDataStillFires() {
        var w = watchdog(firstByte: 5)
        let f = try! #require(fire(w.data(bytes: 10, events: 1, at: at(6))))
        #expect(f.limit == .firstByte && f.bytes == 0)
        #expect(fire(w.data(bytes: 10, events: 2, at: at(7))) == f)
        #expect(fire(w.finished(at: at(8))) == f)
        #expect(w.deadline == nil)
    }

    @Test("without first_byte_within, max_gap also bounds the wait for the first byte")
    func gapBoundsFirstByte() {
        var w = watchdog(maxGap: 2)
        #expect(w.deadlineDate == at(2))
        let f = try! #require(fire(w.check(at: at(2.01))))
        #expect(f.limit == .maxGap)
        #expect(f.record(probe: "p", at: at(2.01)).message == "no data for 2.0 s after 0 events, 0 B")
    }

    @Test("no limits: nothing to wait for")
    func noLimits() {
        var w = watchdog()
        #expect(w.deadline == nil)
        #expect(w.check(at: at(1e6)) == .waiting(deadline: nil))
    }

    @Test("when two limits fall due, the earlier one is reported")
    func earliestWins() {
        var w = watchdog(firstByte: 5, finish: 3)
        #expect(w.deadlineDate == at(3))
        #expect(fire(w.check(at: at(10)))?.limit == .finish)
    }

    @Test("a ManualClock drives it like the curl thread does: check at each deadline")
    func drivenByManualClock() {
        let clock = ManualClock()
        var w = StreamWatchdog(limits: .init(firstByteWithin: 0.5, maxGap: 0.3), startedAt: clock.now())
        clock.advance(by: 0.2)
        w.data(bytes: 40, events: 1, at: clock.now())
        clock.advance(by: 0.1)
        w.data(bytes: 40, events: 2, at: clock.now())
        var fired: StreamWatchdog.Fire?
        var steps = 0
        // Advance to each announced deadline plus a millisecond, as a poll timeout would.
        while fired == nil, let d = w.deadlineDate, steps < 10 {
            clock.set(d.addingTimeInterval(0.001))
            fired = fire(w.check(at: clock.now()))
            steps += 1
        }
        #expect(steps == 1)
        #expect(fired?.record(probe: "p", at: clock.now()).message == "no data for 0.3 s after 2 events, 80 B")
    }
}
