import Foundation

/// `{{name}}` in a journey step: found at load (an unknown name is a config error at its place), filled at
/// run time with what earlier steps captured. Braces cannot clash with `${VAR}`, which the loader has
/// already expanded by then.
public enum JourneyTemplate {
    /// Every `{{name}}` in `text` with the offset of its `{{`. Spaces inside the braces are allowed.
    public static func references(in text: String) -> [(name: String, offset: Int)] {
        guard text.contains("{{") else { return [] }
        let chars = Array(text)
        var out: [(String, Int)] = []
        var i = 0
        while i + 1 < chars.count {
            if chars[i] == "{", chars[i + 1] == "{" {
                var j = i + 2
                while j + 1 < chars.count, !(chars[j] == "}" && chars[j + 1] == "}") { j += 1 }
                guard j + 1 < chars.count else { break }
                out.append((String(chars[(i + 2)..<j]).trimmingCharacters(in: .whitespaces), i))
                i = j + 2
            } else {
                i += 1
            }
        }
        return out
    }

    /// `text` with each `{{name}}` replaced by `escape(value)`; names without a value are left as written.
    public static func fill(_ text: String, _ values: [String: String], escape: (String) -> String = { $0 }) -> String {
        guard text.contains("{{") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += rest[..<open.lowerBound]
            if let v = values[name] { out += escape(v) } else { out += rest[open.lowerBound..<close.upperBound] }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// A value put into a URL path or query: anything but unreserved characters is percent-encoded, so a
    /// captured "a/b?c" stays one segment.
    public static func urlComponent(_ v: String) -> String {
        v.addingPercentEncoding(withAllowedCharacters: unreserved) ?? v
    }
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A body: a JSON body gets the values inside its strings (escaped by the JSON writer); any other body
    /// as written.
    static func fillBody(_ body: String?, _ values: [String: String]) -> String? {
        guard let body, body.contains("{{") else { return body }
        guard let json = JSONValue.parse(body) else { return fill(body, values) }
        return fillJSON(json, values).jsonText
    }

    static func fillJSON(_ v: JSONValue, _ values: [String: String]) -> JSONValue {
        switch v {
        case .string(let s): .string(fill(s, values))
        case .array(let a): .array(a.map { fillJSON($0, values) })
        case .object(let o): .object(o.mapValues { fillJSON($0, values) })
        case .null, .bool, .number: v
        }
    }

    static func fillHeaders(_ h: HeaderList, _ values: [String: String]) -> HeaderList {
        var out: HeaderList = []
        for (name, value) in h { out.append((name, fill(value, values))) }
        return out
    }
}

extension JourneyStepBody {
    /// This step's request with the captured values filled in.
    public func filled(_ values: [String: String]) -> JourneyStepBody {
        guard !values.isEmpty else { return self }
        let path = { (p: String) in JourneyTemplate.fill(p, values, escape: JourneyTemplate.urlComponent) }
        switch self {
        case .http(var s):
            s.path = path(s.path)
            s.headers = JourneyTemplate.fillHeaders(s.headers, values)
            s.body = JourneyTemplate.fillBody(s.body, values)
            return .http(s)
        case .stream(var s):
            s.path = path(s.path)
            s.headers = JourneyTemplate.fillHeaders(s.headers, values)
            s.body = JourneyTemplate.fillBody(s.body, values)
            return .stream(s)
        case .websocket(var s):
            s.path = path(s.path)
            s.steps = s.steps.map { step in
                switch step {
                case .send(let v): .send(JourneyTemplate.fillJSON(v, values))
                case .sendText(let t): .sendText(JourneyTemplate.fill(t, values))
                case .expect(let match, let within):
                    .expect(match: Self.fillMatch(match, values), within: within)
                }
            }
            return .websocket(s)
        }
    }

    private static func fillMatch(_ match: [(key: String, value: JSONValue)], _ values: [String: String]) -> [(key: String, value: JSONValue)] {
        var out: [(key: String, value: JSONValue)] = []
        for (key, value) in match { out.append((key: key, value: JourneyTemplate.fillJSON(value, values))) }
        return out
    }
}
