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

        public init(name: String, group: String, kind: ProbeKind, target: String, enabled: Bool) {
            self.name = name; self.group = group; self.kind = kind; self.target = target; self.enabled = enabled
        }
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
        var websocket: WebSocketRecording.DTO?
        var login: LoginDTO?
    }

    /// A result line's `result`. The fields after `finishedAt` belong to kinds (`Kinds/*/…Recording.swift`
    /// fills and reads them); a kind leaves the others out.
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
        var startedAt: Date
        var finishedAt: Date
        var statuses: [String: Int]? = nil
        var responseStatus: Int? = nil
        var responseHeaders: [[String]]? = nil
        var responseBytes: Int? = nil
        var websocket: WebSocketRecording.DTO? = nil
        var stream: StreamRecording.DTO? = nil
        var queueMs: Double? = nil
        var certificateHost: String? = nil
        var certificateNotAfter: Date? = nil
        var journey: [JourneyRecording.StepDTO]? = nil
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

    /// Parses a recording's timestamp as `LineEncoder` writes it ("2026-11-21T10:40:00.123Z", `JSONBytes.date`),
    /// and the same without fractional seconds; nil for anything else. Hand-rolled: a replay parses one per
    /// line, and a formatter per call made opening a 1-hour recording take seconds.
    static func parseTimestamp(_ s: String) -> Date? {
        let u = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= u.count else { return nil }
            var v = 0
            for c in u[from..<from + len] { guard c >= 48, c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            return v
        }
        guard u.count >= 20, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u.last == 90,
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let se = num(17, 2) else { return nil }
        var frac = 0.0
        if u.count > 20 {
            guard u[19] == 46 else { return nil }
            let digits = u.count - 21
            // At most nanoseconds: 19 or more digits can overflow `num`'s Int, a crash on replay (Fuzz/FuzzRecording).
            guard digits > 0, digits <= 9, let f = num(20, digits) else { return nil }
            frac = Double(f) / pow(10, Double(digits))
        }
        var parts = tm()
        parts.tm_year = Int32(y - 1900); parts.tm_mon = Int32(mo - 1); parts.tm_mday = Int32(d)
        parts.tm_hour = Int32(h); parts.tm_min = Int32(mi); parts.tm_sec = Int32(se)
        return Date(timeIntervalSince1970: Double(timegm(&parts)) + frac)
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
            case .connection(let probe, let info): line = Line(type: "connection", probe: probe, websocket: WebSocketRecording.dto(info))
            case .login(let l):
                line = Line(type: "login", at: l.at, login: LoginDTO(phase: l.phase.rawValue, message: l.message, status: l.status, expiresAt: l.expiresAt))
            // Progress within a run: the result that ends it is what is kept.
            case .started, .streamProgress, .journeyStep: return nil
            }
        }
        guard let bytes = try? LineEncoder.encode(line) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A live event for the agent's event stream: the recording's line, and run starts too (a dashboard
    /// attached to an agent shows a probe running). Stream progress stays out: it is per chunk.
    public static func encodeLive(_ event: ProbeEvent) -> (type: String, line: String)? {
        if case .started(let probe, let at) = event {
            guard let bytes = try? LineEncoder.encode(Line(type: "started", at: at, probe: probe)) else { return nil }
            return ("started", String(decoding: bytes, as: UTF8.self))
        }
        guard let line = encode(.event(event)) else { return nil }
        return (typeName(event), line)
    }

    static func typeName(_ event: ProbeEvent) -> String {
        switch event {
        case .finished: "result"
        case .note: "note"
        case .closed: "close"
        case .connection: "connection"
        case .login: "login"
        case .started: "started"
        case .streamProgress: "stream_progress"
        case .journeyStep: "journey_step"
        }
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
        case "started": return .event(.started(probe: try need(line.probe, "probe"), at: try need(line.at, "at")))
        case "close":
            let c = try need(line.close, "close")
            return .event(.closed(CloseRecord(at: try need(line.at, "at"), probe: c.probe, code: c.code, reason: c.reason, byServer: c.byServer)))
        case "connection": return .event(.connection(probe: try need(line.probe, "probe"), info: WebSocketRecording.info(try need(line.websocket, "websocket"))))
        case "login":
            let l = try need(line.login, "login")
            return .event(.login(LoginState(phase: LoginState.Phase(rawValue: l.phase) ?? .failed, message: l.message, status: l.status,
                                            at: try need(line.at, "at"), expiresAt: l.expiresAt)))
        default: throw DecodeError(description: "unknown line type '\(line.type)'")
        }
    }

    static func dto(_ r: ProbeResult) -> ResultDTO {
        var d = ResultDTO(probe: r.probe, kind: r.kind, verdict: r.verdict, failureClass: r.failureClass, message: r.message, status: r.status,
                          closeCode: r.closeCode, closeReason: r.closeReason, latencyMs: r.latencyMs, timings: r.timings,
                          conditions: r.conditions, events: r.events, startedAt: r.startedAt, finishedAt: r.finishedAt)
        d.queueMs = r.queueMs
        d.certificateHost = r.certificate?.host
        d.certificateNotAfter = r.certificate?.notAfter
        KindRecording.encode(r, into: &d)
        return d
    }

    static func result(_ d: ResultDTO) -> ProbeResult {
        var r = ProbeResult(probe: d.probe, kind: d.kind, verdict: d.verdict, failureClass: d.failureClass, message: d.message, status: d.status,
                            closeCode: d.closeCode, closeReason: d.closeReason, latencyMs: d.latencyMs, timings: d.timings,
                            conditions: d.conditions, events: d.events, startedAt: d.startedAt, finishedAt: d.finishedAt)
        r.queueMs = d.queueMs
        if let host = d.certificateHost, let notAfter = d.certificateNotAfter { r.certificate = CertificateExpiry(host: host, notAfter: notAfter) }
        KindRecording.decode(d, into: &r)
        return r
    }
}
