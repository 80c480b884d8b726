/// `stream:` — a long response (SSE, chunked) watched for hangs by three limits (docs/config.md, "stream").
extension StreamProbeSpec: ConfigParsableKind {
    public static var kind: ProbeKind { .stream }
    public static var urlSchemes: [String] { ["http", "https"] }

    static func parse(_ block: YNode, probe: String, fields: ConfigFields) throws(ConfigError) -> StreamProbeSpec {
        let m = try block.mapping("stream of '\(probe)'", allowed: ["method", "path", "headers", "body", "auth", "first_byte_within", "max_gap", "finish_within"])
        var s = StreamProbeSpec(path: try fields.path(m, probe: probe))
        s.method = try fields.method(m["method"], default: "GET")
        s.headers = try m["headers"].map { h throws(ConfigError) in try fields.headers(h, "headers") } ?? []
        s.body = try m["body"].map { b throws(ConfigError) in try fields.body(b) }
        s.auth = try fields.httpAuth(m["auth"])
        s.firstByteWithin = try m["first_byte_within"].map { d throws(ConfigError) in try d.duration("first_byte_within") }
        s.maxGap = try m["max_gap"].map { d throws(ConfigError) in try d.duration("max_gap") }
        s.finishWithin = try m["finish_within"].map { d throws(ConfigError) in try d.duration("finish_within") }
        return s
    }

    public var usesToken: Bool { auth == .bearer }

    public var targetDescription: String { "\(method) \(path) (stream)" }

    public func reproRequest(target: TargetConfig) -> ReproRequest {
        ReproRequest(url: target.url(for: path), method: method, headers: headers, bearer: auth == .bearer, body: body, stream: true)
    }
}
