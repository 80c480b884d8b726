import Foundation
import StageProbes
import StageSim
import Synchronization

/// K workers each keep one request in flight for a fixed time over kept-alive connections.
enum ThroughputBench {
    static func run(_ o: Options) async throws {
        let concurrency = o.int("concurrency", 32)
        let seconds = o.double("seconds", 5)
        let server = try await BenchTarget.resolve(o, prepare: { s in
            s.disableRateLimit()  // the sim's /api/health token bucket would answer 429 to a benchmark
            s.setFault(.delay(ms: 0, jitterMs: 0), for: "/api/health")  // no simulated latency: measure the client
        }, url: { $0.baseURL + "/api/health" })
        let url = server.url
        let engine = CurlEngine(maxCachedConnections: concurrency * 2)
        // Warm-up: open the connections once so the timed window measures steady state.
        await withTaskGroup(of: Void.self) { g in
            for _ in 0..<concurrency { g.addTask { _ = await engine.perform(HTTPRequest(url: url)) } }
        }

        let counts = Tally()
        let start = ContinuousClock.now
        let deadline = start.advanced(by: .milliseconds(Int(seconds * 1000)))
        await withTaskGroup(of: Void.self) { g in
            for _ in 0..<concurrency {
                g.addTask {
                    while ContinuousClock.now < deadline {
                        let r = await engine.perform(HTTPRequest(url: url, timeout: 10))
                        if case .success(let resp) = r, resp.status == 200 { counts.add(ok: 1) } else { counts.add(failed: 1) }
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        engine.shutdown()
        await server.stop()

        let c = counts.value
        print("CurlEngine throughput: \(concurrency) in flight for \(String(format: "%.2f", secs)) s against \(url)")
        print("  completed \(c.ok) ok, \(c.failed) failed")
        print("  requests/sec \(String(format: "%.1f", Double(c.ok) / secs))")
    }
}

/// Completion counts shared by the workers.
final class Tally: Sendable {
    private let counts = Mutex((ok: 0, failed: 0))
    func add(ok: Int = 0, failed: Int = 0) { counts.withLock { $0.ok += ok; $0.failed += failed } }
    var value: (ok: Int, failed: Int) { counts.withLock { $0 } }
}
