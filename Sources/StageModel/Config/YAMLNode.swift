import Yams

/// A YAML node that knows its file, so every error can name file:line:col.
struct YNode {
    let node: Node
    let file: String
    /// Expands `${VAR}` in every string value read through `string(_:)` (Expansion.swift).
    let expander: Expander

    func child(_ n: Node) -> YNode { YNode(node: n, file: file, expander: expander) }

    var location: SourceLocation {
        let m = node.mark
        return SourceLocation(file: file, line: m?.line ?? 1, column: m?.column ?? 1)
    }

    func error(_ message: String, hint: String? = nil) -> ConfigError { ConfigError(location, message, hint: hint) }

    var isNull: Bool {
        if case .scalar(let s) = node { return s.style == .plain && (s.string == "" || s.string == "~" || s.string == "null") }
        return false
    }

    /// Where the text of a scalar starts (after an opening quote), for errors inside it.
    var contentColumn: Int {
        if case .scalar(let s) = node, s.style == .singleQuoted || s.style == .doubleQuoted { return location.column + 1 }
        return location.column
    }

    /// The value with `${VAR}` expanded: every string value of the config goes through here.
    func string(_ what: String) throws(ConfigError) -> String {
        let raw = try literal(what)
        switch expander.expand(raw) {
        case .success(let v): return v
        case .failure(let f): throw error(f.message, hint: f.hint)
        }
    }

    /// The value as written, unexpanded (mapping keys; `auth.token`'s source, shown as `$VAR` in repro lines).
    func literal(_ what: String) throws(ConfigError) -> String {
        guard case .scalar(let s) = node else { throw error("\(what) must be a string, not a \(kindName)") }
        return s.string
    }

    func bool(_ what: String) throws(ConfigError) -> Bool {
        let s = try string(what)
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(what) must be true or false, not '\(s)'")
        }
    }

    func int(_ what: String, min lower: Int = Int.min, max upper: Int = Int.max) throws(ConfigError) -> Int {
        let s = try string(what)
        guard let v = Int(s) else { throw error("\(what) must be a whole number, not '\(s)'") }
        guard v >= lower, v <= upper else { throw error("\(what) must be between \(lower) and \(upper), not \(v)") }
        return v
    }

    func duration(_ what: String) throws(ConfigError) -> Duration {
        let s = try string(what)
        guard let d = Duration.parse(s) else {
            throw error("bad duration '\(s)' for \(what)", hint: "write a number with a unit: 250ms, 5s, 2m")
        }
        guard d.seconds > 0 else { throw error("\(what) must be longer than zero") }
        return d
    }

    var kindName: String {
        switch node {
        case .scalar: "string"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }

    func sequence(_ what: String) throws(ConfigError) -> [YNode] {
        guard case .sequence(let seq) = node else { throw error("\(what) must be a list, not a \(kindName)") }
        return seq.map(child)
    }

    /// A mapping's value for `key`, unchecked (for pointing an error at it).
    func entry(_ key: String) -> YNode? {
        guard case .mapping(let m) = node else { return nil }
        return m.first { $0.key.string == key }.map { child($0.value) }
    }

    func mapping(_ what: String, allowed: [String]) throws(ConfigError) -> YMap {
        guard case .mapping(let m) = node else { throw error("\(what) must be a mapping, not a \(kindName)") }
        var entries: [(key: String, keyNode: YNode, value: YNode)] = []
        for (k, v) in m {
            let keyNode = child(k)
            let key = try keyNode.literal("a key")
            if !allowed.contains(key) {
                // Unknown keys are errors: a typo must never silently switch a check off.
                let hint = closestMatch(key, in: allowed).map { "did you mean '\($0)'?" } ?? "known keys: \(allowed.joined(separator: ", "))"
                throw keyNode.error("unknown key '\(key)' in \(what)", hint: hint)
            }
            entries.append((key, keyNode, child(v)))
        }
        return YMap(node: self, entries: entries, what: what)
    }

    /// Converts any node to JSON (for `send` steps, expect matches and request bodies).
    func json() throws(ConfigError) -> JSONValue {
        switch node {
        case .scalar(let s):
            let text = try string("a value")
            if s.style == .plain {
                if text == "null" || text == "~" { return .null }
                if text == "true" { return .bool(true) }
                if text == "false" { return .bool(false) }
                if let n = Double(text), text.first != "+" { return .number(n) }
            }
            return .string(text)
        case .sequence(let seq):
            var out: [JSONValue] = []
            for n in seq { out.append(try child(n).json()) }
            return .array(out)
        case .mapping(let m):
            var out: [String: JSONValue] = [:]
            for (k, v) in m { out[try child(k).literal("a key")] = try child(v).json() }
            return .object(out)
        case .alias:
            throw error("YAML aliases are not supported here")
        }
    }
}

/// A mapping whose keys were already checked against the allowed set.
struct YMap {
    let node: YNode
    let entries: [(key: String, keyNode: YNode, value: YNode)]
    let what: String

    subscript(key: String) -> YNode? { entries.first { $0.key == key }?.value }

    func required(_ key: String) throws(ConfigError) -> YNode {
        guard let v = self[key] else { throw node.error("\(what) is missing '\(key)'") }
        return v
    }

    func has(_ key: String) -> Bool { self[key] != nil }
}
