import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

@Suite("Held-open WebSocket probes: ping RTT, drops, reconnects")
struct WebSocketHoldTests {
    let fastBackoff = WebSocketHoldOptions(backoff: WebSocketBackoff(base: 0.05, cap: 0.5), seed: 7)

    func runner(_ sim: SimServer, _ engine: WebSocketEngine, _ log: WSEventLog, options: WebSocketHoldOptions? = nil) -> WebSocketProbeRunner {
        WebSocketProbeRunner(engine: engine, target: wsTarget(sim.wsURL), token: Secret(sim.devToken),
                             hold: options ?? fastBackoff, events: log.sink)
    }

    @Test("the first run waits for the connection's steps; later runs return the held state with RTT")
    func holdsAndPings() async throws {
        try await withWSSim { sim, engine in
            let log = WSEventLog()
            let run = runner(sim, engine, log)
            let spec = wsProbe("held", hold: true, ping: 0.1, steps: chatFlowSteps())
            let first = await run.run(spec)
            #expect(first.verdict == .pass, "\(first.message)")
            #expect(first.message.hasPrefix("7 steps ok in "))
            #expect(first.websocket?.connectedSince != nil)
            #expect(first.events.count >= 6)

            // A pong arrives within a couple of ping intervals and shows as a connection update.
            let rtt = try await log.next(within: 3) { e -> Double? in
                if case .connection(let p, let info) = e, p == "held" { return info.lastPingRTTMs }
                return nil
            }
            #expect(rtt >= 0 && rtt < 1000)
            let later = await run.run(spec)
            #expect(later.verdict == .pass)
            #expect(later.message.contains("; up "), "\(later.message)")
            #expect(later.websocket?.lastPingRTTMs != nil)
            #expect(run.holder(named: "held")?.isConnected == true)
            #expect(run.holder(named: "held")?.reconnects == 0)
            await run.stopHolding()
            #expect(log.closes.isEmpty, "stopping is not a server close")
        }
    }

    @Test("a server close is recorded with code, reason and time; the probe reconnects and passes again")
    func reconnectsAfterServerClose() async throws {
        try await withWSSim(WSFaults(closeAfterSeconds: 0.3)) { sim, engine in
            let log = WSEventLog()
            let run = runner(sim, engine, log, options: WebSocketHoldOptions(backoff: fastBackoff.backoff, seed: 7, pushResults: true))
            let spec = wsProbe("held", hold: true, ping: 5, steps: [welcomeStep])
            let first = await run.run(spec)
            #expect(first.verdict == .pass, "\(first.message)")

            let close = try await log.next(within: 5) { e -> CloseRecord? in
                if case .closed(let c) = e { return c }
                return nil
            }
            #expect(close.code == 1001 && close.reason == "going away" && close.byServer && close.probe == "held")
            // The drop shows as a failed state until the reconnection's steps pass.
            let drop = try await log.next(within: 5) { e -> ProbeResult? in
                if case .finished(let r) = e, r.verdict == .fail { return r }
                return nil
            }
            #expect(drop.failureClass == .wsClose && drop.closeCode == 1001)
            #expect(drop.message.hasPrefix("closed 1001 (going away): going away after "), "\(drop.message)")
            #expect(drop.message.hasSuffix("s connected; reconnecting"))

            let back = try await log.next(within: 5) { e -> ProbeResult? in
                if case .finished(let r) = e, r.verdict == .pass { return r }
                return nil
            }
            #expect(back.websocket?.reconnects == 1)
            let state = await run.run(spec)
            #expect(state.websocket?.reconnects ?? 0 >= 1)
            await run.stopHolding()
        }
    }

    @Test("a reconnect that is refused shows the refusal's class, and keeps trying with backoff")
    func refusedReconnect() async throws {
        try await withWSSim(WSFaults(closeAfterSeconds: 0.2)) { sim, engine in
            let log = WSEventLog()
            let run = runner(sim, engine, log, options: WebSocketHoldOptions(backoff: fastBackoff.backoff, seed: 1, pushResults: true))
            let spec = wsProbe("held", hold: true, steps: [welcomeStep])
            #expect(await run.run(spec).verdict == .pass)
            sim.setWSFaults(WSFaults(handshakeStatus: 403))
            let refused = try await log.next(within: 5) { e -> ProbeResult? in
                if case .finished(let r) = e, r.failureClass == .wsHandshake { return r }
                return nil
            }
            #expect(refused.status == 403)
            #expect(await run.run(spec).failureClass == .wsHandshake)
            sim.setWSFaults(WSFaults())
            let back = try await log.next(within: 5) { e -> ProbeResult? in
                if case .finished(let r) = e, r.verdict == .pass { return r }
                return nil
            }
            #expect(back.websocket?.reconnects == 1)
            await run.stopHolding()
        }
    }

    @Test("stopHolding ends the connection promptly and wakes nobody twice")
    func stopIsPrompt() async throws {
        try await withWSSim { sim, engine in
            let log = WSEventLog()
            let run = runner(sim, engine, log)
            _ = await run.run(wsProbe("a", hold: true))
            _ = await run.run(wsProbe("b", hold: true))
            let start = Date()
            await run.stopHolding()
            #expect(Date().timeIntervalSince(start) < 2)
            #expect(run.holder(named: "a") == nil)
        }
    }

    @Test("backoff: exponential from the base, capped, jittered in [d/2, d], reproducible with a seed")
    func backoff() {
        let b = WebSocketBackoff(base: 0.25, cap: 30)
        #expect(b.ceiling(attempt: 0) == 0.25)
        #expect(b.ceiling(attempt: 1) == 0.5)
        #expect(b.ceiling(attempt: 3) == 2)
        #expect(b.ceiling(attempt: 7) == 30)
        #expect(b.ceiling(attempt: 1000) == 30)
        var r1 = SplitMix64(seed: 42), r2 = SplitMix64(seed: 42)
        let a = (0..<10).map { b.delay(attempt: $0, using: &r1) }
        let c = (0..<10).map { b.delay(attempt: $0, using: &r2) }
        #expect(a == c)
        for (i, d) in a.enumerated() {
            let ceiling = b.ceiling(attempt: i)
            #expect(d >= ceiling / 2 && d <= ceiling)
        }
    }
}
