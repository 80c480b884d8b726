import Foundation
import Yams

/// The parts of an OpenAPI 3.0/3.1 document that `init --openapi` and route drift read: the operations
/// (method, path, id, tags, required parameters, security, success response), the first server, the
/// security schemes. JSON is read with Foundation, YAML with Yams (what the config loader uses); both end
/// as the same plain values, so nothing below knows which it was.
public struct OpenAPISpec: Sendable {
    public struct Operation: Sendable, Equatable {
        /// Upper case: `GET`.
        public var method: String
        /// As the document writes it: `/api/threads/{id}`.
        public var path: String
        public var operationID: String?
        public var tags: [String]
        /// Parameters a request must carry, as `id (path)`: an operation with any cannot be probed as written.
        public var requiredParameters: [String]
        /// The security requirement in force (the operation's, else the document's): scheme names of
        /// the first alternative; empty when none is needed (no requirement, or `{}` among them).
        public var security: [String]
        /// The lowest 2xx status the responses declare (nil: none declared).
        public var successStatus: Int?
        /// The media types of that response (`text/event-stream` marks an event stream).
        public var successContent: [String]
        public var deprecated: Bool
    }

    public struct SecurityScheme: Sendable, Equatable {
        /// `http`, `apiKey`, `oauth2`, `openIdConnect`, `mutualTLS`.
        public var type: String
        /// For `http`: `bearer`, `basic`, …
        public var scheme: String?
        /// For `apiKey`: where (`header`, `query`, `cookie`) and its name.
        public var location: String?
        public var name: String?

        /// A scheme satisfied by `Authorization: Bearer <token>`: what `auth: bearer` sends.
        public var isBearer: Bool {
            switch type {
            case "http": scheme?.lowercased() == "bearer"
            case "oauth2", "openIdConnect": true
            default: false
            }
        }
    }

    /// `3.1.0`.
    public var version: String
    public var title: String?
    /// `servers[0].url`, its `{variables}` replaced by their defaults; may be relative (`/api/v1`).
    public var serverURL: String?
    /// In the document's order of paths, then get, put, post, delete, options, head, patch, trace.
    public var operations: [Operation]
    public var securitySchemes: [String: SecurityScheme]
    /// The top-level `tags` list's names, in order.
    public var tagOrder: [String]

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Parses a document; a problem names `source` (and line:col where the parser knows it).
    public static func parse(_ text: String, source: String) throws(ConfigError) -> OpenAPISpec {
        let top = try root(text, source: source)
        let at = SourceLocation(file: source, line: 1, column: 1)
        if let swagger = top["swagger"] {
            throw ConfigError(at, "this is a Swagger \(scalar(swagger) ?? "2") document, not OpenAPI 3",
                              hint: "convert it first (e.g. with swagger2openapi), or ask the API for its OpenAPI 3 document")
        }
        guard let version = top["openapi"].flatMap(scalar) else {
            throw ConfigError(at, "not an OpenAPI document: it has no 'openapi' version key",
                              hint: "give the API's OpenAPI document (FastAPI serves it at /openapi.json)")
        }
        guard version.hasPrefix("3.") else {
            throw ConfigError(at, "OpenAPI \(version) is not supported: stagetop reads OpenAPI 3.0 and 3.1")
        }
        guard let paths = top["paths"] as? [String: Any] else {
            throw ConfigError(at, "the document has no 'paths' mapping", hint: "an OpenAPI document lists its routes under paths:")
        }
        let components = top["components"] as? [String: Any] ?? [:]
        var spec = OpenAPISpec(
            version: version, title: (top["info"] as? [String: Any])?["title"].flatMap(scalar),
            serverURL: serverURL(top["servers"]), operations: [], securitySchemes: [:],
            tagOrder: (top["tags"] as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["name"].flatMap(scalar) })
        for (name, value) in components["securitySchemes"] as? [String: Any] ?? [:] {
            guard let m = resolve(value, components: components) else { continue }
            spec.securitySchemes[name] = SecurityScheme(
                type: m["type"].flatMap(scalar) ?? "", scheme: m["scheme"].flatMap(scalar),
                location: m["in"].flatMap(scalar), name: m["name"].flatMap(scalar))
        }
        let global = requirement(top["security"])
        for (path, value) in orderedPaths(paths, text: text) {
            guard let item = resolve(value, components: components) else { continue }
            let shared = item["parameters"] as? [Any] ?? []
            for method in methods {
                guard let op = item[method] as? [String: Any] else { continue }
                spec.operations.append(operation(method, path: path, op, shared: shared, global: global, components: components))
            }
        }
        return spec
    }

    private static func operation(_ method: String, path: String, _ op: [String: Any], shared: [Any],
                                  global: [String]?, components: [String: Any]) -> Operation {
        // Operation parameters override path-level ones of the same name and place.
        var parameters: [String: (name: String, place: String, required: Bool)] = [:]
        for p in shared + (op["parameters"] as? [Any] ?? []) {
            guard let m = resolve(p, components: components), let name = m["name"].flatMap(scalar) else { continue }
            let place = m["in"].flatMap(scalar) ?? "query"
            parameters["\(place) \(name)"] = (name, place, place == "path" || bool(m["required"]))
        }
        var required = parameters.values.filter { $0.required }.map { "\($0.name) (\($0.place))" }.sorted()
        // A template segment the document forgot to declare is still required.
        for segment in path.split(separator: "/") where segment.contains("{") {
            let name = segment.drop { $0 != "{" }.dropFirst().prefix { $0 != "}" }
            if !required.contains("\(name) (path)") { required.append("\(name) (path)") }
        }
        var successStatus: Int?
        var content: [String] = []
        let responses = op["responses"] as? [String: Any] ?? [:]
        for key in responses.keys.sorted() {
            guard let code = Int(key), (200..<300).contains(code), successStatus == nil || code < successStatus! else { continue }
            successStatus = code
            content = ((resolve(responses[key]!, components: components)?["content"]) as? [String: Any] ?? [:]).keys.sorted()
        }
        return Operation(
            method: method.uppercased(), path: path, operationID: op["operationId"].flatMap(scalar),
            tags: (op["tags"] as? [Any] ?? []).compactMap(scalar), requiredParameters: required,
            security: requirement(op["security"]) ?? global ?? [], successStatus: successStatus,
            successContent: content, deprecated: bool(op["deprecated"]))
    }

    /// A `security` list as the scheme names a request must satisfy: nil when absent (inherit), empty when
    /// empty or when one alternative is `{}` (anonymous allowed), else the first alternative's names.
    private static func requirement(_ value: Any?) -> [String]? {
        guard let list = value as? [Any] else { return nil }
        let alternatives = list.compactMap { $0 as? [String: Any] }
        if alternatives.isEmpty || alternatives.contains(where: \.isEmpty) { return [] }
        return alternatives[0].keys.sorted()
    }

    /// `servers[0].url` with each `{name}` replaced by its variable's default.
    private static func serverURL(_ value: Any?) -> String? {
        guard let first = (value as? [Any])?.first as? [String: Any], var url = first["url"].flatMap(scalar) else { return nil }
        for (name, v) in first["variables"] as? [String: Any] ?? [:] {
            if let d = (v as? [String: Any])?["default"].flatMap(scalar) { url = url.replacingOccurrences(of: "{\(name)}", with: d) }
        }
        return url
    }

    /// Follows a local `$ref` (`#/components/parameters/Limit`), a few levels deep at most.
    private static func resolve(_ value: Any, components: [String: Any], depth: Int = 0) -> [String: Any]? {
        guard let m = value as? [String: Any] else { return nil }
        guard let ref = m["$ref"].flatMap(scalar) else { return m }
        guard depth < 8, ref.hasPrefix("#/components/") else { return nil }
        var node: Any? = components
        for part in ref.dropFirst("#/components/".count).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = (node as? [String: Any])?[key]
        }
        return node.flatMap { resolve($0, components: components, depth: depth + 1) }
    }

    /// The document as plain values: JSON through Foundation, anything else through Yams (YAML).
    private static func root(_ text: String, source: String) throws(ConfigError) -> [String: Any] {
        let at = SourceLocation(file: source, line: 1, column: 1)
        let value: Any?
        if let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" {
            do { value = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
                throw ConfigError(at, "not valid JSON: \(Self.reason(error))")
            }
        } else {
            do { value = try Yams.load(yaml: text) } catch let e as YamlError {
                let located = ConfigLoader.yamlError(e, file: source)
                throw ConfigError(located.location, located.message.replacingOccurrences(of: "invalid YAML", with: "not valid YAML"))
            } catch {
                throw ConfigError(at, "not valid YAML: \(error)")
            }
        }
        guard let top = value.map(normalise) as? [String: Any] else {
            throw ConfigError(at, "not an OpenAPI document: it is not a mapping with an 'openapi' key")
        }
        return top
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? error.localizedDescription
    }

    /// YAML reads `200:` as a number key and `openapi: 3.0` as a number: keys become strings, so responses
    /// and paths read the same from YAML and JSON.
    private static func normalise(_ value: Any) -> Any {
        switch value {
        case let m as [String: Any]: return m.mapValues(normalise)
        case let m as [AnyHashable: Any]:
            var out: [String: Any] = [:]
            for (k, v) in m { out["\(k.base)"] = normalise(v) }
            return out
        case let a as [Any]: return a.map(normalise)
        default: return value
        }
    }

    /// A scalar as text (a YAML `openapi: 3.1` is a number; `operationId: 123` too).
    static func scalar(_ value: Any) -> String? {
        switch value {
        case let s as String: s
        case let b as Bool: String(b)
        case let i as Int: String(i)
        case let d as Double: String(d)
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }

    private static func bool(_ value: Any?) -> Bool {
        switch value {
        case let b as Bool: b
        case let s as String: s.lowercased() == "true"
        default: false
        }
    }

    /// The paths in the order the text writes them (Foundation's JSON objects and Yams's mappings are
    /// dictionaries): each key's first appearance as a key after `paths`, so the generated probes follow
    /// the document. Keys not found go last, sorted.
    private static func orderedPaths(_ paths: [String: Any], text: String) -> [(String, Any)] {
        let from = (text.range(of: "\"paths\"") ?? text.range(of: "paths:"))?.upperBound ?? text.startIndex
        var position: [String: String.Index] = [:]
        for key in paths.keys {
            for form in ["\"\(key)\"", "'\(key)'", key] {
                var start = from
                while position[key] == nil, let r = text.range(of: form, range: start..<text.endIndex) {
                    start = r.upperBound
                    // A plain key must stand alone (`/api/health:` is not `/health:`), and be followed by `:`.
                    let before = r.lowerBound > text.startIndex ? text[text.index(before: r.lowerBound)] : "\n"
                    let after = text[r.upperBound...].drop { $0 == " " }.first
                    if after == ":", form != key || before.isWhitespace || before == "{" || before == "," {
                        position[key] = r.lowerBound
                    }
                }
                if position[key] != nil { break }
            }
        }
        return paths.keys.sorted { a, b in
            switch (position[a], position[b]) {
            case let (x?, y?): x == y ? a < b : x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a < b
            }
        }.map { ($0, paths[$0]!) }
    }
}
