import Foundation
import StageModel

/// Turns a watched stream's outcome into one verdict. The order says what explains a failure best:
/// a non-2xx status first (a 403 on /api/chat/stream is `auth`, a 404 `route`, whatever the body did),
/// then a fired watchdog (`hang`), then the transport, then the conditions.
enum StreamJudge {
    static func result(_ spec: ProbeSpec, _ stream: StreamProbeSpec, _ outcome: StreamOutcome,
                       startedAt: Date, finishedAt: Date) -> ProbeResult {
        let record = outcome.record
        var r = ProbeResult(probe: spec.name, kind: .stream, verdict: .error, startedAt: startedAt, finishedAt: finishedAt)
        r.stream = record.info
        // The detail view's timeline: SSE events by name, or, for a plain chunked body, each chunk's arrival.
        r.events = record.isEventStream ? record.events : record.chunkArrivalsMs.map { TimedEvent(type: "chunk", atMs: $0) }

        switch outcome.result {
        case .failure(let failure):
            var timings = failure.timings
            timings.ttfb = record.firstByteMs
            r.timings = timings
            // The status line came before the transfer broke: it was observed, so it is reported.
            r.status = failure.status
            if let fire = record.fire {
                // The transfer also broke, but only after the limit had passed: the hang is the finding.
                return hang(r, fire)
            }
            r.verdict = HTTPProbeRunner.verdict(for: failure)
            r.failureClass = failure.failureClass
            if let status = failure.status, failure.isCutShort {
                // "200 OK, then the connection closed after 3 events, 412 B, before the final chunk".
                r.verdict = .fail
                r.failureClass = .network
                r.message = HTTPStatusText.line(status) + ", then the connection closed after " + progress(record)
                    + (failure.chunked ? ", before the final chunk" : ", before the end of the body")
                return r
            }
            r.message = HTTPProbeRunner.message(for: failure, timeout: spec.timeout) + progressSuffix(record)
            return r

        case .success(let response):
            // Status 0: no status line came (a buffering proxy held everything). Not observed, so not reported.
            if response.status > 0 {
                r.status = response.status
                r.response = ResponseCapture(status: response.status, headers: response.headers, body: response.body,
                                             bodyBytes: response.bodyBytes, truncated: response.truncated)
            }
            var timings = response.timings
            // For a stream, TTFB is the first *body* byte (curl's STARTTRANSFER is when the headers came).
            // When none came there is no TTFB: null, never the 7 ms header time next to "no first byte
            // within 0.5 s", and never the run's length passed off as a measurement.
            timings.ttfb = record.firstByteMs
            timings.total = record.durationMs
            r.timings = timings

            if response.status >= 300 || (response.status > 0 && response.status < 200) {
                return judged(r, spec, response, record)
            }
            if let fire = record.fire { return hang(r, fire) }
            return judged(r, spec, response, record)
        }
    }

    private static func hang(_ base: ProbeResult, _ fire: WatchdogFire) -> ProbeResult {
        var r = base
        r.verdict = .hang
        r.failureClass = .hang
        r.message = fire.message
        return r
    }

    /// A completed stream (or a non-2xx answer) judged like HTTP: without conditions 2xx passes; with
    /// conditions all must hold, and a non-2xx status explains a failure unless a condition accepted it.
    private static func judged(_ base: ProbeResult, _ spec: ProbeSpec, _ response: HTTPResponse, _ record: StreamRecord) -> ProbeResult {
        var r = base
        let observation = Observation(
            status: response.status, responseTimeMs: record.durationMs, ttfbMs: record.firstByteMs,
            body: response.body, headers: response.headers, connected: true, events: record.events.map(\.type),
            maxGapMs: record.longestGapMs, ip: response.remoteIP,
            certificateExpiresInMs: response.certificateNotAfter.map { $0.timeIntervalSince(base.finishedAt) * 1000 })
        let conditions = Conditions.evaluate(spec.conditions, observation)
        let (verdict, cls) = Judge.http(spec: spec, status: response.status, followRedirects: false, conditions: conditions)
        r.verdict = verdict
        r.failureClass = cls
        r.conditions = conditions
        r.certificate = CertificateExpiry(url: response.effectiveURL, notAfter: response.certificateNotAfter)
        let is2xx = (200..<300).contains(response.status)
        if is2xx { r.latencyMs = record.durationMs }
        var message = HTTPProbeRunner.statusMessage(response)
        if is2xx {
            message += ", " + progress(record) + String(format: " in %.2f s", record.durationMs / 1000)
        } else if let detail = HTTPStatusText.errorDetail(response.body), !message.contains(detail) {
            // "403 Forbidden: Not authenticated": the server's reason is worth the room on a refused stream.
            message = HTTPStatusText.line(message, detail: detail)
        }
        if verdict != .pass, let failed = Judge.conditionMessage(conditions), !HTTPProbeRunner.statusExplains(cls) {
            message += "; failed \(failed)"
        }
        r.message = message
        return r
    }

    /// "5 events, 1234 B" for an event stream, "12 chunks, 1234 B" for a plain one.
    static func progress(_ record: StreamRecord) -> String {
        let n = record.isEventStream ? record.eventCount : record.chunks
        let unit = record.isEventStream ? "event" : "chunk"
        return "\(n) \(unit)\(n == 1 ? "" : "s"), \(record.bytes) B"
    }

    private static func progressSuffix(_ record: StreamRecord) -> String {
        record.bytes > 0 ? " after " + progress(record) : ""
    }
}
