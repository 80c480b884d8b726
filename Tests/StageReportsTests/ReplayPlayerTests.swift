import Foundation
import Testing
import StageModel
@testable import StageReports

@Suite struct ReplayPlayerTests {
    func recording() throws -> Recording {
        var text = RecordingCodec.encode(.header(RecordingTests.header))! + "\n"
        var store = RecordingTests.header.makeStore()
        for e in RecordingTests.events {
            text += RecordingCodec.encode(.event(e))! + "\n"
            if let c = store.apply(e) { text += RecordingCodec.encode(.cycle(number: c.number, at: c.finishedAt))! + "\n" }
        }
        return try Recording.parse(Data(text.utf8))
    }

    @Test func playsOnAVirtualClockAtItsSpeed() throws {
        var p = ReplayPlayer(try recording(), speed: 1)
        #expect(p.totalCycles == 2)
        #expect(p.snapshot().probes.allSatisfy { $0.verdict == nil })
        p.advance(realElapsed: 1.0)   // t0+1: the 307
        #expect(p.snapshot().probe(named: "backend_health")?.last?.status == 307)
        #expect(p.snapshot().probe(named: "websocket_connection")?.verdict == nil)
        p.faster()
        #expect(p.speed == 2)
        p.advance(realElapsed: 1.0)   // +2 s → t0+3: cycle 1 closed
        #expect(p.currentCycle == 1)
        p.paused = true
        p.advance(realElapsed: 100)
        #expect(p.currentCycle == 1, "paused playback does not move")
        p.paused = false
        p.advance(realElapsed: 100)
        #expect(p.atEnd && p.paused)
        #expect(p.snapshot().probe(named: "chat_stream")?.verdict == .hang)
    }

    @Test func stepsAndSeeksByCycle() throws {
        var p = ReplayPlayer(try recording())
        p.stepForward()
        #expect(p.position == 1 && p.paused)
        p.nextCycle()
        #expect(p.currentCycle == 1)
        #expect(p.snapshot().probe(named: "backend_health")?.verdict == .fail)
        p.nextCycle()
        #expect(p.currentCycle == 2)
        #expect(p.snapshot().probe(named: "backend_health")?.verdict == .pass)
        p.previousCycle()
        #expect(p.currentCycle == 1)
        #expect(p.snapshot().probe(named: "backend_health")?.verdict == .fail, "state is rebuilt, not left over")
        p.stepBack()
        #expect(p.currentCycle == 0)
        p.seek(toCycle: 0)
        #expect(p.position == 0)
        #expect(p.snapshot().closes.isEmpty)
    }
}
