import Yams

/// A YAML node that knows its file, so every error can name file:line:col.
struct YNode {
    let node: Node
    let file: String

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

    func string(_ what: String) throws(ConfigError) -> String {
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
        return seq.map { YNode(node: $0, file: file) }
    }

    func mapping(_ what: String, allowed: [String]) throws(ConfigError) -> YMap {
        guard case .mapping(let m) = node else { throw error("\(what) must be a mapping, not a \(kindName)") }
        var entries: [(key: String, keyNode: YNode, value: YNode)] = []
        for (k, v) in m {
            let keyNode = YNode(node: k, file: file)
            let key = try keyNode.string("a key")
            if !allowed.contains(key) {
                // Unknown keys are errors: a typo must never silently switch a check off.
                let hint = closestMatch(key, in: allowed).map { "did you mean '\($0)'?" } ?? "known keys: \(allowed.joined(separator: ", "))"
                throw keyNode.error("unknown key '\(key)' in \(what)", hint: hint)
            }
            entries.append((key, keyNode, YNode(node: v, file: file)))
        }
        return YMap(node: self, entries: entries, what: what)
    }

    /// Converts any node to JSON (for `send` steps, expect matches and request bodies).
    func json() throws(ConfigError) -> JSONValue {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                if s.string == "null" || s.string == "~" { return .null }
                if s.string == "true" { return .bool(true) }
                if s.string == "false" { return .bool(false) }
                if let n = Double(s.string), s.string.first != "+" { return .number(n) }
            }
            return .string(s.string)
        case .sequence(let seq):
            var out: [JSONValue] = []
            for n in seq { out.append(try YNode(node: n, file: file).json()) }
            return .array(out)
        case .mapping(let m):
            var out: [String: JSONValue] = [:]
            for (k, v) in m { out[try YNode(node: k, file: file).string("a key")] = try YNode(node: v, file: file).json() }
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
