import Foundation
import Testing
import StageModel
@testable import StageReports

/// The agent's state document read back is the snapshot the agent has: what `watch --attach` shows.
@Suite struct StateDocumentTests {
    @Test("round trip: verdicts, messages, latency figures, history, runs, log, closes and location survive")
    func roundTrip() throws {
        var store = RecordingTests.header.makeStore()
        for e in RecordingTests.events { store.apply(e) }
        let before = store.snapshot(at: RecordingTests.t0.addingTimeInterval(30))
        let text = StateDocument.encode(before, location: "east")
        let after = try StateDocument.decode(Data(text.utf8))
        #expect(after.location == "east")
        let s = after.snapshot
        #expect(s.configName == before.configName)
        #expect(s.completedCycles == before.completedCycles)
        #expect(s.summary == before.summary)
        for (a, b) in zip(s.probes, before.probes) {
            #expect(a.name == b.name && a.group == b.group && a.kind == b.kind && a.target == b.target)
            #expect(a.verdict == b.verdict)
            #expect(a.last?.message == b.last?.message)
            #expect(a.last?.failureClass == b.last?.failureClass)
            #expect(a.stats == b.stats, "the agent's percentiles, not recomputed")
            #expect(a.history == b.history)
            #expect(a.runs == b.runs)
        }
        #expect(s.log == before.log)
        #expect(s.closes == before.closes)
        #expect(s.closeCounts == before.closeCounts)
    }

    @Test("not a state document, or a newer one, is an error that says so")
    func errors() {
        #expect(throws: StateDocument.DecodeError.self) { try StateDocument.decode(Data("{}".utf8)) }
        #expect(throws: StateDocument.DecodeError.self) { try StateDocument.decode(Data("<html>".utf8)) }
    }
}
