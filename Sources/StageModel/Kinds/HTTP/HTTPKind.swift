/// `http:` — one request, judged by status and conditions (docs/config.md, "http").
extension HTTPProbeSpec: ConfigParsableKind {
    public static var kind: ProbeKind { .http }
    public static var urlSchemes: [String] { ["http", "https"] }

    static func parse(_ block: YNode, probe: String, fields: ConfigFields) throws(ConfigError) -> HTTPProbeSpec {
        let m = try block.mapping("http of '\(probe)'", allowed: ["method", "path", "headers", "body", "follow_redirects", "auth", "max_body_bytes"])
        var s = HTTPProbeSpec(path: try fields.path(m, probe: probe))
        s.method = try fields.method(m["method"], default: "GET")
        s.headers = try m["headers"].map { h throws(ConfigError) in try fields.headers(h, "headers") } ?? []
        s.body = try m["body"].map { b throws(ConfigError) in try fields.body(b) }
        s.followRedirects = try m["follow_redirects"].map { f throws(ConfigError) in try f.bool("follow_redirects") } ?? false
        s.auth = try fields.httpAuth(m["auth"])
        if let mb = m["max_body_bytes"] { s.maxBodyBytes = try mb.int("max_body_bytes", min: 0, max: 64 << 20) }
        return s
    }

    public var usesToken: Bool { auth == .bearer }

    public var targetDescription: String { "\(method) \(path)" }

    public func reproRequest(target: TargetConfig) -> ReproRequest {
        ReproRequest(url: target.url(for: path), method: method, headers: headers, bearer: auth == .bearer, body: body, follow: followRedirects)
    }
}
