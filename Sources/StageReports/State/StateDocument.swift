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
    }

    struct History: Codable { var at: Date; var verdict: Verdict; var latencyMs: Double? }
    struct Log: Codable {
        var at: Date; var probe: String?; var from: Verdict?; var to: Verdict?; var failureClass: FailureClass?
        var message: String; var closeCode: Int?
    }
    struct Close: Codable { var at: Date; var probe: String; var code: Int; var reason: String; var byServer: Bool }

    public static func encode(_ s: Snapshot, location: String?) -> String {
        let doc = Doc(
            version: version, config: s.configName, target: s.targetHost, insecure: s.insecure, location: location,
            startedAt: s.startedAt, takenAt: s.takenAt, completedCycles: s.completedCycles, cycleInProgress: s.cycleInProgress,
            paused: s.paused,
            probes: s.probes.map { p in
                Probe(name: p.name, group: p.group, kind: p.kind, target: p.target, enabled: p.enabled, last: p.last.map(RecordingCodec.dto),
                      stats: p.stats, history: p.history.map { History(at: $0.at, verdict: $0.verdict, latencyMs: $0.latencyMs) },
                      verdictSince: p.verdictSince, runningSince: p.runningSince, runs: p.runs, connection: p.connection.map(WebSocketRecording.dto))
            },
            log: s.log.map { Log(at: $0.at, probe: $0.probe, from: $0.from, to: $0.to, failureClass: $0.failureClass, message: $0.message, closeCode: $0.closeCode) },
            logTotal: s.logTotal,
            closes: s.closes.map { Close(at: $0.at, probe: $0.probe, code: $0.code, reason: $0.reason, byServer: $0.byServer) },
            closeCounts: Dictionary(uniqueKeysWithValues: s.closeCounts.map { (String($0.key), $0.value) }),
            login: s.login.map { RecordingCodec.LoginDTO(phase: $0.phase.rawValue, message: $0.message, status: $0.status, expiresAt: $0.expiresAt) })
        guard let data = try? RecordingCodec.encoder.encode(doc) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
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
