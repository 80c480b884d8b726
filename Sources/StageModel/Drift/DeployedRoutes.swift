import Foundation

/// The HTTP operations a deployed API's OpenAPI document has, as full URL paths: the document's paths sit
/// under its server's path (`servers[0].url`; none: `/`), and a probe's path sits under `base_url`'s, so
/// the two are compared whole. A `{name}` in a template matches one non-empty segment; one trailing slash
/// and the query are ignored. `HEAD` counts as there when `GET` is (Starlette and most frameworks answer
/// it), `OPTIONS` when the path has any operation (CORS preflights).
public struct DeployedRoutes: Sendable {
    /// Where the document came from (a URL or a file), for messages.
    public let source: String
    /// How many operations the document lists.
    public var count: Int { routes.count }
    private let routes: [(method: String, segments: [Segment])]

    enum Segment: Sendable {
        case literal(String)
        /// A segment with `{…}` in it: the literal parts in order, each `{…}` at least one character.
        case template([String])

        func matches(_ s: Substring) -> Bool {
            switch self {
            case .literal(let l): return l == s
            case .template(let parts): return Self.matches(s, parts[...])
            }
        }

        /// `parts` are the literals around the `{…}`s: the first must start `s`, and each `{…}` takes at
        /// least one character before the next literal (tried at every length: `{a}-{b}` against `x-y-z`).
        private static func matches(_ s: Substring, _ parts: ArraySlice<String>) -> Bool {
            guard let literal = parts.first, s.hasPrefix(literal) else { return false }
            let rest = s.dropFirst(literal.count)
            let next = parts.dropFirst()
            if next.isEmpty { return rest.isEmpty }
            var i = rest.startIndex
            while i < rest.endIndex {
                i = rest.index(after: i)
                if matches(rest[i...], next) { return true }
            }
            return false
        }
    }

    /// - Parameter documentURL: where the document was fetched from, to resolve a relative server URL.
    public init(spec: OpenAPISpec, source: String, documentURL: String? = nil) {
        self.source = source
        let prefix = Self.serverPath(spec.serverURL, documentURL: documentURL)
        routes = spec.operations.map { op in
            (op.method, Self.segments(prefix + op.path).map(Self.segment))
        }
    }

    /// Whether a request `method` to the URL path `path` (query ignored) meets an operation of the document.
    public func has(method: String, path: String) -> Bool {
        let wanted = Self.segments(path)
        let method = method.uppercased()
        func pathMatches(_ route: (method: String, segments: [Segment])) -> Bool {
            route.segments.count == wanted.count && zip(route.segments, wanted).allSatisfy { $0.matches($1) }
        }
        return routes.contains { route in
            let sameMethod = route.method == method || (method == "HEAD" && route.method == "GET") || method == "OPTIONS"
            return sameMethod && pathMatches(route)
        }
    }

    /// `/api//threads/` → `["api", "", "threads"]`: empty inner segments count, the trailing slash does not.
    static func segments(_ path: String) -> [Substring] {
        var p = Substring(path.prefix { $0 != "?" && $0 != "#" })
        if p.hasPrefix("/") { p = p.dropFirst() }
        if p.hasSuffix("/") { p = p.dropLast() }
        return p.isEmpty ? [] : p.split(separator: "/", omittingEmptySubsequences: false)
    }

    static func segment(_ s: Substring) -> Segment {
        guard s.contains("{") else { return .literal(String(s)) }
        var parts: [String] = []
        var literal = ""
        var inBraces = false
        for ch in s {
            if ch == "{" { inBraces = true; parts.append(literal); literal = ""; continue }
            if ch == "}" { inBraces = false; continue }
            if !inBraces { literal.append(ch) }
        }
        parts.append(literal)
        return .template(parts)
    }

    /// The path of `servers[0].url` (`https://api.example.com/v1` → `/v1`; `/v1` → `/v1`), no trailing slash.
    static func serverPath(_ server: String?, documentURL: String?) -> String {
        guard let server, !server.isEmpty else { return "" }
        let base = documentURL.flatMap { URL(string: $0) }
        let path = URL(string: server, relativeTo: base)?.path ?? (server.hasPrefix("/") ? server : "")
        var p = path
        while p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
