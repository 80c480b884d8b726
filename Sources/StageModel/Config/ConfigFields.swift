import Foundation

/// The field readers every part of the config shares: paths, methods, auth modes, headers, bodies and
/// `${VAR}` expansion. The top-level `Builder` and each kind's `parse` (Kinds/<Kind>/) use the same ones,
/// so a header or a method is checked the same way wherever it is written.
struct ConfigFields {
    let file: String
    let options: ConfigLoadOptions

    func path(_ m: YMap, probe: String) throws(ConfigError) -> String {
        let n = try m.required("path")
        let p = try n.string("path")
        guard p.hasPrefix("/") || p.hasPrefix("http://") || p.hasPrefix("https://") else {
            throw n.error("path '\(p)' must start with / (or be a full http(s) URL)")
        }
        return p
    }

    func method(_ n: YNode?, default d: String) throws(ConfigError) -> String {
        guard let n else { return d }
        let v = try n.string("method").uppercased()
        guard ConfigLoader.methods.contains(v) else {
            throw n.error("unknown HTTP method '\(v)'", hint: "one of: \(ConfigLoader.methods.joined(separator: ", "))")
        }
        return v
    }

    func httpAuth(_ n: YNode?) throws(ConfigError) -> HTTPAuthMode {
        guard let n else { return .none }
        let v = try n.string("auth")
        guard let mode = HTTPAuthMode(rawValue: v) else { throw n.error("unknown auth '\(v)'", hint: "one of: bearer, none") }
        return mode
    }

    func headers(_ n: YNode, _ what: String) throws(ConfigError) -> HeaderList {
        guard case .mapping = n.node else { throw n.error("\(what) must be a mapping of Name: value") }
        let m = try n.mapping(what, allowed: n.mappingKeys)
        var out: HeaderList = []
        for e in m.entries {
            guard !e.key.isEmpty, e.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw e.keyNode.error("'\(e.key)' is not a valid header name")
            }
            out.append((e.key, try expand(e.value, "header \(e.key)")))
        }
        return out
    }

    /// A request body: a mapping/list becomes JSON, a string is sent as written.
    func body(_ n: YNode) throws(ConfigError) -> String {
        if case .scalar = n.node { return try expand(n, "body") }
        return try n.json().jsonText
    }

    func expand(_ n: YNode, _ what: String) throws(ConfigError) -> String {
        try expandString(try n.string(what), at: n)
    }

    /// `${VAR}` expands from the environment; `$${` is a literal `${`. An unset variable is an error.
    func expandString(_ s: String, at n: YNode) throws(ConfigError) -> String {
        guard s.contains("${") else { return s }
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
                throw n.error("unclosed ${ in '\(s)'")
            }
            let name = String(rest[r.upperBound..<close])
            guard let value = options.environment[name] ?? options.fallbacks[name] else {
                throw n.error("environment variable \(name) is not set", hint: "export \(name)=… before running stagetop")
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
