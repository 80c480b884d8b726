import Foundation
import Testing
@testable import StageModel

@Suite struct StoreLiveStateTests {
    let config = StageConfig(name: "t", target: TargetConfig(baseURL: "http://x"), probes: [
        ProbeSpec(name: "ws", body: .websocket(WebSocketProbeSpec(hold: true))),
        ProbeSpec(name: "stream", body: .stream(StreamProbeSpec(path: "/s", maxGap: .s(10)))),
    ])

    @Test func closesAreListedAndCountedPerCode() {
        let clock = ManualClock()
        let store = SharedStore(config: config, clock: clock)
        store.apply(.closed(CloseRecord(at: clock.now(), probe: "ws", code: 1011, reason: "Internal error")))
        store.apply(.closed(CloseRecord(at: clock.now(), probe: "ws", code: 1011, reason: "Internal error")))
        store.apply(.closed(CloseRecord(at: clock.now(), probe: "ws", code: 1008, reason: "Authentication failed")))
        let s = store.snapshot()
        #expect(s.closes.map(\.code) == [1011, 1011, 1008])
        #expect(s.closeCounts == [1011: 2, 1008: 1])
        #expect(s.log.last?.message == "closed 1008 (policy violation): Authentication failed")
        #expect(s.log.last?.closeCode == 1008, "marked, so the event pane can leave it to the close panel")
    }

    @Test func connectionInfoUpdatesWithoutAVerdict() {
        let clock = ManualClock()
        let store = SharedStore(config: config, clock: clock)
        store.apply(.connection(probe: "ws", info: WebSocketInfo(subprotocol: "jwt.x", connected: 1, connectedSince: clock.now(), lastPingRTTMs: 1.5, reconnects: 2)))
        let p = store.snapshot().probe(named: "ws")!
        #expect(p.connection?.reconnects == 2)
        #expect(p.connection?.lastPingRTTMs == 1.5)
        #expect(p.verdict == nil)
    }

    @Test func streamProgressEndsWithTheRunAndWatchdogsAreKept() {
        let clock = ManualClock()
        let store = SharedStore(config: config, clock: clock)
        let t0 = clock.now()
        store.apply(.streamProgress(StreamProgress(probe: "stream", startedAt: t0, firstByteAt: t0, lastDataAt: t0, events: 3, bytes: 412, maxGapMs: 10_000)))
        #expect(store.snapshot().activeStreams.map(\.probe) == ["stream"])
        clock.advance(by: 10)
        let fire = WatchdogFire(probe: "stream", limit: .maxGap, limitMs: 10_000, at: clock.now(), events: 3, bytes: 412)
        store.apply(.finished(ProbeResult(probe: "stream", kind: .stream, verdict: .hang, failureClass: .hang, message: fire.message,
                                          stream: StreamInfo(watchdog: fire), startedAt: t0, finishedAt: clock.now())))
        let s = store.snapshot()
        #expect(s.activeStreams.isEmpty)
        #expect(s.watchdogs.map(\.limit) == [.maxGap])
        #expect(fire.message == "no data for 10.0 s after 3 events, 412 B")
        #expect(s.summary.hung == 1)
    }

    @Test func loginFailureIsLoggedOnce() {
        let clock = ManualClock()
        let store = SharedStore(config: config, clock: clock)
        let failed = LoginState(phase: .failed, message: "401 Invalid E2E bypass key", status: 401, at: clock.now())
        store.apply(.login(failed))
        store.apply(.login(failed))
        let s = store.snapshot()
        #expect(s.login?.phase == .failed)
        #expect(s.log.filter { $0.message.contains("login failed") }.count == 1)
    }
}
