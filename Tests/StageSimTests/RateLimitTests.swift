import Foundation
import Testing

@testable import StageSim

@Suite("the /api/health token bucket")
struct RateLimitTests {
    @Test func aBurstOfFiftySeesBoth200And429() async throws {
        try await withSim { sim in
            let port = sim.port
            let started = ContinuousClock.now
            let replies = try await withThrowingTaskGroup(of: HTTPReply.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await RawHTTP.send("GET", port: port, path: "/api/health") }
                }
                return try await group.reduce(into: [HTTPReply]()) { $0.append($1) }
            }
            let ok = replies.filter { $0.status == 200 }
            let limited = replies.filter { $0.status == 429 }
            #expect(ok.count + limited.count == 50)
            // 20 in the bucket, plus whatever refilled (5/s) while the burst ran.
            let elapsed = started.duration(to: .now)
            let refilled = Int((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 5) + 1
            #expect(ok.count >= 20 && ok.count <= 20 + refilled, "\(ok.count) answered 200 in \(elapsed)")
            #expect(!limited.isEmpty)
            let refused = try #require(limited.first)
            #expect(refused.header("Retry-After").flatMap(Int.init).map { $0 >= 1 } == true)
            #expect(refused.json()?["detail"] as? String == "Rate limit exceeded")
            #expect(refused.header("X-RateLimit-Limit") == "20")
            #expect(ok.first?.header("X-RateLimit-Limit") == "20")
            // Other routes are not limited.
            #expect(try await sim.get("/health").status == 200)
        }
    }

    @Test func aProbeEveryFewSecondsNeverTripsIt() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(now: start)
        // Spend the whole budget at once…
        for _ in 0..<20 { #expect(bucket.take(now: start).isAllowed) }
        #expect(bucket.take(now: start) == .limited(retryAfterSeconds: 1))
        // …then one request every 2 s for ten minutes: always allowed.
        for step in 1...300 {
            let decision = bucket.take(now: start.advanced(by: .seconds(2 * step)))
            #expect(decision.isAllowed, "request \(step)")
        }
    }

    @Test func fiftyInTwoSecondsPassesAboutThirty() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(now: start)
        let allowed = (0..<50).filter { index in
            bucket.take(now: start.advanced(by: .milliseconds(index * 40))).isAllowed  // evenly over 2 s
        }
        // 20 from the bucket plus ~10 refilled over 2 s.
        #expect((28...31).contains(allowed.count), "\(allowed.count)")
    }

    @Test func retryAfterCoversTheWaitForOneToken() {
        let start = ContinuousClock.now
        var slow = TokenBucket(capacity: 1, refillPerSecond: 0.25, now: start)
        #expect(slow.take(now: start) == .allowed(remaining: 0))
        #expect(slow.take(now: start) == .limited(retryAfterSeconds: 4))
        var never = TokenBucket(capacity: 0, refillPerSecond: 0, now: start)
        #expect(never.take(now: start) == .limited(retryAfterSeconds: 60))
    }

    @Test func setRateLimitChangesAndResetsTheBucketAndDisableTurnsItOff() async throws {
        try await withSim { sim async throws in
            sim.setRateLimit(capacity: 2, refillPerSecond: 0)
            #expect(try await sim.get("/api/health").status == 200)
            #expect(try await sim.get("/api/health/").status == 200)  // same route, same budget
            #expect(try await sim.get("/api/health").status == 429)

            sim.setRateLimit(capacity: 1, refillPerSecond: 0)  // a fresh, full bucket
            #expect(try await sim.get("/api/health").status == 200)
            #expect(try await sim.get("/api/health").status == 429)

            sim.disableRateLimit()
            for _ in 0..<30 { #expect(try await sim.get("/api/health").status == 200) }
        }
    }

    @Test func theControlEndpointSetsDisablesAndRestoresIt() async throws {
        try await withSim { sim in
            let put = try await sim.send("PUT", "/__sim/ratelimit", body: #"{"capacity":1,"refill_per_second":0}"#)
            #expect(put.status == 200)
            let limit = put.json()?["rate_limit"] as? [String: Any]
            #expect(limit?["capacity"] as? Int == 1)
            #expect(try await sim.get("/api/health").status == 200)
            #expect(try await sim.get("/api/health").status == 429)

            #expect(try await sim.send("PUT", "/__sim/ratelimit", body: #"{"enabled":false}"#).status == 200)
            #expect(try await sim.get("/__sim/state").json()?["rate_limit"] is NSNull)
            #expect(try await sim.get("/api/health").status == 200)

            let restored = try await sim.send("DELETE", "/__sim/ratelimit")
            #expect((restored.json()?["rate_limit"] as? [String: Any])?["capacity"] as? Int == 20)
            #expect((restored.json()?["rate_limit"] as? [String: Any])?["refill_per_second"] as? Double == 5)

            #expect(try await sim.send("PUT", "/__sim/ratelimit", body: #"{"capacity":-1}"#).status == 400)
            #expect(try await sim.send("PUT", "/__sim/ratelimit", body: "nope").status == 400)
        }
    }

    @Test func aScenario404OnHealthWinsOverTheLimiter() async throws {
        try await withSim(scenario: "ws-403-routes-404") { sim async throws in
            sim.setRateLimit(capacity: 1, refillPerSecond: 0)
            for _ in 0..<5 { #expect(try await sim.get("/api/health").status == 404) }
        }
    }
}

extension TokenBucket.Decision {
    var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
