import Foundation
import Testing

@testable import StageSim

/// Bounds are loose on purpose: these check the delay is applied and random within its range, not how
/// fast this machine is. A sleep never ends early, so lower bounds are exact; upper bounds are generous.
@Suite("delay and jitter faults")
struct LatencyTests {
    @Test func report004AgentStatusLatencyIsAroundItsMean() async throws {
        try await withSim(scenario: "ws-1011-streams-hang") { sim in
            var samples: [Double] = []
            for _ in 0..<8 {
                let reply = try await sim.get("/api/agents/status", token: sim.devToken)
                #expect(reply.status == 200)
                samples.append(reply.elapsedMs)
            }
            #expect(samples.allSatisfy { $0 >= 75 }, "\(samples)")
            #expect(samples.allSatisfy { $0 < 1_000 }, "\(samples)")
            let mean = samples.reduce(0, +) / Double(samples.count)
            #expect(mean >= 75 && mean < 500, "mean \(mean) of \(samples)")
        }
    }

    @Test func jitterVariesTheDelay() {
        let state = SimState(scenario: Scenario(name: "t", summary: "", faults: ["/x": .delay(ms: 10, jitterMs: 20)]))
        let delays = (0..<50).map { _ in state.latencyMs(for: "/x") }
        #expect(delays.allSatisfy { (10...30).contains($0) })
        #expect(Set(delays).count > 1)
        // Routes without their own delay get the scenario's small base latency.
        #expect((0..<50).map { _ in state.latencyMs(for: "/y") }.allSatisfy { (2...5).contains($0) })
    }

    @Test func overrideDelayAppliesToOneRouteOnly() async throws {
        try await withSim { sim in
            sim.setFault(.delay(ms: 60), for: "/health")
            let slow = try await sim.get("/health")
            #expect(slow.status == 200)
            #expect(slow.elapsedMs >= 60)
            let fast = try await sim.get("/api/health")
            #expect(fast.elapsedMs < 1_000)
        }
    }

    @Test func delaysDoNotBlockOtherRequests() async throws {
        try await withSim { sim in
            sim.setFault(.delay(ms: 2_000), for: "/health")
            async let slow = sim.send("GET", "/health", timeoutSeconds: 10)
            // While /health sleeps, another route answers at once.
            let fast = try await sim.get("/api/health")
            #expect(fast.status == 200)
            #expect(fast.elapsedMs < 1_500)
            let slowReply = try await slow
            #expect(slowReply.elapsedMs >= 2_000)
        }
    }
}
