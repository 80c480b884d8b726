import Foundation

/// `journey:` — ordered steps, each an http, websocket or stream request, carrying values captured from
/// one step into the next as `{{name}}` (docs/config.md, "journey").
public struct JourneyProbeSpec: Sendable {
    public var steps: [JourneyStep]
    public init(steps: [JourneyStep]) { self.steps = steps }
}

/// One step of a journey: a request of an existing kind, what to take from its answer, what must hold.
public struct JourneyStep: Sendable {
    public var name: String
    public var body: JourneyStepBody
    public var captures: [Capture]
    /// Conditions as written; `{{name}}` in them is filled before they are parsed again at run time.
    public var conditions: [Condition]
    public var location: SourceLocation?

    public init(name: String, body: JourneyStepBody, captures: [Capture] = [], conditions: [Condition] = [],
                location: SourceLocation? = nil) {
        self.name = name; self.body = body; self.captures = captures; self.conditions = conditions; self.location = location
    }
}

/// The kinds a step may be. A burst measures parallelism and has no single answer to capture from, so it
/// is not one of them.
public enum JourneyStepBody: Sendable {
    case http(HTTPProbeSpec)
    case websocket(WebSocketProbeSpec)
    case stream(StreamProbeSpec)

    public var kind: ProbeKind {
        switch self {
        case .http: .http
        case .websocket: .websocket
        case .stream: .stream
        }
    }

    /// The step as a probe body of its own kind, to run through that kind's runner.
    public var probeBody: ProbeBody {
        switch self {
        case .http(let s): .http(s)
        case .websocket(let s): .websocket(s)
        case .stream(let s): .stream(s)
        }
    }

    var kindSpec: any ProbeKindSpec { probeBody.kindSpec }
}

/// `capture: { thread_id: "[BODY].id" }`: a value a later step uses as `{{thread_id}}`.
public struct Capture: Sendable, Equatable {
    public var name: String
    /// A placeholder: `[BODY].a.b`, `[HEADER].Location`, `[STATUS]`, …
    public var expr: ConditionExpr
    /// As written, for messages.
    public var source: String
    /// Taken from a token-like field or header: masked everywhere the value could show, as `auth.token` is.
    public var secret: Bool

    public init(name: String, expr: ConditionExpr, source: String, secret: Bool) {
        self.name = name; self.expr = expr; self.source = source; self.secret = secret
    }

    /// Field and header names whose values are credentials (`access_token`, `Set-Cookie`, `X-Api-Key`).
    static func looksSecret(_ expr: ConditionExpr) -> Bool {
        guard case .placeholder(let p, let path) = expr, p == .body || p == .header else { return false }
        let parts: [Substring] = path.split(whereSeparator: { (c: Character) -> Bool in c == "." || c == "[" })
        let last: String = parts.last.map { (s: Substring) -> String in String(s) }?.lowercased() ?? ""
        if last == "key" || last.hasSuffix("_key") || last.hasSuffix("-key") { return true }
        for word in secretWords where last.contains(word) { return true }
        return false
    }

    static let secretWords: [String] = ["token", "secret", "password", "passwd", "authorization", "cookie", "session", "jwt",
                                        "bearer", "credential", "apikey", "api_key", "api-key", "private"]
}
