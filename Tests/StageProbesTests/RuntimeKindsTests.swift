import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

@Suite("ProbeRuntime: every probe kind has its own runner")
struct RuntimeKindsTests {
    @Test("one probe of every kind runs through its runner against the sim: none is refused as unsupported")
    func everyKindRuns() async throws {
        try await withSim { sim, engine in
            let ws = WebSocketEngine()
            let probes: [ProbeSpec] = ProbeKind.allCases.map { kind in
                switch kind {
                case .http: httpProbe("http", path: "/health")
                case .stream: streamProbe("stream", path: "/api/chat/stream", method: "POST", firstByte: 2)
                case .burst: ProbeSpec(name: "burst", body: .burst(BurstProbeSpec(path: "/health", requests: 2, within: .s(0))))
                case .websocket: ProbeSpec(name: "websocket", body: .websocket(WebSocketProbeSpec(path: "/ws", auth: .subprotocol)))
                case .journey:
                    ProbeSpec(name: "journey", body: .journey(JourneyProbeSpec(steps: [
                        JourneyStep(name: "health", body: .http(HTTPProbeSpec(path: "/health"))),
                        JourneyStep(name: "ws", body: .websocket(WebSocketProbeSpec(path: "/ws", auth: .subprotocol))),
                    ])))
                }
            }
            let config = StageConfig(name: "t", target: TargetConfig(baseURL: sim.baseURL, wsURL: sim.wsURL),
                                     auth: AuthConfig(token: Secret(sim.devToken)), probes: probes)
            let runtime = ProbeRuntime.make(config: config, engine: engine, webSockets: ws)
            var results: [ProbeResult] = []
            for p in probes { results.append(await runtime.runners.run(p)) }
            await runtime.runners.websocket.stopHolding()
            await ws.shutdown()
            #expect(results.map(\.kind) == ProbeKind.allCases)
            #expect(results.allSatisfy { $0.failureClass != .config }, "\(results.map { "\($0.probe): \($0.message)" })")
            #expect(results.allSatisfy { $0.verdict == .pass }, "\(results.map { "\($0.probe) \($0.verdict): \($0.message)" })")
        }
    }

    @Test("a kind runner handed another kind's spec answers an internal error, not a guess")
    func mismatchedKind() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let runner = HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: "http://127.0.0.1:9"), token: nil)
        let r = await runner.run(ProbeSpec(name: "s", body: .stream(StreamProbeSpec(path: "/s"))))
        #expect(r.verdict == .error && r.kind == .stream)
        #expect(r.message.contains("internal"))
    }
}
