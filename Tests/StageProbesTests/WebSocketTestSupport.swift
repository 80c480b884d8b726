import Foundation
import StageTestSupport
import StageModel
import StageProbes
import StageSim
import Testing

/// A fresh simulated staging and WebSocket engine for one test; both stopped afterwards, and everything
/// bounded by `timeout`.
func withWSSim<T: Sendable>(_ faults: WSFaults? = nil, timeout: Double = 20, limits: WebSocketLimits = .default,
                            _ body: @escaping @Sendable (SimServer, WebSocketEngine) async throws -> T) async throws -> T {
    let sim = try await SimServer.start(scenario: "healthy")
    if let faults { sim.setWSFaults(faults) }
    let engine = WebSocketEngine(threads: 1, limits: limits)
    do {
        let r = try await withTimeout(timeout) { try await body(sim, engine) }
        await engine.shutdown()
        await sim.stop()
        return r
    } catch {
        await engine.shutdown()
        await sim.stop()
        throw error
    }
}

/// The same with the hostile raw server instead of the sim.
func withRawServer<T: Sendable>(timeout: Double = 10, limits: WebSocketLimits = .default,
                                _ behavior: @escaping @Sendable (RawConnection) -> Void,
                                _ body: @escaping @Sendable (RawServer, WebSocketEngine) async throws -> T) async throws -> T {
    let server = RawServer(behavior)
    let engine = WebSocketEngine(threads: 1, limits: limits)
    do {
        let r = try await withTimeout(timeout) { try await body(server, engine) }
        await engine.shutdown()
        server.stop()
        return r
    } catch {
        await engine.shutdown()
        server.stop()
        throw error
    }
}

func wsTarget(_ wsURL: String) -> TargetConfig {
    TargetConfig(baseURL: wsURL.replacingOccurrences(of: "ws://", with: "http://").replacingOccurrences(of: "/ws", with: ""),
                 wsURL: wsURL, headers: [("X-Client", "stagetop")])
}

func expect(_ pairs: [(String, JSONValue)], within: Double? = nil) -> WSStep {
    .expect(match: pairs.map { (key: $0.0, value: $0.1) }, within: within.map { .s($0) })
}

func expectType(_ type: String, within: Double? = nil) -> WSStep { expect([("type", .string(type))], within: within) }

let welcomeStep = expect([("type", .string("system_message")), ("data.event", .string("connection_established"))], within: 5)
let sendChat = WSStep.send(.object(["type": .string("user_message"), "payload": .object(["content": .string("status?")])]))

/// A chat flow as the staging reports tested it: welcome, one user message, the agent's five events.
func chatFlowSteps(completedWithin: Double = 5) -> [WSStep] {
    [welcomeStep, sendChat, expectType("agent_started", within: 5), expectType("agent_thinking"),
     expectType("tool_executing"), expectType("tool_completed"), expectType("agent_completed", within: completedWithin)]
}

func wsProbe(_ name: String = "ws_probe", path: String = "/ws", auth: WSAuthMode = .subprotocol, hold: Bool = false,
             ping: Double = 15, concurrency: Int = 1, steps: [WSStep] = [welcomeStep], conditions: [String] = [],
             timeout: Double = 5) -> ProbeSpec {
    ProbeSpec(name: name, body: .websocket(WebSocketProbeSpec(path: path, auth: auth, hold: hold, pingInterval: .s(ping),
                                                              concurrency: concurrency, steps: steps)),
              conditions: conditions.map(cond), timeout: .s(timeout))
}

/// Every probe event a runner emitted, and a bounded wait for one that matches.
final class WSEventLog: Sendable {
    private let all = EventBox()
    private let stream: AsyncStream<ProbeEvent>
    private let continuation: AsyncStream<ProbeEvent>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream(of: ProbeEvent.self) }

    var sink: @Sendable (ProbeEvent) -> Void {
        { [all, continuation] e in
            all.append(e)
            continuation.yield(e)
        }
    }

    var events: [ProbeEvent] { all.values }

    var closes: [CloseRecord] {
        events.compactMap { if case .closed(let c) = $0 { c } else { nil } }
    }

    var connections: [WebSocketInfo] {
        events.compactMap { if case .connection(_, let i) = $0 { i } else { nil } }
    }

    /// Waits for the next event (from now on) that satisfies `match`; throws `TimedOut` after `seconds`.
    func next<T: Sendable>(within seconds: Double, _ match: @escaping @Sendable (ProbeEvent) -> T?) async throws -> T {
        let stream = self.stream
        return try await withTimeout(seconds) {
            for await e in stream { if let t = match(e) { return t } }
            throw TimedOut(seconds: seconds)
        }
    }
}

final class EventBox: Sendable {
    private let events = Locked<[ProbeEvent]>([])
    func append(_ e: ProbeEvent) { events.withLock { $0.append(e) } }
    var values: [ProbeEvent] { events.withLock { $0 } }
}

/// Every string a result carries, for token hygiene checks.
func allText(_ r: ProbeResult) -> String {
    var parts = [r.message, r.closeReason ?? ""]
    parts += r.conditions.map { "\($0.expr) \($0.actual)" }
    parts += r.events.map(\.type)
    if let ws = r.websocket {
        parts += [ws.url, ws.subprotocol ?? ""] + ws.handshakeHeaders.map { "\($0.name): \($0.value)" }
    }
    if let resp = r.response { parts += [resp.bodyText] + resp.headers.map { "\($0.name): \($0.value)" } }
    return parts.joined(separator: "\n")
}

func allText(_ e: ProbeEvent) -> String {
    switch e {
    case .closed(let c): c.reason
    case .connection(_, let i): [i.url, i.subprotocol ?? ""].joined(separator: " ") + i.handshakeHeaders.map(\.value).joined()
    case .finished(let r): allText(r)
    default: ""
    }
}

/// Spellings of a token a leak could take.
func tokenForms(_ token: String) -> [String] {
    let b64 = Data(token.utf8).base64EncodedString()
    let url = b64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    return [token, b64, url]
}
