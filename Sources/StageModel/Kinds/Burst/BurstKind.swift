/// `burst:` — N requests in a window, judged on the statuses together (docs/config.md, "burst").
extension BurstProbeSpec: ConfigParsableKind {
    public static var kind: ProbeKind { .burst }
    public static var urlSchemes: [String] { ["http", "https"] }

    static func parse(_ block: YNode, probe: String, fields: ConfigFields) throws(ConfigError) -> BurstProbeSpec {
        let m = try block.mapping("burst of '\(probe)'", allowed: ["method", "path", "headers", "auth", "requests", "within"])
        let requests = try m.required("requests").int("requests", min: 1, max: 100_000)
        let within = try m.required("within").duration("within")
        var s = BurstProbeSpec(path: try fields.path(m, probe: probe), requests: requests, within: within)
        s.method = try fields.method(m["method"], default: "GET")
        s.headers = try m["headers"].map { h throws(ConfigError) in try fields.headers(h, "headers") } ?? []
        s.auth = try fields.httpAuth(m["auth"])
        return s
    }

    public var usesToken: Bool { auth == .bearer }

    public var targetDescription: String { "\(requests)× \(method) \(path)" }

    public func reproRequest(target: TargetConfig) -> ReproRequest {
        ReproRequest(url: target.url(for: path), method: method, headers: headers, bearer: auth == .bearer)
    }
}
