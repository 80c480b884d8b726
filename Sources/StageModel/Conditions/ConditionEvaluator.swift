import Foundation

/// A resolved operand value during evaluation.
indirect enum EvalValue: Equatable {
    case missing
    case number(Double)
    case milliseconds(Double)
    case string(String)
    case json(JSONValue)
    case list([EvalValue])
    /// The whole body as received (surrounding whitespace trimmed, as gatus trims it), and its JSON when
    /// it is JSON: `[BODY] == …` and `pat()` see the server's bytes, `contains` and `len()` the structure.
    case body(text: String, json: JSONValue?)

    /// How the actual value reads in reports: "200", "82.7ms", "healthy", "<missing>".
    var display: String {
        switch self {
        case .missing: "<missing>"
        case .number(let n): JSONValue.format(n)
        case .milliseconds(let ms): String(format: "%.1fms", ms)
        case .string(let s): s
        case .json(let j): j.description
        case .list(let l): "[" + l.map(\.display).joined(separator: ",") + "]"
        case .body(let text, _): text
        }
    }

    var number: Double? {
        switch self {
        case .number(let n), .milliseconds(let n): n
        case .string(let s), .json(.string(let s)), .body(let s, _): Conditions.number(s)
        case .json(.number(let n)): n
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
            // gatus: the length of the value's text; an array's (or list's) element count. Objects count
            // their keys (docs/config.md, "Coming from gatus", says why); null and missing have no length.
            switch resolve(inner, obs, body) {
            case .missing, .json(.null): return .missing
            case .json(.array(let a)), .body(_, .array(let a)?): return .number(Double(a.count))
            case .json(.object(let o)), .body(_, .object(let o)?): return .number(Double(o.count))
            case .list(let l): return .number(Double(l.count))
            case .milliseconds(let ms): return .number(Double(String(Int(ms)).count))
            case let v: return .number(Double(v.text?.count ?? 0))
            }
        case .has(let inner):
            // A JSON null is "no value", as in gatus: has([BODY].errors) is false for {"errors": null}.
            let v = resolve(inner, obs, body)
            return .string(v == .missing || v == .json(.null) ? "false" : "true")
        case .placeholder(let ph, let path):
            switch ph {
            case .status: return obs.status.map { .number(Double($0)) } ?? .missing
            case .statuses:
                return .list(obs.statuses.keys.sorted().flatMap { s in Array(repeating: EvalValue.number(Double(s)), count: obs.statuses[s]!) })
            case .responseTime: return obs.responseTimeMs.map { .milliseconds($0) } ?? .missing
            case .ttfb: return obs.ttfbMs.map { .milliseconds($0) } ?? .missing
            case .maxGap: return obs.maxGapMs.map { .milliseconds($0) } ?? .missing
            case .connected: return obs.connected.map { .string($0 ? "true" : "false") } ?? .missing
            case .ip: return obs.ip.map { .string($0) } ?? .missing
            case .certificateExpiration: return obs.certificateExpiresInMs.map { .milliseconds($0) } ?? .missing
            case .subprotocol: return obs.subprotocol.map { .string($0) } ?? .missing
            case .closeCode: return obs.closeCode.map { .number(Double($0)) } ?? .missing
            case .events: return .list(obs.events.map { .string($0) })
            case .header:
                let v = obs.headers.first { ASCIICase.equal($0.name, path) }?.value
                return v.map { .string($0) } ?? .missing
            case .body:
                if path.isEmpty {
                    return obs.body.map { .body(text: String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), json: body) } ?? .missing
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
            let m = patternMatch(glob, t)
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
        case .json(.object(let o)), .body(_, .object(let o)?): return needle.text.map { o[$0] != nil } ?? false
        case .body(_, .array(let a)?): return a.contains { equal(.json($0), needle) }
        default:
            guard let h = hay.text, let n = needle.text else { return false }
            return h.contains(n)
        }
    }

    /// A number as gatus reads one: Go's integer prefixes (0x1F, 0o17, 0b101, with _ between digits) or a
    /// decimal. A leading 0 alone is decimal here (Go would read 017 as octal): see docs/config.md.
    static func number(_ text: String) -> Double? {
        var s = Substring(text)
        var sign = 1.0
        if s.hasPrefix("-") { sign = -1; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let lower = s.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            let digits = lower.dropFirst(2).filter { $0 != "_" }
            guard !digits.isEmpty, let v = Int64(digits, radix: radix) else { return nil }
            return sign * Double(v)
        }
        guard let first = s.first, first.isASCII, first.isNumber || first == "." else { return nil }
        if s.contains("_") {
            guard !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") else { return nil }
            return Double(String(s.filter { $0 != "_" })).map { sign * $0 }
        }
        return Double(s).map { sign * $0 }
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

    /// pat(): a glob as gatus matches it (Go's filepath.Match): `*` any run, `?` one character, `[abc]`,
    /// `[a-z]` and `[^a-z]` one character of a class, `\\` takes the next character literally. A broken
    /// class (no closing `]`) matches nothing, as in Go.
    static func patternMatch(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        // One pattern element at p[i]: how many pattern characters it spans and whether it matches c.
        func single(_ i: Int, _ c: Character) -> (span: Int, ok: Bool)? {
            switch p[i] {
            case "?": return (1, true)
            case "\\": return i + 1 < p.count ? (2, p[i + 1] == c) : nil
            case "[":
                var j = i + 1
                let negated = j < p.count && p[j] == "^"
                if negated { j += 1 }
                var hit = false, first = true
                while j < p.count, p[j] != "]" || first {
                    first = false
                    var lo = p[j]
                    if lo == "\\", j + 1 < p.count { j += 1; lo = p[j] }
                    var hi = lo
                    if j + 2 < p.count, p[j + 1] == "-", p[j + 2] != "]" {
                        hi = p[j + 2]
                        if hi == "\\", j + 3 < p.count { j += 1; hi = p[j + 2] }
                        j += 2
                    }
                    if lo <= c && c <= hi { hit = true }
                    j += 1
                }
                guard j < p.count else { return nil }
                return (j - i + 1, hit != negated)
            default: return (1, p[i] == c)
            }
        }
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1; continue }
            if pi < p.count, let m = single(pi, t[ti]), m.ok { pi += m.span; ti += 1; continue }
            if pi < p.count, single(pi, t[ti]) == nil { return false }
            if star >= 0 { pi = star + 1; mark += 1; ti = mark; continue }
            return false
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
