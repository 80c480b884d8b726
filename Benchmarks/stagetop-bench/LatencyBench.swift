import Foundation
import StageProbes
import StageSim

/// N sequential requests through CurlEngine; reports curl's TOTAL_TIME per request.
enum LatencyBench {
    static func run(_ o: Options) async throws {
        let n = o.int("n", 200)
        let fresh = o.flag("fresh")
        var sim: SimServer?
        let url: String
        if let u = o.string("url") {
            url = u
        } else {
            let s = try await SimServer.start(scenario: "healthy")
            s.disableRateLimit()  // the sim's /api/health token bucket would answer 429 to a benchmark
            s.setFault(.delay(ms: o.double("delay", 80), jitterMs: 0), for: "/api/health")
            sim = s
            url = s.baseURL + "/api/health"
        }
        let engine = CurlEngine()
        // One request first, outside the sample: it pays for the first connection in keep-alive mode.
        if !fresh { _ = await engine.perform(HTTPRequest(url: url)) }

        var totals: [Double] = []
        var ttfbs: [Double] = []
        for _ in 0..<n {
            switch await engine.perform(HTTPRequest(url: url, timeout: 30, reuseConnection: !fresh)) {
            case .success(let r):
                guard r.status == 200 else { throw BenchError("\(url) answered \(r.status)") }
                totals.append(r.timings.total)
                if let ttfb = r.timings.ttfb { ttfbs.append(ttfb) }
            case .failure(let f):
                throw BenchError("\(url): \(f)")
            }
        }
        engine.shutdown()
        await sim?.stop()

        if o.flag("raw") {
            print(totals.map(fmt).joined(separator: "\n"))
            return
        }
        let t = Summary(totals), b = Summary(ttfbs)
        print("CurlEngine \(fresh ? "fresh connection each" : "keep-alive"), \(n) sequential GET \(url)")
        print("  total  median \(fmt(t.median)) ms  p95 \(fmt(t.p95)) ms  mean \(fmt(t.mean)) ms  min \(fmt(t.min)) ms  max \(fmt(t.max)) ms")
        print("  ttfb   median \(fmt(b.median)) ms  p95 \(fmt(b.p95)) ms")
    }
}
