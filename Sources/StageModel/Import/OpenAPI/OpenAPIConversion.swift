import Foundation

/// `stagetop init --openapi`: a starter config from an OpenAPI document. One probe per GET operation a
/// request can reach as written (no required parameter), named from its `operationId`, grouped by its first
/// tag, with `auth: bearer` where the operation (or the document) requires a bearer-like scheme, and
/// `[STATUS] == <its 2xx>`. Everything else is listed, in the output's comments and in `skipped` for stderr,
/// never dropped silently: a POST or DELETE changes state, an `{id}` needs an id that exists.
public struct OpenAPIConversion: Sendable {
    /// The stagetop config, YAML with comments.
    public var text: String
    /// One line per operation left out: "POST /api/threads (post_api_threads): not a GET — …".
    public var skipped: [String]
    /// Every `${VAR}` the output reads, with a stand-in value, for checking that it loads.
    public var standIns: [String: String]
    public var probes: Int

    /// The token variable the output reads, as the starter config (`stagetop init`) does.
    public static let tokenVariable = "STAGING_JWT"

    /// - Parameters:
    ///   - source: the file or URL the document came from, for messages and the header comment.
    ///   - baseURL: `--base-url`; else the document's `servers[0].url` (resolved against `documentURL`
    ///     when relative), else `documentURL`'s origin.
    ///   - documentURL: set when the document was fetched over HTTP(S); it is also written as
    ///     `target.openapi`, so every `check` compares the probes with the API deployed at the time.
    public static func convert(_ spec: OpenAPISpec, source: String, baseURL: String?, documentURL: String?)
        throws(ConfigError) -> OpenAPIConversion
    {
        var builder = Builder(spec: spec, source: source)
        return try builder.build(baseURL: baseURL, documentURL: documentURL)
    }
}

private struct Builder {
    let spec: OpenAPISpec
    let source: String
    var skipped: [String] = []
    var names: Set<String> = []

    init(spec: OpenAPISpec, source: String) { self.spec = spec; self.source = source }

    var at: SourceLocation { SourceLocation(file: source, line: 1, column: 1) }

    mutating func build(baseURL given: String?, documentURL: String?) throws(ConfigError) -> OpenAPIConversion {
        guard spec.operations.contains(where: { $0.method == "GET" }) else {
            throw ConfigError(at, "the document has no GET operation to probe (\(spec.operations.count) operation\(spec.operations.count == 1 ? "" : "s"), none a GET)",
                              hint: "stagetop init --openapi writes one probe per GET without required parameters; write other probes by hand")
        }
        let base = try baseURL(given, documentURL: documentURL)
        // Probes grouped by tag, in the document's tag order (then first use), paths in document order within.
        var groups: [String] = spec.tagOrder
        for op in spec.operations { if let tag = op.tags.first, !groups.contains(tag) { groups.append(tag) } }
        var written: [(group: String, lines: [String])] = []
        var usesToken = false
        for op in spec.operations {
            guard let why = reasonToSkip(op) else {
                let lines = probe(op)
                if op.security.contains(where: { spec.securitySchemes[$0]?.isBearer ?? false }) { usesToken = true }
                written.append((op.tags.first ?? "", lines))
                continue
            }
            skipped.append("\(label(op)): \(why)")
        }
        guard !written.isEmpty else {
            throw ConfigError(at, "no GET operation can be probed as written: every one needs a parameter or credentials stagetop cannot fill in",
                              hint: skipped.joined(separator: "; "))
        }
        // Stable: the document's order within a group.
        written = written.enumerated().sorted { a, b in
            let x = groups.firstIndex(of: a.element.group) ?? groups.count
            let y = groups.firstIndex(of: b.element.group) ?? groups.count
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)

        let title = spec.title.map { " (\($0))" } ?? ""
        var out = [
            "# stagetop config from the OpenAPI \(spec.version) document \(source)\(title), by `stagetop init --openapi`.",
            "# One probe per GET operation that needs no parameter; each expects its documented 2xx status. Add",
            "# conditions on the bodies, and probes for the operations below, by hand (docs/config.md).",
        ]
        if !skipped.isEmpty {
            out.append("#")
            out.append("# Skipped (\(skipped.count)):")
            out += skipped.map { "#   - \($0)" }
        }
        out += ["name: \(quote(spec.title.map(Self.slug) ?? "staging"))", "target:", "  base_url: \(quote(base))"]
        if let documentURL {
            out.append("  openapi: \(quote(documentURL))   # route drift: probes the deployed API lacks say so (docs/config.md)")
        } else {
            out.append("  # openapi: https://api.staging.example.com/openapi.json   # route drift against the deployed API (docs/config.md)")
        }
        if usesToken {
            out += ["auth:", "  token: ${\(OpenAPIConversion.tokenVariable)}            # never displayed, logged or written to a report"]
        }
        out += ["defaults:", "  interval: 30s", "  timeout: 5s", "", "probes:"]
        var lastGroup: String?
        for (group, lines) in written {
            if group != lastGroup {
                out.append("  # --- \(group.isEmpty ? "untagged" : group) " + String(repeating: "-", count: max(3, 60 - group.count)))
                lastGroup = group
            }
            out += lines
        }
        return OpenAPIConversion(
            text: out.joined(separator: "\n") + "\n", skipped: skipped,
            standIns: usesToken ? [OpenAPIConversion.tokenVariable: "stand-in"] : [:], probes: written.count)
    }

    /// Why an operation gets no probe, or nil when it gets one.
    func reasonToSkip(_ op: OpenAPISpec.Operation) -> String? {
        if op.method != "GET" {
            return "not a GET — a \(op.method) changes state, so it is not probed blindly; write it by hand"
        }
        if Self.isWebSocket(op) {
            return "a WebSocket route — write a websocket probe (docs/config.md#websocket)"
        }
        if !op.requiredParameters.isEmpty {
            return "needs \(op.requiredParameters.joined(separator: ", ")) — write it by hand with a value that exists"
        }
        let unusable = op.security.filter { !(spec.securitySchemes[$0]?.isBearer ?? false) }
        if !unusable.isEmpty, !op.security.isEmpty {
            let what = unusable.map { name in
                spec.securitySchemes[name].map { s in s.type + (s.scheme.map { " \($0)" } ?? "") + (s.name.map { " (\(s.location ?? "header") \($0))" } ?? "") } ?? "undefined scheme"
            }
            return "secured by \(unusable.joined(separator: ", ")) (\(what.joined(separator: ", "))) — stagetop sends bearer tokens; add the credential as a header by hand"
        }
        return nil
    }

    /// `/ws`, `/…/websocket`, or an operation that answers 101 Switching Protocols.
    static func isWebSocket(_ op: OpenAPISpec.Operation) -> Bool {
        let last = op.path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        return ["ws", "websocket", "websockets"].contains(last) || op.successStatus == 101
    }

    mutating func probe(_ op: OpenAPISpec.Operation) -> [String] {
        var name = op.operationID.map(Self.slug) ?? ""
        if name.isEmpty { name = Self.slug(op.method.lowercased() + op.path) }
        if name.isEmpty { name = "root" }
        var unique = name, n = 2
        while names.contains(unique) { unique = "\(name)_\(n)"; n += 1 }
        names.insert(unique)

        let bearer = op.security.contains { spec.securitySchemes[$0]?.isBearer ?? false }
        let status = op.successStatus ?? 200
        var lines = ["  - name: \(quote(unique))"]
        if let tag = op.tags.first { lines.append("    group: \(quote(tag))") }
        if op.deprecated { lines.append("    # deprecated in the document") }
        let auth = bearer ? ", auth: bearer" : ""
        if op.successContent.contains("text/event-stream") {
            // An event stream: an http probe would wait for a body that may never end. The limits are the
            // reports' (first byte 3 s, gap 3 s, done in 20 s): a guess to tune.
            lines.append("    stream: { path: \(quote(op.path))\(auth), first_byte_within: 3s, max_gap: 3s, finish_within: 20s }")
        } else {
            lines.append("    http: { path: \(quote(op.path))\(auth) }")
        }
        lines.append("    conditions: [\(quote("[STATUS] == \(status)"))]")
        return lines
    }

    func baseURL(_ given: String?, documentURL: String?) throws(ConfigError) -> String {
        if let given { return given.hasSuffix("/") ? String(given.dropLast()) : given }
        if let server = spec.serverURL, !server.isEmpty {
            if server.hasPrefix("http://") || server.hasPrefix("https://") { return Self.trimmed(server) }
            // A relative server URL (`/api/v1`) is relative to where the document came from.
            if let documentURL, let resolved = URL(string: server, relativeTo: URL(string: documentURL))?.absoluteString {
                return Self.trimmed(resolved)
            }
            throw ConfigError(at, "the document's server URL '\(server)' is relative and the document was read from a file",
                              hint: "give the staging's URL with --base-url https://api.staging.example.com")
        }
        if let documentURL, let origin = TargetConfig.origin(of: documentURL) { return origin }
        throw ConfigError(at, "the document names no server (servers[0].url) and was read from a file",
                          hint: "give the staging's URL with --base-url https://api.staging.example.com")
    }

    func label(_ op: OpenAPISpec.Operation) -> String {
        "\(op.method) \(op.path)" + (op.operationID.map { " (\($0))" } ?? "")
    }

    static func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/"), u.count > "https://x".count { u.removeLast() }
        return u
    }

    /// One word of letters, digits and `_`: what a probe name may be and what reads well in a table.
    static func slug(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "." { out.append(ch) }
            else if out.last != "_" { out.append("_") }
        }
        while out.hasPrefix("_") { out.removeFirst() }
        while out.hasSuffix("_") { out.removeLast() }
        return out
    }

    func quote(_ s: String) -> String {
        var out = ""
        JSONValue.quote(s, into: &out)
        return out
    }
}
