import Foundation
import StageModel

/// One verdict for a burst. What a burst can see is 2xx (served) and 429 (limited); anything else means
/// the limiter was never reached, and report 000's rate-limit test, which could not tell a 404 from a 429,
/// is the reason that is checked first:
/// 1. a status other than 2xx/429 that no passing condition names (`[STATUSES] contains 404`) fails with
///    its own class: 404 → `route`, 5xx → `server`, 401/403 → `auth`. Never a pass.
/// 2. requests that got no response at all fail with their transport class.
/// 3. with conditions, all must hold (`[STATUSES] contains 429`); a failed one is `condition`.
/// 4. without conditions, all 2xx passes and any 429 fails `rate_limit`.
enum BurstJudge {
    static func result(_ spec: ProbeSpec, _ tally: BurstTally, startedAt: Date, finishedAt: Date) -> ProbeResult {
        let counts = Format.statusCounts(tally.statuses)
        // [CONNECTED]: at least one request got an answer.
        let observation = Observation(statuses: tally.statuses, responseTimeMs: tally.medianMs, connected: !tally.statuses.isEmpty)
        // The raw [STATUSES] value is a list of every status (50 numbers); the multiset says the same.
        let conditions = zip(spec.conditions, Conditions.evaluate(spec.conditions, observation)).map { c, r in
            if case .placeholder(.statuses, _) = c.lhs { return ConditionResult(expr: r.expr, ok: r.ok, actual: counts) }
            return r
        }

        var summary = [counts].filter { !$0.isEmpty }
        if let f = tally.firstFailure {
            summary.append("\(tally.failures)×no response (\(f.summary))")
        }
        if tally.sent < tally.planned { summary.append("(\(tally.sent) of \(tally.planned) sent)") }
        var message = summary.joined(separator: " ")

        let verdict: Verdict
        let cls: FailureClass?
        if let (status, why) = unexpected(tally, spec: spec, conditions: conditions) {
            verdict = .fail
            cls = FailureClass.forHTTPStatus(status) ?? .condition
            message += "; \(why)"
        } else if let f = tally.firstFailure {
            verdict = HTTPProbeRunner.verdict(for: f)
            cls = f.failureClass
        } else if !conditions.isEmpty {
            if conditions.allSatisfy(\.ok) {
                verdict = .pass
                cls = nil
            } else {
                verdict = .fail
                cls = .condition
                if let failed = conditions.first(where: { !$0.ok }) { message += "; failed \(failed.expr)" }
            }
        } else if let limited = tally.statuses[429] {
            verdict = .fail
            cls = .rateLimit
            message += "; \(limited) rate limited (429) where 2xx was expected"
        } else {
            verdict = .pass
            cls = nil
        }
        return ProbeResult(probe: spec.name, kind: .burst, verdict: verdict, failureClass: cls, message: message,
                           latencyMs: tally.medianMs, conditions: conditions, statuses: tally.statuses,
                           startedAt: startedAt, finishedAt: finishedAt)
    }

    /// The most frequent status a burst should never see (not 2xx, not 429), unless a passing condition
    /// names it; with the reason for the message.
    private static func unexpected(_ tally: BurstTally, spec: ProbeSpec, conditions: [ConditionResult]) -> (Int, String)? {
        let accepted = Set(zip(spec.conditions, conditions).filter { $0.1.ok }.flatMap { c, _ in literals(c.lhs) + literals(c.rhs) })
        let odd = tally.statuses.filter { s, _ in !(200..<300).contains(s) && s != 429 && !accepted.contains(String(s)) }
        guard let (status, _) = odd.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) else { return nil }
        var why = "\(HTTPStatusText.line(status)) where 2xx or 429 was expected"
        if status >= 500, let body = tally.sample[status]?.body, let detail = HTTPStatusText.errorDetail(body) {
            why += " (\(detail))"
        }
        return (status, why)
    }

    private static func literals(_ e: ConditionExpr) -> [String] {
        switch e {
        case .literal(let s): [s]
        case .any(let items): items.flatMap(literals)
        default: []
        }
    }
}
