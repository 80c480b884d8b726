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

    @Test("written by hand, the document is valid JSON: escapes, control characters, non-finite figures, dates to the ms")
    func validJSON() throws {
        let at = Date(timeIntervalSince1970: 1_788_000_000.1234)
        let result = ProbeResult(probe: "p", kind: .http, verdict: .fail, failureClass: .server,
                                 message: "quote \" slash \\ tab \t bell \u{07} é ✓", status: 500, latencyMs: 12.5, startedAt: at, finishedAt: at)
        var withCert = result
        withCert.certificate = CertificateExpiry(host: "api.example.com", notAfter: at.addingTimeInterval(86_400))
        var probe = ProbeState(name: "p\"1", group: "g", kind: .http, target: "GET /", last: withCert,
                               stats: LatencySummary(last: .infinity, avg: .nan, p50: 1.25, samples: 3),
                               history: [HistoryPoint(at: at, verdict: .fail, latencyMs: 12.5), HistoryPoint(at: at.addingTimeInterval(-86_400 * 400), verdict: .pass, latencyMs: nil)],
                               runs: 3)
        probe.certificate = withCert.certificate
        let before = Snapshot(configName: "c\n", targetHost: "h", startedAt: at, takenAt: at, probes: [probe],
                              log: [LogEntry(at: at, message: "line\nbreak")], closeCounts: [1011: 2, 1000: 1])
        let text = StateDocument.encode(before, location: nil)
        _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(text.contains("\"2026-08-29T10:40:00.123Z\""), "dates as the recording writes them")
        let after = try StateDocument.decode(Data(text.utf8)).snapshot
        #expect(after.configName == "c\n")
        #expect(after.probes[0].name == "p\"1")
        #expect(after.probes[0].last?.message == result.message)
        #expect(after.probes[0].stats == LatencySummary(p50: 1.25, samples: 3), "NaN and infinity are left out, not a broken document")
        #expect(after.probes[0].history.map(\.verdict) == [.fail, .pass])
        #expect(after.probes[0].history[1].at.timeIntervalSince1970 == (at.addingTimeInterval(-86_400 * 400).timeIntervalSince1970 * 1000).rounded() / 1000)
        #expect(after.log[0].message == "line\nbreak")
        #expect(after.probes[0].certificate?.host == "api.example.com", "the header's certificate warning crosses to watch --attach")
        #expect(after.probes[0].last?.certificate?.notAfter.timeIntervalSince1970 == ((at.timeIntervalSince1970 + 86_400) * 1000).rounded() / 1000)
        #expect(after.closeCounts == [1011: 2, 1000: 1])
    }

    @Test("the agent's cache: a probe's new result replaces the cached one; probes gone from the config leave it")
    func cacheFollowsResults() throws {
        let cache = StateDocumentCache()
        let t = Date(timeIntervalSince1970: 1_788_000_000)
        func snapshot(_ message: String, runs: Int, at: Date, probes: [String] = ["a", "b"]) -> Snapshot {
            Snapshot(configName: "c", targetHost: "h", startedAt: t, takenAt: at, probes: probes.map { name in
                ProbeState(name: name, group: "g", kind: .http, target: "GET /",
                           last: ProbeResult(probe: name, kind: .http, verdict: .pass, message: "\(name) \(message)", startedAt: at, finishedAt: at), runs: runs)
            })
        }
        let first = try StateDocument.decode(Data(StateDocument.encode(snapshot("one", runs: 1, at: t), location: nil, cache: cache).utf8)).snapshot
        #expect(first.probes.map { $0.last?.message } == ["a one", "b one"])
        let second = try StateDocument.decode(Data(StateDocument.encode(snapshot("two", runs: 2, at: t.addingTimeInterval(1)), location: nil, cache: cache).utf8)).snapshot
        #expect(second.probes.map { $0.last?.message } == ["a two", "b two"])
        _ = StateDocument.encode(snapshot("three", runs: 3, at: t.addingTimeInterval(2), probes: ["a"]), location: nil, cache: cache)
        #expect(cache.lock.withLock { Array($0.parts.keys) } == ["a"])
    }

    @Test("not a state document, or a newer one, is an error that says so")
    func errors() {
        #expect(throws: StateDocument.DecodeError.self) { try StateDocument.decode(Data("{}".utf8)) }
        #expect(throws: StateDocument.DecodeError.self) { try StateDocument.decode(Data("<html>".utf8)) }
    }
}
