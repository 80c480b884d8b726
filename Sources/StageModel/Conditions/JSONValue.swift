import Foundation

/// A parsed JSON value. Used for bodies in conditions, WebSocket message matching and `send` steps.
public enum JSONValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses UTF-8 JSON; nil when it is not JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    public static func parse(_ text: String) -> JSONValue? { parse(Array(text.utf8)) }

    /// Compact JSON text with sorted keys (stable for tests and reports).
    public var jsonText: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? JSONValue.format(n) : "null"
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() { if i > 0 { out += "," }; v.write(into: &out) }
            out += "]"
        case .object(let d):
            out += "{"
            for (i, k) in d.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONValue.quote(k, into: &out); out += ":"; d[k]!.write(into: &out)
            }
            out += "}"
        }
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// The value as a condition compares it: strings bare, numbers without a trailing ".0".
    public var description: String {
        switch self {
        case .string(let s): s
        case .number(let n): JSONValue.format(n)
        default: jsonText
        }
    }

    static func format(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let d) = self { return d[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, index >= 0, index < a.count { return a[index] }
        return nil
    }

    /// Follows a dotted path with optional indexes: "data.items[0].name".
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for segment in JSONValue.pathSegments(path) {
            switch segment {
            case .key(let k): current = current?[k]
            case .index(let i): current = current?[i]
            }
            if current == nil { return nil }
        }
        return current
    }

    public enum PathSegment: Equatable, Sendable { case key(String), index(Int) }

    public static func pathSegments(_ path: String) -> [PathSegment] {
        var out: [PathSegment] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: true) {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                let key = rest[..<bracket]
                if !key.isEmpty { out.append(.key(String(key))) }
                rest = rest[bracket...]
                while rest.first == "[", let close = rest.firstIndex(of: "]") {
                    let inner = rest[rest.index(after: rest.startIndex)..<close]
                    if let i = Int(inner) { out.append(.index(i)) } else { out.append(.key(String(inner))) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                out.append(.key(String(rest)))
            }
        }
        return out
    }
}

extension JSONValue: Codable {
    // Decoding through Codable (not JSONSerialization) keeps true/false apart from 1/0 on every platform.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else {
            let d = try c.decode([String: JSONValue].self)
            self = .object(d)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let d): try c.encode(d)
        }
    }
}
