/// The kind of a probe: its tag in results, recordings and reports, and its key in the config
/// (`http:`, `websocket:`, `stream:`, `burst:`, `journey:`).
///
/// Adding a case is how a new kind starts: every exhaustive switch over `ProbeKind` and `ProbeBody`
/// (config parsing here, the runners in StageProbes, the detail view in StageUI, report and recording
/// fields in StageReports) then fails to compile until the kind has each part. docs/architecture.md
/// walks through it.
public enum ProbeKind: String, Codable, Sendable, CaseIterable {
    case http, websocket, stream, burst, journey
}

/// What every probe kind's spec tells the rest of the model. Conforming types live one per folder in
/// `Kinds/<Kind>/`, with their YAML parsing (`ConfigParsableKind`).
public protocol ProbeKindSpec: Sendable {
    /// The tag this spec belongs to.
    static var kind: ProbeKind { get }
    /// The URL schemes its final URL may have (checked at load).
    static var urlSchemes: [String] { get }
    /// Whether a run needs the session's token (`auth.token` or `auth.login` must then be configured).
    var usesToken: Bool { get }
    /// The table's target column: "GET /api/health", "WS /ws", "50× GET /api/health".
    var targetDescription: String { get }
    /// The request as a person would reproduce it (the detail view's URL, headers and curl line).
    func reproRequest(target: TargetConfig) -> ReproRequest
    /// Whether probe-level `conditions:` apply (a journey's conditions belong to its steps).
    static var takesProbeConditions: Bool { get }
    /// The URLs the probe will use, checked at load (one per request the probe makes).
    func urlChecks(target: TargetConfig) -> [URLToCheck]
}

extension ProbeKindSpec {
    public static var takesProbeConditions: Bool { true }
    public func urlChecks(target: TargetConfig) -> [URLToCheck] {
        [URLToCheck(url: reproRequest(target: target).url, schemes: Self.urlSchemes)]
    }
}

/// A URL a probe will request, with where it was written when that is not the probe's `path:`.
public struct URLToCheck: Sendable {
    public var url: String
    public var schemes: [String]
    public var location: SourceLocation?
    /// Whose URL it is in the message ("step 'read'"); nil for the probe's own.
    public var what: String?
    public init(url: String, schemes: [String], location: SourceLocation? = nil, what: String? = nil) {
        self.url = url; self.schemes = schemes; self.location = location; self.what = what
    }
}

/// How a kind's config block (`http: {…}`) becomes its spec. Internal, because the YAML nodes are.
protocol ConfigParsableKind: ProbeKindSpec {
    /// - Parameters:
    ///   - block: the mapping under the kind's key.
    ///   - probe: the probe's name, for messages.
    static func parse(_ block: YNode, probe: String, fields: ConfigFields) throws(ConfigError) -> Self
}
