import Foundation
import StageModel
import StageReports

/// How long `stagetop replay` takes to open a 1-hour recording: read + parse every line + build the
/// player + the first snapshot. Writes a synthetic recording of the P1 shape (25 probes every 10 s for
/// an hour, with closes) to a temp file first. Goal (issue 6): under a second.
enum ReplayBench {
    static func run(_ o: Options) throws {
        let probes = o.int("probes", 25), hours = o.double("hours", 1), interval = o.double("interval", 10)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-replay-bench.jsonl").path
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let header = RecordingHeader(config: "bench", target: "127.0.0.1", insecure: false, startedAt: t0,
                                     probes: (0..<probes).map { .init(name: "probe_\($0)", group: "g\($0 % 5)", kind: .http, target: "GET /p/\($0)", enabled: true) })
        let writer = try RecordingWriter(path: path, header: header)
        var store = header.makeStore()
        let cycles = Int(hours * 3600 / interval)
        for c in 0..<cycles {
            for p in 0..<probes {
                let at = t0.addingTimeInterval(Double(c) * interval + Double(p) * 0.1)
                let fail = (c / 30 + p) % 11 == 0
                let r = ProbeResult(probe: "probe_\(p)", kind: .http, verdict: fail ? .fail : .pass, failureClass: fail ? .route : nil,
                                    message: fail ? "404 Not Found" : "200 OK", status: fail ? 404 : 200, latencyMs: 80 + Double((c * 7 + p) % 13),
                                    timings: Timings(dns: 0.1, connect: 0.5, tls: 0, ttfb: 79, total: 80),
                                    conditions: [ConditionResult(expr: "[STATUS] == 200", ok: !fail, actual: fail ? "404" : "200")],
                                    startedAt: at, finishedAt: at)
                let e = ProbeEvent.finished(r)
                writer.record(e)
                if let closed = store.apply(e) { writer.cycleClosed(closed.number, at: closed.finishedAt) }
            }
        }
        writer.close()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var best = Double.infinity, bestParse = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let rec = try Recording.read(path: path)
            bestParse = min(bestParse, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            var player = ReplayPlayer(rec)
            player.seek(toCycle: player.totalCycles)  // the end: every event applied once
            _ = player.snapshot()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        print(String(format: "replay open, %.0f h recording: %d probes × %d cycles = %d results, %.1f MB", hours, probes, cycles, probes * cycles, Double(size) / 1e6))
        print(String(format: "  read + parse + seek to end + snapshot: best of 5 %.0f ms (read + parse alone %.0f ms)", best, bestParse))
        try? FileManager.default.removeItem(atPath: path)
    }
}
