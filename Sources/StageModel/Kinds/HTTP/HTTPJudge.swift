/// Turns what an HTTP response observed into exactly one verdict and class: the http kind's judge, which the
/// stream judge (StageProbes/Kinds/Stream/) also applies to a stream's response. In the model, beside the
/// conditions it reads, so `check`, `watch` and the reports can never disagree.
public enum Judge {
    /// HTTP-shaped runs (http, burst-less). Without conditions: 2xx passes. With conditions: all must hold;
    /// a failure is classed by the status when the status explains it, else by what failed.
    public static func http(spec: ProbeSpec, status: Int, followRedirects: Bool, conditions: [ConditionResult]) -> (Verdict, FailureClass?) {
        if conditions.isEmpty {
            if (200..<300).contains(status) { return (.pass, nil) }
            return (.fail, FailureClass.forHTTPStatus(status, followRedirects: followRedirects) ?? .condition)
        }
        if conditions.allSatisfy(\.ok) { return (.pass, nil) }
        // Unless a condition accepted this status on purpose, a non-2xx status explains the rest (a 307 has no body to check).
        let statusAccepted = zip(spec.conditions, conditions).contains { c, r in
            r.ok && c.uses(.status)
        }
        if !statusAccepted, let cls = FailureClass.forHTTPStatus(status, followRedirects: followRedirects) {
            return (.fail, cls)
        }
        return (.fail, classifyFailedConditions(spec: spec, conditions: conditions, status: status, followRedirects: followRedirects))
    }

    /// The class of the first failed condition: a status check takes the status's class; a body path
    /// that is absent or not JSON is `schema`; anything else is `condition`.
    static func classifyFailedConditions(spec: ProbeSpec, conditions: [ConditionResult], status: Int?, followRedirects: Bool) -> FailureClass {
        for (c, r) in zip(spec.conditions, conditions) where !r.ok {
            if c.uses(.status), let status, let cls = FailureClass.forHTTPStatus(status, followRedirects: followRedirects) { return cls }
            if c.uses(.statuses) { return .condition }
            if c.uses(.body), r.actual == "<missing>" { return .schema }
            return .condition
        }
        return .condition
    }

    /// "[RESPONSE_TIME] < 300ms (actual 412.3ms)" for the first failed condition, nil if none failed.
    public static func conditionMessage(_ conditions: [ConditionResult]) -> String? {
        guard let f = conditions.first(where: { !$0.ok }) else { return nil }
        return "\(f.expr) (actual \(f.actual))"
    }
}
