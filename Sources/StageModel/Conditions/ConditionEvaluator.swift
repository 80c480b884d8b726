import Foundation

/// A resolved operand value during evaluation.
indirect enum EvalValue: Equatable {
    case missing
    case number(Double)
    case milliseconds(Double)
    case string(String)
    case json(JSONValue)
    case list([EvalValue])

    /// How the actual value reads in reports: "200", "82.7ms", "healthy", "<missing>".
    var display: String {
        switch self {
        case .missing: "<missing>"
        case .number(let n): JSONValue.format(n)
        case .milliseconds(let ms): String(format: "%.1fms", ms)
        case .string(let s): s
        case .json(let j): j.description
        case .list(let l): "[" + l.map(\.display).joined(separator: ",") + "]"
        }
    }

    var number: Double? {
        switch self {
        case .number(let n), .milliseconds(let n): n
        case .string(let s): Double(s)
        case .json(.number(let n)): n
        case .json(.string(let s)): Double(s)
        default: nil
        }
    }

    /// The comparable text of a scalar (JSON strings without quotes).
    var text: String? {
        switch self {
        case .missing, .list: nil
        case .json(let j): j.description
        default: display
        }
    }
}

public enum Conditions {
    /// Evaluates each condition, keeping the value it actually saw.
    public static func evaluate(_ conditions: [Condition], _ obs: Observation) -> [ConditionResult] {
        // Parsing the body is most of a probe's CPU (perf, 1,000 probes): only when a condition reads it.
        guard !conditions.isEmpty else { return [] }
        let body: JSONValue? = obs.body.flatMap { JSONValue.parse($0) }
        return conditions.map { c in
            let lhs = resolve(c.lhs, obs, body)
            let ok = compare(lhs, c.op, c.rhs, obs, body)
            return ConditionResult(expr: c.source, ok: ok, actual: lhs.display)
        }
    }

    static func resolve(_ e: ConditionExpr, _ obs: Observation, _ body: JSONValue?) -> EvalValue {
        switch e {
        case .literal(let s): return .string(s)
        case .duration(let d): return .milliseconds(d.milliseconds)
        case .pat(let p): return .string(p)
        case .any(let items): return .list(items.map { resolve($0, obs, body) })
        case .len(let inner):
            switch resolve(inner, obs, body) {
            case .string(let s): return .number(Double(s.count))
            case .json(.string(let s)): return .number(Double(s.count))
            case .json(.array(let a)): return .number(Double(a.count))
            case .json(.object(let o)): return .number(Double(o.count))
            case .list(let l): return .number(Double(l.count))
            default: return .missing
            }
        case .has(let inner):
            return .string(resolve(inner, obs, body) == .missing ? "false" : "true")
        case .placeholder(let ph, let path):
            switch ph {
            case .status: return obs.status.map { .number(Double($0)) } ?? .missing
            case .statuses:
                return .list(obs.statuses.keys.sorted().flatMap { s in Array(repeating: EvalValue.number(Double(s)), count: obs.statuses[s]!) })
            case .responseTime: return obs.responseTimeMs.map { .milliseconds($0) } ?? .missing
            case .ttfb: return obs.ttfbMs.map { .milliseconds($0) } ?? .missing
            case .maxGap: return obs.maxGapMs.map { .milliseconds($0) } ?? .missing
            case .connected: return obs.connected.map { .string($0 ? "true" : "false") } ?? .missing
            case .subprotocol: return obs.subprotocol.map { .string($0) } ?? .missing
            case .closeCode: return obs.closeCode.map { .number(Double($0)) } ?? .missing
            case .events: return .list(obs.events.map { .string($0) })
            case .header:
                let v = obs.headers.first { $0.name.caseInsensitiveCompare(path) == .orderedSame }?.value
                return v.map { .string($0) } ?? .missing
            case .body:
                if path.isEmpty {
                    if let body { return .json(body) }
                    return obs.body.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .missing
                }
                return body?.value(atPath: path).map { .json($0) } ?? .missing
            }
        }
    }

    static func compare(_ lhs: EvalValue, _ op: ConditionOp, _ rhsExpr: ConditionExpr, _ obs: Observation, _ body: JSONValue?) -> Bool {
        if lhs == .missing { return false }
        switch rhsExpr {
        case .pat(let glob):
            guard let t = lhs.text else { return false }
            let m = globMatch(glob, t)
            return op == .ne ? !m : (op == .eq && m)
        case .any(let items):
            let values = items.map { resolve($0, obs, body) }
            let m = values.contains { equal(lhs, $0) }
            return op == .ne ? !m : (op == .eq && m)
        default: break
        }
        let rhs = resolve(rhsExpr, obs, body)
        switch op {
        case .eq: return equal(lhs, rhs)
        case .ne: return !equal(lhs, rhs)
        case .contains: return contains(lhs, rhs)
        case .lt, .le, .gt, .ge:
            guard let a = lhs.number, let b = rhs.number else { return false }
            switch op {
            case .lt: return a < b
            case .le: return a <= b
            case .gt: return a > b
            default: return a >= b
            }
        }
    }

    static func equal(_ a: EvalValue, _ b: EvalValue) -> Bool {
        if a == .missing || b == .missing { return false }
        if let x = a.number, let y = b.number { return x == y }
        if let x = a.text, let y = b.text { return x == y }
        return false
    }

    static func contains(_ hay: EvalValue, _ needle: EvalValue) -> Bool {
        switch hay {
        case .list(let l): return l.contains { equal($0, needle) }
        case .json(.array(let a)): return a.contains { equal(.json($0), needle) }
        case .json(.object(let o)): return needle.text.map { o[$0] != nil } ?? false
        default:
            guard let h = hay.text, let n = needle.text else { return false }
            return h.contains(n)
        }
    }

    /// `*` matches any run, `?` one character; the whole string must match.
    static func globMatch(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
