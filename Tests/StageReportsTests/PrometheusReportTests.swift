import Foundation
import Testing
import StageModel
@testable import StageReports

/// `check --prometheus`: the exposition text of the recording fixture's two cycles (a 307 then fixed,
/// a 1011 then fixed, a stream that hung in the second cycle).
@Suite struct PrometheusReportTests {
    var text: String {
        var store = RecordingTests.header.makeStore()
        for e in RecordingTests.events { store.apply(e) }
        return PrometheusReport.render(store.snapshot(at: RecordingTests.t0.addingTimeInterval(30)),
                                       finishedAt: RecordingTests.t0.addingTimeInterval(30.25))
    }

    /// Every sample line of `name`, as "labels value".
    func samples(_ name: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(name + "{") }.map { String($0.dropFirst(name.count)) }
    }

    @Test func aHangCountsAgainstThePassRatioAndIsNotUp() {
        #expect(samples("stagetop_probes").contains(#"{config="netra-staging",verdict="hang"} 1"#))
        #expect(samples("stagetop_probes").contains(#"{config="netra-staging",verdict="pass"} 2"#))
        // 2 of 3, the hang in the denominator: 0.666…, never 2/2.
        #expect(samples("stagetop_pass_ratio") == [#"{config="netra-staging"} 0.6666666666666666"#])
        #expect(samples("stagetop_probe_up").contains(#"{config="netra-staging",probe="chat_stream",group="streams",kind="stream"} 0"#))
        #expect(samples("stagetop_probe_up").contains(#"{config="netra-staging",probe="backend_health",group="health",kind="http"} 1"#))
        #expect(samples("stagetop_probe_verdict").contains(
            #"{config="netra-staging",probe="chat_stream",group="streams",kind="stream",verdict="hang",class="hang"} 1"#))
    }

    @Test func latencyIsInSecondsWithItsQuantilesAndClosesAreCountedByCode() {
        let health = samples("stagetop_probe_latency_seconds").filter { $0.contains(#"probe="backend_health""#) }
        #expect(health.contains(#"{config="netra-staging",probe="backend_health",group="health",kind="http",stat="last"} 0.0842"#))
        #expect(health.count == 5, "last, avg, p50, p95, p99: \(health)")
        #expect(samples("stagetop_probe_latency_samples").contains(#"{config="netra-staging",probe="backend_health",group="health",kind="http"} 2"#))
        #expect(samples("stagetop_websocket_closes_total") == [#"{config="netra-staging",code="1011"} 1"#])
        #expect(samples("stagetop_probe_http_status") == [#"{config="netra-staging",probe="backend_health",group="health",kind="http"} 200"#])
        #expect(samples("stagetop_cycles_completed") == [#"{config="netra-staging"} 2"#])
        #expect(samples("stagetop_last_run_timestamp_seconds") == [#"{config="netra-staging"} 1788000030.25"#])
    }

    /// The text format's rules a scraper rejects a file for: HELP and TYPE once per family, before its
    /// samples; no family split in two; every sample line "name{labels} value".
    @Test func everyFamilyIsDeclaredOnceBeforeItsSamples() {
        var declared: [String] = []
        var lastFamily = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let name = String(line.split(separator: " ")[2])
                #expect(!declared.contains(name), "\(name) declared twice")
                declared.append(name)
                lastFamily = name
            } else if !line.hasPrefix("#") {
                #expect(line.hasPrefix(lastFamily + "{"), "sample outside its family: \(line)")
                #expect(line.contains(/^[a-z_]+\{([a-z_]+="[^"]*",?)*\} -?[0-9.e+]+$/), "\(line)")
            }
        }
        #expect(declared.count == 11)
    }

    @Test func labelValuesAreEscaped() {
        #expect(Exposition.escape(#"a"b\c"# + "\nd") == #"a\"b\\c\nd"#)
        #expect(Exposition.format(3) == "3")
        #expect(Exposition.format(0.0842) == "0.0842")
        #expect(Exposition.format(.infinity) == "+Inf")
        #expect(Format.commonestStatus([200: 38, 429: 12]) == 200)
        #expect(Format.commonestStatus([429: 5, 200: 5]) == 200)
    }
}
