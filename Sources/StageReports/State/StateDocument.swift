import Foundation
import StageModel

/// The agent's whole dashboard state as one JSON document (`GET /api/v1/state`), for `watch --attach`:
/// every probe as the agent's store holds it (last result, latency figures, history, runs), the event
/// log, closes and login. The dashboard on the other end shows exactly what the agent knows — its
/// percentiles, not ones recomputed from what the client happened to see. Result fields are the
/// recording's (`RecordingCodec.ResultDTO`), so secrets are left out the same way.
public enum StateDocument {
    public static let version = 1

    struct Doc: Codable {
        var version: Int
        var config: String
        var target: String
        var insecure: Bool
        var location: String?
        var startedAt: Date
        var takenAt: Date
        var completedCycles: Int
        var cycleInProgress: Int
        var paused: Bool
        var probes: [Probe]
        var log: [Log]
        var logTotal: Int
        var closes: [Close]
        var closeCounts: [String: Int]
        var login: RecordingCodec.LoginDTO?
    }

    struct Probe: Codable {
        var name: String
        var group: String
        var kind: ProbeKind
        var target: String
        var enabled: Bool
        var last: RecordingCodec.ResultDTO?
        var stats: LatencySummary
        var history: [History]
        var verdictSince: Date?
        var runningSince: Date?
        var runs: Int
        var connection: WebSocketRecording.DTO?
        var certificateHost: String?
        var certificateNotAfter: Date?
    }

    struct History: Codable { var at: Date; var verdict: Verdict; var latencyMs: Double? }
    struct Log: Codable {
        var at: Date; var probe: String?; var from: Verdict?; var to: Verdict?; var failureClass: FailureClass?
        var message: String; var closeCode: Int?
    }
    struct Close: Codable { var at: Date; var probe: String; var code: Int; var reason: String; var byServer: Bool }

    /// The document as text (tests, small states). The agent serves `withBytes`.
    public static func encode(_ s: Snapshot, location: String?, cache: StateDocumentCache = StateDocumentCache()) -> String {
        withBytes(s, location: location, cache: cache) { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes the document into the cache's buffer (kept between reads when small) and hands
    /// `body` the bytes, valid only during the call; one encode at a time per cache. Written by hand, not by
    /// `JSONEncoder`: at 1,000 probes with full histories that took 2.3 s a read and left ~90 MB with the
    /// allocator (`stagetop-bench state-doc`). Field names are the `Doc` types' in snake case, so `decode`
    /// (still `Codable`) reads it; results and connections, which change only with a run, are encoded by
    /// the recording's encoder once and reused from the cache.
    public static func withBytes<T>(_ s: Snapshot, location: String?, cache: StateDocumentCache = StateDocumentCache(),
                                    _ body: (UnsafeRawBufferPointer) -> T) -> T {
        cache.lock.withLock { state in
            var w = JSONBytes(reusing: &state.buffer)
            write(s, location: location, parts: &state.parts, into: &w)
            let bytes = w.release()
            // A small document's buffer is kept for the next read; a large one (over 1 MB: hundreds of
            // probes with full histories) is let go, so its pages return to the system between reads
            // instead of staying resident and growing with the histories (the soak's RSS, README).
            defer { if bytes.count <= 1 << 20 { state.buffer = bytes } }
            return bytes.withUnsafeBytes(body)
        }
    }

    static func write(_ s: Snapshot, location: String?, parts: inout [String: StateDocumentCache.Parts], into w: inout JSONBytes) {
        var kept: [String: StateDocumentCache.Parts] = [:]
        kept.reserveCapacity(s.probes.count)
        w.beginObject()
        w.key("version"); w.int(version)
        w.key("config"); w.string(s.configName)
        w.key("target"); w.string(s.targetHost)
        w.key("insecure"); w.bool(s.insecure)
        w.field("location", location)
        w.key("started_at"); w.date(s.startedAt)
        w.key("taken_at"); w.date(s.takenAt)
        w.key("completed_cycles"); w.int(s.completedCycles)
        w.key("cycle_in_progress"); w.int(s.cycleInProgress)
        w.key("paused"); w.bool(s.paused)
        w.key("probes"); w.beginArray()
        for p in s.probes {
            var part = parts[p.name] ?? StateDocumentCache.Parts()
            w.beginObject()
            w.key("name"); w.string(p.name)
            w.key("group"); w.string(p.group)
            w.key("kind"); w.string(p.kind.rawValue)
            w.key("target"); w.string(p.target)
            w.key("enabled"); w.bool(p.enabled)
            if let last = p.last {
                let key = StateDocumentCache.ResultKey(runs: p.runs, finishedAt: last.finishedAt, startedAt: last.startedAt)
                if part.resultKey != key || part.result == nil {
                    part.resultKey = key
                    part.result = try? LineEncoder.encode(RecordingCodec.dto(last))
                }
                if let json = part.result { w.key("last"); w.raw(json) }
            }
            w.key("stats"); w.beginObject()
            w.field("last", p.stats.last); w.field("avg", p.stats.avg); w.field("p50", p.stats.p50)
            w.field("p95", p.stats.p95); w.field("p99", p.stats.p99); w.key("samples"); w.int(p.stats.samples)
            w.endObject()
            w.key("history"); w.beginArray()
            for h in p.history {
                w.beginObject()
                w.key("at"); w.date(h.at); w.key("verdict"); w.string(h.verdict.rawValue); w.field("latency_ms", h.latencyMs)
                w.endObject()
            }
            w.endArray()
            w.field("verdict_since", p.verdictSince)
            w.field("running_since", p.runningSince)
            w.key("runs"); w.int(p.runs)
            if let c = p.certificate { w.key("certificate_host"); w.string(c.host); w.key("certificate_not_after"); w.date(c.notAfter) }
            if let c = p.connection {
                if part.connectionInfo != c || part.connection == nil {
                    part.connectionInfo = c
                    part.connection = try? LineEncoder.encode(WebSocketRecording.dto(c))
                }
                if let json = part.connection { w.key("connection"); w.raw(json) }
            }
            w.endObject()
            kept[p.name] = part
        }
        w.endArray()
        w.key("log"); w.beginArray()
        for e in s.log {
            w.beginObject()
            w.key("at"); w.date(e.at); w.field("probe", e.probe); w.field("from", e.from); w.field("to", e.to)
            w.field("failure_class", e.failureClass); w.key("message"); w.string(e.message); w.field("close_code", e.closeCode)
            w.endObject()
        }
        w.endArray()
        w.key("log_total"); w.int(s.logTotal)
        w.key("closes"); w.beginArray()
        for c in s.closes {
            w.beginObject()
            w.key("at"); w.date(c.at); w.key("probe"); w.string(c.probe); w.key("code"); w.int(c.code)
            w.key("reason"); w.string(c.reason); w.key("by_server"); w.bool(c.byServer)
            w.endObject()
        }
        w.endArray()
        w.key("close_counts"); w.beginObject()
        for (code, count) in s.closeCounts.sorted(by: { $0.key < $1.key }) { w.key(String(code)); w.int(count) }
        w.endObject()
        if let l = s.login {
            w.key("login"); w.beginObject()
            w.key("phase"); w.string(l.phase.rawValue); w.key("message"); w.string(l.message)
            w.field("status", l.status); w.field("expires_at", l.expiresAt)
            w.endObject()
        }
        w.endObject()
        parts = kept
    }

    public struct Decoded: Sendable {
        public var snapshot: Snapshot
        public var location: String?
    }

    public struct DecodeError: Error, CustomStringConvertible { public var description: String }

    public static func decode(_ data: Data) throws -> Decoded {
        let doc: Doc
        do { doc = try RecordingCodec.decoder.decode(Doc.self, from: data) } catch {
            throw DecodeError(description: "not a stagetop state document (\(error.localizedDescription))")
        }
        guard doc.version <= version else { throw DecodeError(description: "state document version \(doc.version) is newer than this stagetop (\(version))") }
        let probes = doc.probes.map { p in
            var state = ProbeState(name: p.name, group: p.group, kind: p.kind, target: p.target, enabled: p.enabled,
                                   last: p.last.map(RecordingCodec.result), stats: p.stats,
                                   history: p.history.map { HistoryPoint(at: $0.at, verdict: $0.verdict, latencyMs: $0.latencyMs) },
                                   verdictSince: p.verdictSince, runningSince: p.runningSince, runs: p.runs)
            state.connection = p.connection.map(WebSocketRecording.info)
            if let host = p.certificateHost, let notAfter = p.certificateNotAfter { state.certificate = CertificateExpiry(host: host, notAfter: notAfter) }
            return state
        }
        var snapshot = Snapshot(
            configName: doc.config, targetHost: doc.target, insecure: doc.insecure, startedAt: doc.startedAt, takenAt: doc.takenAt,
            completedCycles: doc.completedCycles, paused: doc.paused, probes: probes,
            log: doc.log.map { LogEntry(at: $0.at, probe: $0.probe, from: $0.from, to: $0.to, failureClass: $0.failureClass, message: $0.message, closeCode: $0.closeCode) },
            logTotal: doc.logTotal,
            closes: doc.closes.map { CloseRecord(at: $0.at, probe: $0.probe, code: $0.code, reason: $0.reason, byServer: $0.byServer) },
            closeCounts: Dictionary(uniqueKeysWithValues: doc.closeCounts.compactMap { k, v in Int(k).map { ($0, v) } }),
            login: doc.login.map { LoginState(phase: LoginState.Phase(rawValue: $0.phase) ?? .failed, message: $0.message, status: $0.status, at: doc.takenAt, expiresAt: $0.expiresAt) },
            cycleInProgress: doc.cycleInProgress)
        snapshot.sortKeys = ProbeSortKeys(probes)
        return Decoded(snapshot: snapshot, location: doc.location)
    }
}

/// What the agent keeps between state reads: the output buffer, and each probe's last result and
/// connection already encoded (they change only when the probe runs). One encode at a time.
public final class StateDocumentCache: Sendable {
    struct ResultKey: Equatable { var runs: Int; var finishedAt: Date; var startedAt: Date }
    struct Parts {
        var resultKey: ResultKey?
        var result: [UInt8]?
        var connectionInfo: WebSocketInfo?
        var connection: [UInt8]?
    }
    struct State { var buffer: [UInt8] = []; var parts: [String: Parts] = [:] }
    let lock = Locked(State())
    public init() {}
}
