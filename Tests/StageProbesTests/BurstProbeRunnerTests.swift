import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

/// Bursts against the sim's `/api/health` token bucket (capacity 20, refilled 5/s) and its faults.
@Suite("BurstProbeRunner: status multisets, rate limits, and the 404 that is not a 429")
struct BurstProbeRunnerTests {
    func runner(_ sim: SimServer, _ engine: CurlEngine) -> BurstProbeRunner {
        BurstProbeRunner(engine: engine, target: TargetConfig(baseURL: sim.baseURL), token: Secret(sim.devToken))
    }

    @Test("50 within 1 s meet the limiter: both 200 and 429 counted, [STATUSES] contains 429 passes")
    func limiterSeen() async throws {
        try await withSim { sim, engine in
            sim.setRateLimit(capacity: 20, refillPerSecond: 5)
            let r = await runner(sim, engine).run(burstProbe("rate_limiting", requests: 50, within: 1,
                                                             conditions: ["[STATUSES] contains 429"]))
            #expect(r.verdict == .pass, "\(r.message)")
            #expect(r.kind == .burst && r.failureClass == nil && r.status == nil)
            let ok = r.statuses[200] ?? 0, limited = r.statuses[429] ?? 0
            #expect(ok >= 20 && limited >= 1 && ok + limited == 50, "\(r.statuses)")
            #expect(r.message == "\(ok)×200 \(limited)×429")
            #expect(r.conditions.first?.actual == "\(ok)×200 \(limited)×429", "the multiset, not 50 numbers")
            #expect(r.latencyMs != nil)
        }
    }

    @Test("without conditions a 429 fails rate_limit; all 2xx passes")
    func noConditions() async throws {
        try await withSim { sim, engine in
            sim.setRateLimit(capacity: 5, refillPerSecond: 0)
            var r = await runner(sim, engine).run(burstProbe(requests: 8, within: 0.2))
            #expect(r.verdict == .fail && r.failureClass == .rateLimit)
            #expect(r.message == "5×200 3×429; 3 rate limited (429) where 2xx was expected")
            sim.disableRateLimit()
            r = await runner(sim, engine).run(burstProbe(requests: 8, within: 0.2))
            #expect(r.verdict == .pass && r.message == "8×200")
        }
    }

    @Test("report 000: a 404 where 429 was expected is route, never a pass, however the conditions read")
    func notFoundIsRoute() async throws {
        try await withSim("ws-403-routes-404") { sim, engine in
            let r = await runner(sim, engine).run(burstProbe("rate_limiting", requests: 20, within: 0.2,
                                                             conditions: ["[STATUSES] contains 429"]))
            #expect(r.verdict == .fail && r.failureClass == .route)
            #expect(r.statuses == [404: 20])
            #expect(r.message == "20×404; 404 Not Found where 2xx or 429 was expected")
            // Even a condition that holds does not make a 404 a pass …
            let lenient = await runner(sim, engine).run(burstProbe(requests: 5, within: 0.1, conditions: ["len([STATUSES]) == 5"]))
            #expect(lenient.verdict == .fail && lenient.failureClass == .route)
            // … unless a passing condition names the status on purpose.
            let named = await runner(sim, engine).run(burstProbe(requests: 5, within: 0.1, conditions: ["[STATUSES] contains 404"]))
            #expect(named.verdict == .pass)
        }
    }

    @Test("a 5xx is server, with the server's detail; a limiter that never answers 429 fails the condition")
    func serverAndCondition() async throws {
        try await withSim { sim, engine in
            sim.setFault(.status(500, detail: "pool exhausted"), for: "/api/health")
            var r = await runner(sim, engine).run(burstProbe(requests: 6, within: 0.1, conditions: ["[STATUSES] contains 429"]))
            #expect(r.verdict == .fail && r.failureClass == .server)
            #expect(r.message == "6×500; 500 Internal Server Error where 2xx or 429 was expected (pool exhausted)")
            sim.setFault(nil, for: "/api/health")
            sim.disableRateLimit()
            r = await runner(sim, engine).run(burstProbe(requests: 6, within: 0.1, conditions: ["[STATUSES] contains 429"]))
            #expect(r.verdict == .fail && r.failureClass == .condition)
            #expect(r.message == "6×200; failed [STATUSES] contains 429")
        }
    }

    @Test("requests are spread over the window and ride kept-alive connections")
    func spreadAndReuse() async throws {
        try await withSim { sim, engine in
            sim.disableRateLimit()
            let run = runner(sim, engine)
            let started = ContinuousClock.now
            let tally = await run.send(HTTPRequest(url: sim.baseURL + "/api/health"), count: 10, over: 1)
            let elapsed = ContinuousClock.now - started
            #expect(tally.statuses == [200: 10])
            #expect(elapsed >= .milliseconds(900), "the last request starts 9/10 of the window in")
            // 100 ms apart, each done in a few ms: one connection, kept alive. A loaded machine may
            // overlap a few; one connection each would be 10.
            #expect(tally.newConnections <= 4, "\(tally.newConnections) connections for 10 requests")
        }
    }

    @Test("no response at all: the transport's class, counted in the message")
    func refused() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let r = await BurstProbeRunner(engine: engine, target: TargetConfig(baseURL: "http://127.0.0.1:\(closedPort())"), token: nil)
            .run(burstProbe(requests: 3, within: 0))
        #expect(r.verdict == .fail && r.failureClass == .network)
        #expect(r.message == "3×no response (connection refused)")
    }
}
