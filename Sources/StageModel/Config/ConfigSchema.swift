import Foundation

/// A duration as written in the config ("250ms", "5s", "2m"), kept in seconds.
public struct Duration: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }
    public static func ms(_ v: Double) -> Duration { Duration(seconds: v / 1000) }
    public static func s(_ v: Double) -> Duration { Duration(seconds: v) }

    public var milliseconds: Double { seconds * 1000 }
    public static func < (a: Duration, b: Duration) -> Bool { a.seconds < b.seconds }

    public var description: String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds.truncatingRemainder(dividingBy: 60) == 0 && seconds >= 60 { return "\(Int(seconds / 60))m" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return String(format: "%.1fs", seconds)
    }
}

/// Header lists keep their written order (it is what a user reads back in the detail view).
public typealias HeaderList = [(name: String, value: String)]

public struct TLSSettings: Sendable, Equatable {
    /// PEM file of the CAs to trust instead of the system's (checked at load: exists, readable, PEM).
    public var caFile: String?
    public var insecure: Bool
    /// The name TLS speaks (SNI) and checks the certificate against, and the HTTP Host, while connecting to
    /// the URL's host (curl --connect-to). Nil: the URL's host.
    public var serverName: String?
    public init(caFile: String? = nil, insecure: Bool = false, serverName: String? = nil) {
        self.caFile = caFile; self.insecure = insecure; self.serverName = serverName
    }
}

/// `target.openapi` (or `--openapi`): where the deployed API's OpenAPI document is, for route drift.
public struct OpenAPILocation: Sendable, Equatable {
    /// An http(s) URL, or a file path (a relative one already resolved against the config file's folder).
    public var value: String
    public var isURL: Bool
    /// Where the config sets it; nil when it came from the command line.
    public var setAt: SourceLocation?

    public init(value: String, isURL: Bool, setAt: SourceLocation? = nil) {
        self.value = value; self.isURL = isURL; self.setAt = setAt
    }
}

public struct TargetConfig: Sendable {
    public var baseURL: String
    public var wsURL: String?
    public var headers: HeaderList
    public var tls: TLSSettings
    /// curl --resolve entries, "host:port:address".
    public var resolve: [String]
    /// The deployed API's OpenAPI document (`target.openapi`), read once when a command starts.
    public var openapi: OpenAPILocation?

    public init(baseURL: String, wsURL: String? = nil, headers: HeaderList = [], tls: TLSSettings = TLSSettings(), resolve: [String] = []) {
        self.baseURL = baseURL; self.wsURL = wsURL; self.headers = headers; self.tls = tls; self.resolve = resolve
    }

    /// ws_url, or base_url with the ws(s) scheme and /ws appended (docs/config.md, "target").
    public var effectiveWSURL: String {
        if let wsURL { return wsURL }
        var base = baseURL
        if base.hasPrefix("https://") { base = "wss://" + base.dropFirst("https://".count) }
        else if base.hasPrefix("http://") { base = "ws://" + base.dropFirst("http://".count) }
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/ws"
    }

    /// `https://api.example.com:8443` of a URL: its scheme, host and port as written (so it is a prefix of
    /// the URL); nil when it has none.
    public static func origin(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let host = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return host.isEmpty ? nil : String(url[..<scheme.upperBound] + host)
    }

    /// Joins a probe path onto base_url; a full http(s):// URL is used as is.
    public func url(for path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }
}

public struct LoginConfig: Sendable {
    public var method: String
    public var path: String
    public var headers: HeaderList
    /// JSON body, already serialised.
    public var body: String?
    public var tokenPath: String

    public init(method: String = "POST", path: String, headers: HeaderList = [], body: String? = nil, tokenPath: String = "access_token") {
        self.method = method; self.path = path; self.headers = headers; self.body = body; self.tokenPath = tokenPath
    }
}

public struct AuthConfig: Sendable {
    /// The expanded token. Never displayed, logged or written to a report.
    public var token: Secret?
    /// The token as written ("${STAGING_JWT}"), which is what repro commands show.
    public var tokenSource: String?
    public var login: LoginConfig?

    public init(token: Secret? = nil, tokenSource: String? = nil, login: LoginConfig? = nil) {
        self.token = token; self.tokenSource = tokenSource; self.login = login
    }
}

/// A secret string whose description never shows its value, so it cannot leak through interpolation.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

public enum HTTPAuthMode: String, Sendable, Equatable {
    case none, bearer
}

/// Where a thing was written in the config, for error messages and the detail view.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

public struct ProbeSpec: Sendable {
    public var name: String
    public var group: String
    public var body: ProbeBody
    public var conditions: [Condition]
    public var interval: Duration
    public var timeout: Duration
    public var enabled: Bool
    public var location: SourceLocation?
    /// The probe's own `tls:` merged over `target.tls` (nil: the target's).
    public var tls: TLSSettings?
    /// Which of the config's `alerts:` this probe triggers.
    public var alerts: ProbeAlerting = .all

    public init(name: String, group: String = "", body: ProbeBody, conditions: [Condition] = [],
                interval: Duration = .s(10), timeout: Duration = .s(5), enabled: Bool = true, location: SourceLocation? = nil) {
        self.name = name; self.group = group; self.body = body; self.conditions = conditions
        self.interval = interval; self.timeout = timeout; self.enabled = enabled; self.location = location
    }

    public var kind: ProbeKind { body.kind }
    /// The TLS settings this probe connects with.
    public func tls(_ target: TargetConfig) -> TLSSettings { tls ?? target.tls }
    /// Whether a run needs the session's token.
    public var usesToken: Bool { body.usesToken }
}

public struct Defaults: Sendable {
    public var interval: Duration
    public var timeout: Duration
    /// Probe runs in flight at once (`defaults.max_in_flight`): past it runs wait, and the wait is reported
    /// as queue time, never as the server's latency.
    public var maxInFlight: Int
    /// 16: more at once queue at a small server and in our own curl thread, and read as the server's
    /// latency (`check` of 1,000 probes on two cores, five runs: a median of 1.1–1.7 ms at 64 in flight,
    /// 0.36–0.52 ms at 16, beside curl's 0.4–0.9 ms alone; README, Performance, Scale). A held WebSocket holds
    /// a slot only for its first run (its first connection); later runs read its state.
    public static let standardMaxInFlight = 16
    public init(interval: Duration = .s(10), timeout: Duration = .s(5), maxInFlight: Int = Defaults.standardMaxInFlight) {
        self.interval = interval; self.timeout = timeout; self.maxInFlight = maxInFlight
    }
}

public struct StageConfig: Sendable {
    public var name: String
    public var target: TargetConfig
    public var auth: AuthConfig
    public var defaults: Defaults
    public var probes: [ProbeSpec]
    /// The file it was loaded from ("<inline>" for strings).
    public var path: String
    /// Environment variables the config expanded whose values are secrets (by name, or because they
    /// are the token): masked in every output, written as `$NAME` in repro lines.
    public var secretVariables: [(name: String, value: String)] = []
    /// Set when `--only`/`--skip` left part of the config out (`ProbeSelection.apply`).
    public var subset: ProbeSubset?
    /// `alerts:`: where the agent sends state changes.
    public var alerts: [AlertSpec] = []
    /// The probes the deployed API's OpenAPI document lacks: set when a command starts (never by the loader),
    /// applied to every result by the session.
    public var routeDrift: RouteDrift?

    public init(name: String, target: TargetConfig, auth: AuthConfig = AuthConfig(), defaults: Defaults = Defaults(), probes: [ProbeSpec], path: String = "<inline>") {
        self.name = name; self.target = target; self.auth = auth; self.defaults = defaults; self.probes = probes; self.path = path
    }

    /// Every value that must never be shown: the token and the secret variables' values.
    public var secrets: [String] {
        [auth.token?.value].compactMap { $0 } + secretVariables.map(\.value)
    }
}
