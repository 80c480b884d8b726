import Foundation
import StageModel

/// Turns what WebSocket attempts saw into exactly one verdict, class and message (docs/config.md, "Failure classes"), with the
/// token removed from every string on the way out.
enum WebSocketJudge {
    static func result(_ a: WebSocketAttempt, spec: ProbeSpec, conditions: [Condition]? = nil) -> ProbeResult {
        var r = ProbeResult(probe: spec.name, kind: .websocket, verdict: .pass, startedAt: a.startedAt, finishedAt: a.finishedAt)
        var info = WebSocketInfo(url: a.displayURL, connected: a.connected ? 1 : 0, attempted: 1)
        let elapsedMs = a.finishedAt.timeIntervalSince(a.startedAt) * 1000

        if let setup = a.setup {
            r.verdict = .error; r.failureClass = setup.failureClass; r.message = setup.message
            r.websocket = info
            return a.redact(r)
        }
        if let f = a.connectFailure { apply(f, to: &r, info: &info, elapsedMs: elapsedMs) }
        if let hs = a.handshake {
            info.handshakeStatus = hs.status
            info.handshakeHeaders = hs.headers
            info.subprotocol = a.subprotocol
            info.slowestHandshakeMs = hs.handshakeMs
            r.status = hs.status
            r.timings = hs.timings
        }
        r.events = a.steps?.events ?? []

        if let problem = a.subprotocolProblem {
            r.verdict = .fail; r.failureClass = .wsSubprotocol; r.message = problem
        } else if let failure = a.steps?.failure {
            r.verdict = .fail; r.failureClass = failure.failureClass; r.message = failure.message
            r.closeCode = failure.closeCode; r.closeReason = failure.closeReason
        } else if a.connected, let steps = a.steps {
            let ms = steps.completedAtMs ?? elapsedMs
            r.latencyMs = ms
            r.timings?.total = ms
            let n = spec.stepsCount
            r.message = n == 0 ? "connected in \(Format.latency(info.slowestHandshakeMs))"
                : "\(n) step\(n == 1 ? "" : "s") ok in \(Format.latency(ms))"
        }
        r.websocket = info
        r.certificate = CertificateExpiry(url: a.displayURL, notAfter: a.handshake?.certificateNotAfter)
        judgeConditions(&r, conditions ?? spec.conditions, connected: a.connected, subprotocol: a.subprotocol,
                        handshakeMs: a.handshake?.handshakeMs, headers: a.handshake?.headers ?? [],
                        body: a.steps?.lastText.map { Array($0.utf8) }, ip: a.handshake?.remoteIP,
                        certificateNotAfter: a.handshake?.certificateNotAfter, at: a.finishedAt)
        return a.redact(r)
    }

    private static func apply(_ f: WebSocketConnectFailure, to r: inout ProbeResult, info: inout WebSocketInfo, elapsedMs: Double) {
        r.verdict = .fail
        switch f {
        case .refused(let refusal, let timings):
            r.failureClass = .wsHandshake
            r.status = refusal.status
            let line = HTTPStatusText.line(refusal.status, serverPhrase: refusal.reasonPhrase)
            r.message = "handshake refused: " + HTTPStatusText.line(line, detail: HTTPStatusText.errorDetail(refusal.body))
            r.timings = timings
            r.latencyMs = timings.ttfb.flatMap { $0 > 0 ? $0 : nil } ?? elapsedMs
            r.response = ResponseCapture(status: refusal.status, headers: refusal.headers, body: refusal.body,
                                         bodyBytes: refusal.body.count)
            info.handshakeStatus = refusal.status
            info.handshakeHeaders = refusal.headers
        case .badUpgrade(let m, let timings):
            r.failureClass = .wsHandshake; r.status = 101; r.message = "handshake invalid: \(m)"; r.timings = timings
            info.handshakeStatus = 101
        case .timeout(let m, let timings):
            r.failureClass = .timeout; r.message = "timeout: \(m)"; r.timings = timings
        case .network(let m, let timings):
            r.failureClass = .network; r.message = m; r.timings = timings
        case .resolve(let m):
            // The config names a host that does not exist: the probe could not run (as for HTTP).
            r.verdict = .error; r.failureClass = .network; r.message = m
        case .tls(let m, let timings):
            r.failureClass = .tls; r.message = m; r.timings = timings
        case .protocolViolation(let m, let timings):
            r.failureClass = .protocol; r.message = m; r.timings = timings
        case .config(let m):
            r.verdict = .error; r.failureClass = .config; r.message = m
        }
    }

    /// Conditions run after the steps. A failing condition fails a passing run (class `condition`); a run
    /// that failed on a close or a refusal passes when every condition holds and one of them is about
    /// exactly that ("[CLOSE_CODE] == 1008", "[CONNECTED] == false"): a probe that checks a rejection.
    static func judgeConditions(_ r: inout ProbeResult, _ conditions: [Condition], connected: Bool, subprotocol: String?,
                                handshakeMs: Double?, headers: HeaderList, body: [UInt8]? = nil, ip: String? = nil,
                                certificateNotAfter: Date? = nil, at: Date = Date()) {
        guard !conditions.isEmpty else { return }
        let obs = Observation(status: r.status, responseTimeMs: r.latencyMs, ttfbMs: handshakeMs, body: body, headers: headers,
                              connected: connected, subprotocol: subprotocol, closeCode: r.closeCode,
                              events: r.events.map(\.type), ip: ip,
                              certificateExpiresInMs: certificateNotAfter.map { $0.timeIntervalSince(at) * 1000 })
        let results = Conditions.evaluate(conditions, obs)
        r.conditions = results
        let allOK = results.allSatisfy(\.ok)
        if r.verdict == .pass, !allOK {
            r.verdict = .fail
            r.failureClass = .condition
            if let failed = Judge.conditionMessage(results) { r.message += "; failed \(failed)" }
        } else if r.verdict == .fail, allOK {
            let accepted: Set<Placeholder>
            switch r.failureClass {
            case .wsPolicy?, .wsInternal?, .wsClose?: accepted = [.closeCode]
            case .wsHandshake?: accepted = [.connected, .status]
            case .network?, .timeout?, .tls?, .protocol?: accepted = [.connected]
            default: accepted = []
            }
            if zip(conditions, results).contains(where: { c, res in res.ok && accepted.contains { c.uses($0) } }) {
                r.message += " (expected by conditions)"
                r.verdict = .pass
                r.failureClass = nil
            }
        }
    }

    /// N connections at once: "k/N connected", the slowest handshake, and the first failure's class.
    static func result(concurrent attempts: [WebSocketAttempt], spec: ProbeSpec) -> ProbeResult {
        let singles = attempts.map { result($0, spec: spec, conditions: []) }
        let n = attempts.count
        let connected = attempts.filter(\.connected).count
        let slowest = attempts.compactMap { $0.handshake?.handshakeMs }.max()
        let failedIndex = singles.firstIndex { $0.verdict != .pass }
        var r = singles[failedIndex ?? 0]
        r.startedAt = singles.map(\.startedAt).min() ?? r.startedAt
        r.finishedAt = singles.map(\.finishedAt).max() ?? r.finishedAt
        var info = r.websocket ?? WebSocketInfo()
        info.connected = connected
        info.attempted = n
        info.slowestHandshakeMs = slowest
        if info.subprotocol == nil { info.subprotocol = singles.lazy.compactMap { $0.websocket?.subprotocol }.first }
        r.websocket = info
        let head = "\(connected)/\(n) connected"
        if let i = failedIndex {
            let failed = singles.filter { $0.verdict != .pass }.count
            r.message = head + "; " + (failed > 1 ? "\(failed) failed, " : "") + "#\(i + 1): " + singles[i].message
            r.latencyMs = nil
        } else {
            let latest = singles.compactMap(\.latencyMs).max()
            r.latencyMs = latest
            if let slowestIndex = singles.indices.max(by: { (singles[$0].latencyMs ?? 0) < (singles[$1].latencyMs ?? 0) }) {
                r.timings = singles[slowestIndex].timings
            }
            r.message = head + "; slowest handshake \(Format.latency(slowest))"
            if spec.stepsCount > 0 { r.message += "; steps ok in \(Format.latency(latest))" }
        }
        let first = attempts[failedIndex ?? 0]
        judgeConditions(&r, spec.conditions, connected: connected == n, subprotocol: info.subprotocol,
                        handshakeMs: slowest, headers: first.handshake?.headers ?? [])
        return first.redact(r)
    }

    /// The close an attempt ended on, for the close-code panel (a normal end of a one-shot run is not one).
    static func closeRecord(_ a: WebSocketAttempt, probe: String) -> CloseRecord? {
        guard let f = a.steps?.failure, let code = f.closeCode, let at = a.closedAt else { return nil }
        return a.redact(CloseRecord(at: at, probe: probe, code: code, reason: f.closeReason ?? "", byServer: f.closedByServer))
    }
}

extension ProbeSpec {
    var stepsCount: Int {
        if case .websocket(let ws) = body { return ws.steps.count }
        return 0
    }
}
