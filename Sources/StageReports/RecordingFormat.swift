import Foundation
import StageModel

/// The probes a recording covers, so a replay can build the same table without the config.
public struct RecordingHeader: Sendable, Equatable {
    public struct Probe: Sendable, Equatable, Codable {
        public var name: String
        public var group: String
        public var kind: ProbeKind
        public var target: String
        public var enabled: Bool
    }
    public var version: Int
    public var config: String
    public var target: String
    public var insecure: Bool
    public var startedAt: Date
    public var probes: [Probe]

    public init(version: Int = RecordingCodec.version, config: String, target: String, insecure: Bool, startedAt: Date, probes: [Probe]) {
        self.version = version; self.config = config; self.target = target; self.insecure = insecure
        self.startedAt = startedAt; self.probes = probes
    }

    /// The header of a store, so `check --record` and `watch --record` write the same thing.
    public init(snapshot: Snapshot) {
        self.init(config: snapshot.configName, target: snapshot.targetHost, insecure: snapshot.insecure, startedAt: snapshot.startedAt,
                  probes: snapshot.probes.map { Probe(name: $0.name, group: $0.group, kind: $0.kind, target: $0.target, enabled: $0.enabled) })
    }

    /// An empty store for replaying into.
    public func makeStore() -> Store {
        Store(configName: config, targetHost: target, insecure: insecure, startedAt: startedAt,
              probes: probes.map { ProbeState(name: $0.name, group: $0.group, kind: $0.kind, target: $0.target, enabled: $0.enabled) })
    }
}

/// One line of a recording.
public enum RecordEntry: Sendable {
    case header(RecordingHeader)
    case event(ProbeEvent)
    /// A cycle closed: replay seeks by these.
    case cycle(number: Int, at: Date)
}

/// JSON lines: one object per line with a `type`. Tokens are never written: results carry no request
/// headers, response bodies are not recorded, and response headers that carry secrets are dropped.
public enum RecordingCodec {
    public static let version = 1

    struct Line: Codable {
        var type: String
        var version: Int?
        var config: String?
        var target: String?
        var insecure: Bool?
        var probes: [RecordingHeader.Probe]?
        var at: Date?
        var number: Int?
        var message: String?
        var result: ResultDTO?
        var close: CloseDTO?
        var probe: String?
        var websocket: WebSocketDTO?
        var login: LoginDTO?
    }

    struct ResultDTO: Codable {
        var probe: String
        var kind: ProbeKind
        var verdict: Verdict
        var failureClass: FailureClass?
        var message: String
        var status: Int?
        var closeCode: Int?
        var closeReason: String?
        var latencyMs: Double?
        var timings: Timings?
        var conditions: [ConditionResult]
        var events: [TimedEvent]
        var statuses: [String: Int]?
        var responseStatus: Int?
        var responseHeaders: [[String]]?
        var responseBytes: Int?
        var websocket: WebSocketDTO?
        var stream: StreamDTO?
        var startedAt: Date
        var finishedAt: Date
    }

    struct WebSocketDTO: Codable {
        var url: String
        var handshakeStatus: Int?
        var subprotocol: String?
        var connected: Int
        var attempted: Int
        var slowestHandshakeMs: Double?
        var connectedSince: Date?
        var lastPingRttMs: Double?
        var reconnects: Int
    }

    struct StreamDTO: Codable {
        var firstByteMs: Double?
        var chunks: Int
        var bytes: Int
        var events: [String]
        var longestGapMs: Double?
        var watchdog: WatchdogDTO?
    }

    struct WatchdogDTO: Codable {
        var limit: WatchdogLimit
        var limitMs: Double
        var at: Date
        var lateByMs: Double
        var events: Int
        var bytes: Int
    }

    struct CloseDTO: Codable {
        var probe: String
        var code: Int
        var reason: String
        var byServer: Bool
    }

    struct LoginDTO: Codable {
        var phase: String
        var message: String
        var status: Int?
        var expiresAt: Date?
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(timestamp(date))
        }
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = parseTimestamp(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad timestamp \(s)")
            }
            return date
        }
        return d
    }()

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    static func parseTimestamp(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }

    /// One JSON line (no newline), or nil for events a recording does not keep (live stream progress,
    /// run starts: both are re-derived or meaningless on replay).
    public static func encode(_ entry: RecordEntry) -> String? {
        let line: Line
        switch entry {
        case .header(let h):
            line = Line(type: "header", version: h.version, config: h.config, target: h.target, insecure: h.insecure, probes: h.probes, at: h.startedAt)
        case .cycle(let n, let at):
            line = Line(type: "cycle", at: at, number: n)
        case .event(let e):
            switch e {
            case .finished(let r): line = Line(type: "result", at: r.finishedAt, result: dto(r))
            case .note(let m, let at): line = Line(type: "note", at: at, message: m)
            case .closed(let c):
                line = Line(type: "close", at: c.at, close: CloseDTO(probe: c.probe, code: c.code, reason: c.reason, byServer: c.byServer))
            case .connection(let probe, let info): line = Line(type: "connection", probe: probe, websocket: dto(info))
            case .login(let l):
                line = Line(type: "login", at: l.at, login: LoginDTO(phase: l.phase.rawValue, message: l.message, status: l.status, expiresAt: l.expiresAt))
            case .started, .streamProgress: return nil
            }
        }
        guard let data = try? encoder.encode(line) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func decode(_ text: String) throws -> RecordEntry {
        let line: Line
        do { line = try decoder.decode(Line.self, from: Data(text.utf8)) } catch {
            throw DecodeError(description: "not a recording line (\(error.localizedDescription))")
        }
        func need<T>(_ v: T?, _ what: String) throws -> T {
            guard let v else { throw DecodeError(description: "\(line.type) line without \(what)") }
            return v
        }
        switch line.type {
        case "header":
            return .header(RecordingHeader(version: try need(line.version, "version"), config: line.config ?? "", target: line.target ?? "",
                                           insecure: line.insecure ?? false, startedAt: try need(line.at, "at"), probes: line.probes ?? []))
        case "cycle": return .cycle(number: try need(line.number, "number"), at: try need(line.at, "at"))
        case "result": return .event(.finished(result(try need(line.result, "result"))))
        case "note": return .event(.note(line.message ?? "", at: try need(line.at, "at")))
        case "close":
            let c = try need(line.close, "close")
            return .event(.closed(CloseRecord(at: try need(line.at, "at"), probe: c.probe, code: c.code, reason: c.reason, byServer: c.byServer)))
        case "connection": return .event(.connection(probe: try need(line.probe, "probe"), info: info(try need(line.websocket, "websocket"))))
        case "login":
            let l = try need(line.login, "login")
            return .event(.login(LoginState(phase: LoginState.Phase(rawValue: l.phase) ?? .failed, message: l.message, status: l.status,
                                            at: try need(line.at, "at"), expiresAt: l.expiresAt)))
        default: throw DecodeError(description: "unknown line type '\(line.type)'")
        }
    }

    static func dto(_ r: ProbeResult) -> ResultDTO {
        ResultDTO(probe: r.probe, kind: r.kind, verdict: r.verdict, failureClass: r.failureClass, message: r.message, status: r.status,
                  closeCode: r.closeCode, closeReason: r.closeReason, latencyMs: r.latencyMs, timings: r.timings,
                  conditions: r.conditions, events: r.events,
                  statuses: r.statuses.isEmpty ? nil : Dictionary(uniqueKeysWithValues: r.statuses.map { (String($0.key), $0.value) }),
                  responseStatus: r.response?.status,
                  responseHeaders: r.response?.headers.filter { !RequestRepro.isSecretHeader($0.name) }.map { [$0.name, $0.value] },
                  responseBytes: r.response?.bodyBytes,
                  websocket: r.websocket.map(dto), stream: r.stream.map { s in
                      StreamDTO(firstByteMs: s.firstByteMs, chunks: s.chunks, bytes: s.bytes, events: s.events, longestGapMs: s.longestGapMs,
                                watchdog: s.watchdog.map { WatchdogDTO(limit: $0.limit, limitMs: $0.limitMs, at: $0.at, lateByMs: $0.lateByMs, events: $0.events, bytes: $0.bytes) })
                  },
                  startedAt: r.startedAt, finishedAt: r.finishedAt)
    }

    static func dto(_ w: WebSocketInfo) -> WebSocketDTO {
        WebSocketDTO(url: w.url, handshakeStatus: w.handshakeStatus, subprotocol: w.subprotocol, connected: w.connected, attempted: w.attempted,
                     slowestHandshakeMs: w.slowestHandshakeMs, connectedSince: w.connectedSince, lastPingRttMs: w.lastPingRTTMs, reconnects: w.reconnects)
    }

    static func info(_ w: WebSocketDTO) -> WebSocketInfo {
        WebSocketInfo(url: w.url, handshakeStatus: w.handshakeStatus, subprotocol: w.subprotocol, connected: w.connected, attempted: w.attempted,
                      slowestHandshakeMs: w.slowestHandshakeMs, connectedSince: w.connectedSince, lastPingRTTMs: w.lastPingRttMs, reconnects: w.reconnects)
    }

    static func result(_ d: ResultDTO) -> ProbeResult {
        var statuses: [Int: Int] = [:]
        for (k, v) in d.statuses ?? [:] { if let code = Int(k) { statuses[code] = v } }
        let response = d.responseStatus.map { status in
            ResponseCapture(status: status, headers: (d.responseHeaders ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                            body: [], bodyBytes: d.responseBytes ?? 0, truncated: (d.responseBytes ?? 0) > 0)
        }
        let stream = d.stream.map { s in
            StreamInfo(firstByteMs: s.firstByteMs, chunks: s.chunks, bytes: s.bytes, events: s.events, longestGapMs: s.longestGapMs,
                       watchdog: s.watchdog.map { WatchdogFire(probe: d.probe, limit: $0.limit, limitMs: $0.limitMs, at: $0.at, lateByMs: $0.lateByMs, events: $0.events, bytes: $0.bytes) })
        }
        return ProbeResult(probe: d.probe, kind: d.kind, verdict: d.verdict, failureClass: d.failureClass, message: d.message, status: d.status,
                           closeCode: d.closeCode, closeReason: d.closeReason, latencyMs: d.latencyMs, timings: d.timings,
                           conditions: d.conditions, events: d.events, response: response, statuses: statuses,
                           websocket: d.websocket.map(info), stream: stream, startedAt: d.startedAt, finishedAt: d.finishedAt)
    }
}
