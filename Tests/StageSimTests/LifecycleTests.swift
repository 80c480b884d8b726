import Foundation
import Testing

@testable import StageSim

@Suite("starting, binding and stopping")
struct LifecycleTests {
    @Test func portZeroGivesARealPort() async throws {
        let first = try await SimServer.start()
        let second = try await SimServer.start()
        #expect(first.port > 0 && first.port <= 65_535)
        #expect(first.port != second.port)
        #expect(first.baseURL == "http://127.0.0.1:\(first.port)")
        #expect(first.wsURL == "ws://127.0.0.1:\(first.port)/ws")
        #expect(try await first.get("/health").status == 200)
        await first.stop()
        await second.stop()
    }

    @Test func refusesNonLoopbackHosts() async throws {
        for host in ["0.0.0.0", "10.0.0.1", "192.168.1.1", "localhost", "::", "127.0.0", "128.0.0.1"] {
            await #expect(throws: SimError.nonLoopbackHost(host)) {
                _ = try await SimServer.start(host: host)
            }
        }
        let other = try await SimServer.start(host: "127.0.0.2")
        #expect(other.baseURL == "http://127.0.0.2:\(other.port)")
        await other.stop()
    }

    @Test func refusesBadPortsAndUnknownScenarios() async throws {
        await #expect(throws: SimError.invalidPort(70_000)) { _ = try await SimServer.start(port: 70_000) }
        await #expect(throws: SimError.unknownScenario("nope", known: Scenarios.names)) {
            _ = try await SimServer.start(scenario: "nope")
        }
    }

    @Test func portInUseFailsTheStart() async throws {
        let first = try await SimServer.start()
        await #expect(throws: (any Error).self) { _ = try await SimServer.start(port: first.port) }
        await first.stop()
    }

    @Test func stopIsPromptWithATenSecondDelayInFlight() async throws {
        let sim = try await SimServer.start()
        sim.setFault(.delay(ms: 10_000), for: "/api/health")
        let port = sim.port
        let inFlight = Task { try await RawHTTP.send("GET", port: port, path: "/api/health", timeoutSeconds: 15) }

        // Wait (by asking the server, not by sleeping) until the request is parked in its delay.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        var parked = false
        while !parked, ContinuousClock.now < deadline {
            parked = try await sim.get("/__sim/state").json()?["in_flight"] as? Int == 1
        }
        #expect(parked)

        let stopped = await completes(within: 3) { await sim.stop() }
        #expect(stopped, "stop() waited for the simulated delay")

        // The parked request ends promptly too: answered 503, or its connection closed.
        let ended = await completes(within: 3) { _ = try? await inFlight.value }
        #expect(ended)
        if let reply = try? await inFlight.value {
            #expect(reply.status == 503)
            #expect(reply.elapsedMs < 5_000)
        }
    }

    @Test func stoppedServerRefusesConnectionsAndStopIsIdempotent() async throws {
        let sim = try await SimServer.start()
        let port = sim.port
        await sim.stop()
        await sim.stop()
        await sim.waitUntilStopped()
        await #expect(throws: (any Error).self) {
            _ = try await RawHTTP.send("GET", port: port, path: "/health", timeoutSeconds: 2)
        }
    }

    @Test func devTokenIsLongLived() async throws {
        try await withSim { sim in
            let claims = try SimToken.validate(sim.devToken).get()
            #expect(claims.sub == "staging-e2e-user-003")
            #expect(claims.exp - claims.iat >= 7 * 24 * 3600)
        }
    }
}
