import Foundation

/// `${VAR}` in the config: one rule for every string value (docs/config.md, "Environment expansion").
///
/// - `${VAR}` is the variable's value; unset is a load error naming file:line:col.
/// - `${VAR:-default}` is the value, or `default` when the variable is unset or empty (as in sh).
/// - `$${` is a literal `${`.
///
/// The expander remembers which variables it expanded, so values that are secrets (the token, and any
/// variable whose name says it is one) can be masked wherever they end up: a URL query, a header, a body.
final class Expander {
    let environment: [String: String]
    let fallbacks: [String: String]
    /// Variables expanded so far, by name (their values).
    private(set) var used: [String: String] = [:]

    init(environment: [String: String], fallbacks: [String: String]) {
        self.environment = environment; self.fallbacks = fallbacks
    }

    /// What went wrong, for the caller to attach to a location.
    struct Failure: Error {
        var message: String
        var hint: String?
    }

    func expand(_ s: String) -> Result<String, Failure> {
        guard s.contains("$") else { return .success(s) }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "${") {
            if r.lowerBound > rest.startIndex, rest[rest.index(before: r.lowerBound)] == "$" {
                out += rest[..<rest.index(before: r.lowerBound)] + "${"
                rest = rest[r.upperBound...]
                continue
            }
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else {
                return .failure(Failure(message: "unclosed ${ in '\(s)'", hint: "write ${NAME}, or $${ for a literal ${"))
            }
            let inner = rest[r.upperBound..<close]
            let name: String
            var fallback: String?
            if let sep = inner.range(of: ":-") {
                name = String(inner[..<sep.lowerBound])
                fallback = String(inner[sep.upperBound...])
            } else {
                name = String(inner)
            }
            guard Expander.isName(name) else {
                return .failure(Failure(message: "'${\(inner)}' is not a variable", hint: "names are letters, digits and _, e.g. ${STAGING_JWT} or ${REGION:-eu}"))
            }
            let set = environment[name] ?? fallbacks[name]
            if let value = set, !(value.isEmpty && fallback != nil) {
                used[name] = value
                out += value
            } else if let fallback {
                out += fallback
            } else {
                return .failure(Failure(message: "environment variable \(name) is not set", hint: "export \(name)=… before running stagetop, or write ${\(name):-default}"))
            }
            rest = rest[rest.index(after: close)...]
        }
        return .success(out + rest)
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Whether a variable's name says its value is a secret (the same words as secret header names).
    static func isSecretName(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["token", "key", "secret", "password", "passwd", "jwt", "cookie", "credential", "auth"].contains { n.contains($0) }
    }
}
