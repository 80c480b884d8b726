import Foundation
import Testing
import StageModel
@testable import StageReports

/// The agent's `/metrics`: the recording fixture's events counted live (a 307 then fixed, a 1011 then
/// fixed, a stream that hung), with a location on every series.
@Suite struct LiveMetricsReportTests {
    var text: String {
        var store = RecordingTests.header.makeStore()
        var counters = LiveCounters(probes: RecordingTests.header.probes.map(\.name))
        let login = ProbeEvent.login(LoginState(phase: .failed, message: "401", at: RecordingTests.t0))
        for e in RecordingTests.events + [login] { store.apply(e); counters.apply(e) }
        let facts = AgentFacts(version: "9.9", location: "east", startedAt: RecordingTests.t0, alertFailures: ["ops-hook": 2],
                               lastReload: (ok: false, at: RecordingTests.t0.addingTimeInterval(5)))
        return LiveMetricsReport.render(store.snapshot(at: RecordingTests.t0.addingTimeInterval(30)), counters: counters, facts: facts,
                                        at: RecordingTests.t0.addingTimeInterval(30))
    }

    func samples(_ name: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(name + "{") }.map { String($0.dropFirst(name.count)) }
    }

    static let health = #"location="east",config="netra-staging",probe="backend_health",group="health",kind="http""#

    @Test("runs are counted by verdict, every verdict's series present from zero")
    func runs() {
        let health = samples("stagetop_probe_runs_total").filter { $0.contains(#"probe="backend_health""#) }
        #expect(health == ["pass", "fail", "hang", "error", "skip"].map { v in "{\(Self.health),verdict=\"\(v)\"} \(v == "pass" || v == "fail" ? 1 : 0)" })
    }

    @Test("the histogram's buckets are cumulative: 81.2 ms and 84.2 ms land at le=0.1 and stay counted above it")
    func histogram() {
        let buckets = samples("stagetop_probe_duration_seconds_bucket").filter { $0.contains(#"probe="backend_health""#) }
        #expect(buckets.contains("{\(Self.health),le=\"0.05\"} 0"))
        #expect(buckets.contains("{\(Self.health),le=\"0.1\"} 2"))
        #expect(buckets.contains("{\(Self.health),le=\"60\"} 2"))
        #expect(buckets.contains("{\(Self.health),le=\"+Inf\"} 2"))
        #expect(buckets.count == LiveCounters.bucketBounds.count + 1)
        #expect(samples("stagetop_probe_duration_seconds_count").contains("{\(Self.health)} 2"))
        let sum = samples("stagetop_probe_duration_seconds_sum").first { $0.contains(#"probe="backend_health""#) }
        #expect(sum.flatMap { Double($0.split(separator: " ").last!) }.map { abs($0 - 0.1654) < 1e-9 } == true)
        // A hang has no latency: it is counted as a run, not observed in the histogram.
        #expect(samples("stagetop_probe_duration_seconds_count").contains(#"{location="east",config="netra-staging",probe="chat_stream",group="streams",kind="stream"} 1"#))
    }

    @Test("stream hangs, login, alert failures, reload state and agent info")
    func agentFamilies() {
        #expect(samples("stagetop_stream_hangs_total") == [#"{location="east",config="netra-staging",probe="chat_stream",group="streams",kind="stream"} 1"#])
        #expect(samples("stagetop_login_attempts_total").contains(#"{location="east",config="netra-staging",result="failed"} 1"#))
        #expect(samples("stagetop_login_up") == [#"{location="east",config="netra-staging"} 0"#])
        #expect(samples("stagetop_alert_failures_total") == [#"{location="east",alert="ops-hook"} 2"#])
        #expect(samples("stagetop_config_reload_success") == [#"{location="east"} 0"#])
        #expect(samples("stagetop_agent_info") == [#"{version="9.9",location="east"} 1"#])
        #expect(text.contains("# TYPE stagetop_probe_duration_seconds histogram"))
    }

    @Test("every family's HELP and TYPE appear once, before its samples (promtool would refuse a repeat)")
    func familiesOnce() {
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(Set(types).count == types.count)
    }

    @Test("a reload keeps the counts of probes still configured and drops the removed ones")
    func retain() {
        var c = LiveCounters(probes: ["a", "b"])
        c.apply(.finished(RecordingTests.result("a", .http, .pass, nil, "ok", at: 1, ms: 5)))
        c.retain(probes: ["a", "c"])
        #expect(c.runs("a", .pass) == 1)
        #expect(c.runs("c", .pass) == 0)
        #expect(c.probes["b"] == nil)
    }

    @Test("the series cache: a scrape after new results is exactly what an uncached render writes, for changed and unchanged probes")
    func cacheAgreesWithAFreshRender() {
        var store = RecordingTests.header.makeStore()
        var counters = LiveCounters(probes: RecordingTests.header.probes.map(\.name))
        let facts = AgentFacts(version: "9.9", location: "east", startedAt: RecordingTests.t0)
        let cache = MetricsCache()
        let events = RecordingTests.events
        var scrapes = 0
        for (i, e) in events.enumerated() {
            store.apply(e); counters.apply(e)
            guard i % 2 == 1 || i == events.count - 1 else { continue }
            let at = RecordingTests.t0.addingTimeInterval(Double(30 + i))
            let snapshot = store.snapshot(at: at)
            let cached = String(decoding: LiveMetricsReport.bytes(snapshot, counters: counters, facts: facts, at: at, cache: cache), as: UTF8.self)
            let fresh = LiveMetricsReport.render(snapshot, counters: counters, facts: facts, at: at)
            #expect(cached == fresh, "scrape after event \(i)")
            scrapes += 1
        }
        #expect(scrapes >= 3)
    }
}
