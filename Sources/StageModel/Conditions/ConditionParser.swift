/// Parses gatus-style conditions: `LHS OP RHS` with placeholders, functions and literals.
public enum ConditionParser {
    public struct ParseError: Error, Equatable, Sendable {
        /// 0-based character offset into the expression, so the config error can point at it.
        public var offset: Int
        public var message: String
        public var hint: String?
    }

    // Longest first so "<=" is not read as "<".
    static let operators: [ConditionOp] = [.eq, .ne, .le, .ge, .lt, .gt]

    public static func parse(_ source: String) throws(ParseError) -> Condition {
        let chars = Array(source)
        guard let (op, start, end) = findOperator(chars) else {
            throw ParseError(offset: 0, message: "no comparison operator in condition '\(source)'",
                             hint: "write LHS OP RHS with OP one of == != < <= > >= contains, e.g. \"[STATUS] == 200\"")
        }
        let lhsText = String(chars[..<start])
        let rhsText = String(chars[end...])
        var lhs = try operand(lhsText, offset: 0)
        var rhs = try operand(rhsText, offset: end)
        // gatus lets pat() and any() stand on either side ("any(200, 429) == [STATUS]"); == and != are
        // symmetric, so the function moves to the right, where the evaluator expects it.
        if lhs.isPatternOrAny, !rhs.isPatternOrAny, op == .eq || op == .ne { swap(&lhs, &rhs) }
        if lhs.isConstant, rhs.isConstant {
            throw ParseError(offset: 0, message: "condition '\(source)' compares two constants",
                             hint: "one side must be a placeholder such as [STATUS], [BODY].field or len([BODY].items)")
        }
        if rhs.isPatternOrAny, op != .eq, op != .ne {
            let fn = if case .pat = rhs { "pat()" } else { "any()" }
            throw ParseError(offset: start, message: "\(fn) works only with == and != (as in gatus)",
                             hint: "e.g. \"[STATUS] == any(200, 204)\" or \"[BODY].name != pat(test-*)\"")
        }
        if lhs.isPatternOrAny {
            throw ParseError(offset: 0, message: "pat() and any() compare against a value: put a placeholder on the other side", hint: nil)
        }
        return Condition(source: source, lhs: lhs, op: op, rhs: rhs)
    }

    /// Finds the operator outside brackets, parentheses and quotes.
    static func findOperator(_ c: [Character]) -> (ConditionOp, Int, Int)? {
        var depth = 0
        var quote: Character?
        var i = 0
        while i < c.count {
            let ch = c[i]
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "[" || ch == "(" {
                depth += 1
            } else if ch == "]" || ch == ")" {
                depth -= 1
            } else if depth == 0 {
                for op in operators {
                    let sym = Array(op.rawValue)
                    if i + sym.count <= c.count && Array(c[i..<i + sym.count]) == sym { return (op, i, i + sym.count) }
                }
                // "contains" is a word: it needs spaces around it.
                let word = Array(" contains ")
                if ch == " ", i + word.count <= c.count, Array(c[i..<i + word.count]) == word {
                    return (.contains, i, i + word.count)
                }
            }
            i += 1
        }
        return nil
    }

    static func operand(_ raw: String, offset: Int) throws(ParseError) -> ConditionExpr {
        let leading = raw.prefix { $0 == " " }.count
        let text = raw.trimmingCharacters(in: .whitespaces)
        let at = offset + leading
        guard !text.isEmpty else { throw ParseError(offset: at, message: "missing operand", hint: nil) }

        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ParseError(offset: at, message: "unclosed '[' in placeholder", hint: nil)
            }
            // Placeholder names in any letter case, as gatus reads them ([status] is [STATUS]); paths keep theirs.
            let written = String(text[text.index(after: text.startIndex)..<close])
            let name = written.uppercased()
            if let unsupported = UnsupportedPlaceholder(rawValue: name) {
                throw ParseError(offset: at, message: unsupported.why, hint: unsupported.instead)
            }
            guard let ph = Placeholder(rawValue: name) else {
                let known = Placeholder.allCases.map { "[\($0.rawValue)]" }
                let guess = closestMatch("[\(name)]", in: known)
                throw ParseError(offset: at, message: "unknown placeholder [\(written)]",
                                 hint: guess.map { "did you mean \($0)?" } ?? "known: " + known.joined(separator: " "))
            }
            var rest = String(text[text.index(after: close)...])
            if rest.hasPrefix(".") { rest.removeFirst() }
            else if !rest.isEmpty && !rest.hasPrefix("[") {
                throw ParseError(offset: at + name.count + 2, message: "unexpected '\(rest)' after [\(name)]", hint: "use [\(name)].path.to.field")
            }
            if !rest.isEmpty, ph != .body, ph != .header {
                throw ParseError(offset: at, message: "[\(name)] has no fields", hint: "only [BODY] and [HEADER] take a path")
            }
            if ph == .header, rest.isEmpty {
                throw ParseError(offset: at, message: "[HEADER] needs a header name", hint: "e.g. [HEADER].Content-Type")
            }
            return .placeholder(ph, path: rest)
        }

        for fn in ["len", "has", "pat", "any"] where text.hasPrefix(fn + "(") {
            guard text.hasSuffix(")") else {
                throw ParseError(offset: at, message: "\(fn)( is not closed", hint: nil)
            }
            let inner = String(text.dropFirst(fn.count + 1).dropLast())
            let innerAt = at + fn.count + 1
            switch fn {
            case "len": return .len(try operand(inner, offset: innerAt))
            case "has": return .has(try operand(inner, offset: innerAt))
            case "pat": return .pat(unquote(inner.trimmingCharacters(in: .whitespaces)))
            default:
                let parts = splitTopLevel(inner)
                guard !parts.isEmpty else { throw ParseError(offset: innerAt, message: "any() needs at least one value", hint: nil) }
                var exprs: [ConditionExpr] = []
                var pos = innerAt
                for p in parts {
                    exprs.append(try operand(p, offset: pos))
                    pos += p.count + 1
                }
                return .any(exprs)
            }
        }
        if let known = ["len", "has", "pat", "any"].first(where: { text.hasPrefix($0 + " (") }) {
            throw ParseError(offset: at, message: "no space allowed between \(known) and '('", hint: nil)
        }
        if text.first?.isNumber == true, let d = Duration.parse(text, goStyle: true), !text.allSatisfy({ $0.isNumber || $0 == "." }) {
            return .duration(d)
        }
        return .literal(unquote(text))
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == s.last, f == "\"" || f == "'" { return String(s.dropFirst().dropLast()) }
        return s
    }

    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = []
        var cur = ""
        var depth = 0
        var quote: Character?
        for ch in s {
            if let q = quote { if ch == q { quote = nil } }
            else if ch == "\"" || ch == "'" { quote = ch }
            else if ch == "(" || ch == "[" { depth += 1 }
            else if ch == ")" || ch == "]" { depth -= 1 }
            else if ch == ",", depth == 0 { parts.append(cur); cur = ""; continue }
            cur.append(ch)
        }
        if !cur.trimmingCharacters(in: .whitespaces).isEmpty || !parts.isEmpty { parts.append(cur) }
        return parts
    }
}

import Foundation

extension ConditionExpr {
    var isPatternOrAny: Bool {
        switch self {
        case .pat, .any: true
        default: false
        }
    }

    /// Known without a run: a literal, a duration, a pattern, or any() of those.
    var isConstant: Bool {
        switch self {
        case .literal, .duration, .pat: true
        case .any(let items): items.allSatisfy(\.isConstant)
        default: false
        }
    }
}
