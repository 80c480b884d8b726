import Foundation
import Yams

/// How the loader treats the environment.
public struct ConfigLoadOptions: Sendable {
    public var environment: [String: String]
    /// With `--sim`, an unset token variable is not an error: the simulated staging supplies its own token.
    public var allowMissingToken: Bool
    /// Values for variables the environment does not set (with `--sim`: the sim's E2E bypass key).
    public var fallbacks: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, allowMissingToken: Bool = false,
                fallbacks: [String: String] = [:]) {
        self.environment = environment; self.allowMissingToken = allowMissingToken; self.fallbacks = fallbacks
    }
}

/// Loads the YAML config of SPEC.md. Every problem is a `ConfigError` naming file:line:col.
public enum ConfigLoader {
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    public static func load(path: String, options: ConfigLoadOptions = ConfigLoadOptions()) throws(ConfigError) -> StageConfig {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(SourceLocation(file: path, line: 1, column: 1), "cannot read config: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path, options: options)
    }

    public static func parse(yaml: String, file: String = "<inline>", options: ConfigLoadOptions = ConfigLoadOptions()) throws(ConfigError) -> StageConfig {
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: yaml) else {
                throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "the config is empty", hint: "see examples/staging.yaml")
            }
            root = n
        } catch let e as ConfigError {
            throw e
        } catch let e as YamlError {
            throw yamlError(e, file: file)
        } catch {
            throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)")
        }
        return try Builder(file: file, options: options).config(YNode(node: root, file: file))
    }

    static func yamlError(_ e: YamlError, file: String) -> ConfigError {
        switch e {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _), .composer(let ctx, let problem, let mark, _):
            let extra = ctx.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ConfigError(SourceLocation(file: file, line: mark.line, column: mark.column), "invalid YAML: \(problem)\(extra)")
        case .duplicatedKeysInMapping(let dups, let ctx):
            return ConfigError(SourceLocation(file: file, line: ctx.mark.line, column: ctx.mark.column),
                               "duplicate key \(dups.sorted().joined(separator: ", "))")
        default:
            return ConfigError(SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(e)")
        }
    }
}

private struct Builder {
    let file: String
    let options: ConfigLoadOptions

    func config(_ root: YNode) throws(ConfigError) -> StageConfig {
        let m = try root.mapping("the config", allowed: ["name", "target", "auth", "defaults", "probes"])
        let name = try m["name"].map { n throws(ConfigError) in try n.string("name") } ?? "staging"
        let target = try self.target(try m.required("target"))
        let auth = try m["auth"].map { n throws(ConfigError) in try self.auth(n) } ?? AuthConfig()
        let defaults = try m["defaults"].map { n throws(ConfigError) in try self.defaults(n) } ?? Defaults()
        let probesNode = try m.required("probes")
        var probes: [ProbeSpec] = []
        var seen: [String: SourceLocation] = [:]
        for p in try probesNode.sequence("probes") {
            let spec = try probe(p, defaults: defaults)
            if let first = seen[spec.name] {
                throw p.error("probe name '\(spec.name)' is used twice", hint: "first used at \(first)")
            }
            seen[spec.name] = p.location
            if spec.body.usesToken, auth.token == nil, auth.login == nil, auth.tokenSource == nil {
                throw p.error("probe '\(spec.name)' uses auth but the config has no auth.token or auth.login")
            }
            probes.append(spec)
        }
        if probes.isEmpty { throw probesNode.error("the config has no probes") }
        return StageConfig(name: name, target: target, auth: auth, defaults: defaults, probes: probes, path: file)
    }

    // MARK: target

    func target(_ n: YNode) throws(ConfigError) -> TargetConfig {
        let m = try n.mapping("target", allowed: ["base_url", "ws_url", "headers", "tls", "resolve"])
        let baseNode = try m.required("base_url")
        let base = try expand(baseNode, "target.base_url")
        try checkURL(base, schemes: ["http", "https"], at: baseNode, what: "target.base_url")
        var ws: String?
        if let w = m["ws_url"] {
            ws = try expand(w, "target.ws_url")
            try checkURL(ws!, schemes: ["ws", "wss"], at: w, what: "target.ws_url")
        }
        let headers = try m["headers"].map { h throws(ConfigError) in try self.headers(h, "target.headers") } ?? []
        var tls = TLSSettings()
        if let t = m["tls"] {
            let tm = try t.mapping("target.tls", allowed: ["ca_file", "insecure"])
            tls.caFile = try tm["ca_file"].map { n throws(ConfigError) in try n.string("tls.ca_file") }
            tls.insecure = try tm["insecure"].map { n throws(ConfigError) in try n.bool("tls.insecure") } ?? false
        }
        var resolve: [String] = []
        if let r = m["resolve"] {
            for entry in try r.sequence("target.resolve") {
                let s = try entry.string("a resolve entry")
                let parts = s.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count >= 3, Int(parts[1]) != nil, !parts[0].isEmpty else {
                    throw entry.error("bad resolve entry '\(s)'", hint: "write HOST:PORT:ADDRESS, as curl --resolve takes it")
                }
                resolve.append(s)
            }
        }
        return TargetConfig(baseURL: base, wsURL: ws, headers: headers, tls: tls, resolve: resolve)
    }

    func checkURL(_ s: String, schemes: [String], at n: YNode, what: String) throws(ConfigError) {
        guard let c = URLComponents(string: s), let scheme = c.scheme?.lowercased(), schemes.contains(scheme), c.host?.isEmpty == false else {
            throw n.error("\(what) '\(s)' is not a \(schemes.joined(separator: "/")) URL", hint: "e.g. \(schemes[0])://api.staging.example.com")
        }
    }

    // MARK: auth

    func auth(_ n: YNode) throws(ConfigError) -> AuthConfig {
        let m = try n.mapping("auth", allowed: ["token", "login"])
        var a = AuthConfig()
        if let t = m["token"] {
            let raw = try t.string("auth.token")
            a.tokenSource = raw
            do {
                let v = try expandString(raw, at: t)
                a.token = v.isEmpty ? nil : Secret(v)
            } catch {
                if !options.allowMissingToken { throw error }
            }
        }
        if let l = m["login"] {
            let lm = try l.mapping("auth.login", allowed: ["method", "path", "headers", "body", "token_path"])
            let method = try self.method(lm["method"], default: "POST")
            let path = try lm.required("path").string("auth.login.path")
            let headers = try lm["headers"].map { h throws(ConfigError) in try self.headers(h, "auth.login.headers") } ?? []
            let body = try lm["body"].map { b throws(ConfigError) in try self.body(b) }
            let tokenPath = try lm["token_path"].map { n throws(ConfigError) in try n.string("token_path") } ?? "access_token"
            a.login = LoginConfig(method: method, path: path, headers: headers, body: body, tokenPath: tokenPath)
        }
        return a
    }

    // MARK: defaults

    func defaults(_ n: YNode) throws(ConfigError) -> Defaults {
        let m = try n.mapping("defaults", allowed: ["interval", "timeout"])
        var d = Defaults()
        if let i = m["interval"] { d.interval = try i.duration("defaults.interval") }
        if let t = m["timeout"] { d.timeout = try t.duration("defaults.timeout") }
        return d
    }

    // MARK: probes

    static let kinds = ["http", "websocket", "stream", "burst"]

    func probe(_ n: YNode, defaults: Defaults) throws(ConfigError) -> ProbeSpec {
        let m = try n.mapping("a probe", allowed: ["name", "group", "interval", "timeout", "enabled", "conditions"] + Builder.kinds)
        let nameNode = try m.required("name")
        let name = try nameNode.string("probe name")
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw nameNode.error("probe name '\(name)' must be one word", hint: "use letters, digits, _ . -")
        }
        let kindKeys = Builder.kinds.filter { m.has($0) }
        guard kindKeys.count == 1 else {
            if kindKeys.isEmpty {
                throw n.error("probe '\(name)' says nothing to do", hint: "give exactly one of: http, websocket, stream, burst")
            }
            throw m[kindKeys[1]]!.error("probe '\(name)' has both \(kindKeys[0]) and \(kindKeys[1])", hint: "one kind per probe")
        }
        let kindNode = m[kindKeys[0]]!
        let body: ProbeBody
        switch kindKeys[0] {
        case "http": body = .http(try http(kindNode, probe: name))
        case "websocket": body = .websocket(try websocket(kindNode, probe: name))
        case "stream": body = .stream(try stream(kindNode, probe: name))
        default: body = .burst(try burst(kindNode, probe: name))
        }
        var conditions: [Condition] = []
        if let c = m["conditions"] {
            for cn in try c.sequence("conditions") { conditions.append(try condition(cn)) }
        }
        let interval = try m["interval"].map { i throws(ConfigError) in try i.duration("interval") } ?? defaults.interval
        let timeout = try m["timeout"].map { t throws(ConfigError) in try t.duration("timeout") } ?? defaults.timeout
        let enabled = try m["enabled"].map { e throws(ConfigError) in try e.bool("enabled") } ?? true
        let group = try m["group"].map { g throws(ConfigError) in try g.string("group") } ?? ""
        return ProbeSpec(name: name, group: group, body: body, conditions: conditions, interval: interval,
                         timeout: timeout, enabled: enabled, location: n.location)
    }

    func condition(_ n: YNode) throws(ConfigError) -> Condition {
        let text = try n.string("a condition")
        do {
            return try ConditionParser.parse(text)
        } catch {
            // Point at the character inside the expression, not just the line.
            let loc = SourceLocation(file: file, line: n.location.line, column: n.contentColumn + error.offset)
            throw ConfigError(loc, "bad condition: \(error.message)", hint: error.hint)
        }
    }

    func http(_ n: YNode, probe: String) throws(ConfigError) -> HTTPProbeSpec {
        let m = try n.mapping("http of '\(probe)'", allowed: ["method", "path", "headers", "body", "follow_redirects", "auth", "max_body_bytes"])
        var s = HTTPProbeSpec(path: try path(m, probe: probe))
        s.method = try method(m["method"], default: "GET")
        s.headers = try m["headers"].map { h throws(ConfigError) in try headers(h, "headers") } ?? []
        s.body = try m["body"].map { b throws(ConfigError) in try body(b) }
        s.followRedirects = try m["follow_redirects"].map { f throws(ConfigError) in try f.bool("follow_redirects") } ?? false
        s.auth = try httpAuth(m["auth"])
        if let mb = m["max_body_bytes"] { s.maxBodyBytes = try mb.int("max_body_bytes", min: 0, max: 64 << 20) }
        return s
    }

    func stream(_ n: YNode, probe: String) throws(ConfigError) -> StreamProbeSpec {
        let m = try n.mapping("stream of '\(probe)'", allowed: ["method", "path", "headers", "body", "auth", "first_byte_within", "max_gap", "finish_within"])
        var s = StreamProbeSpec(path: try path(m, probe: probe))
        s.method = try method(m["method"], default: "GET")
        s.headers = try m["headers"].map { h throws(ConfigError) in try headers(h, "headers") } ?? []
        s.body = try m["body"].map { b throws(ConfigError) in try body(b) }
        s.auth = try httpAuth(m["auth"])
        s.firstByteWithin = try m["first_byte_within"].map { d throws(ConfigError) in try d.duration("first_byte_within") }
        s.maxGap = try m["max_gap"].map { d throws(ConfigError) in try d.duration("max_gap") }
        s.finishWithin = try m["finish_within"].map { d throws(ConfigError) in try d.duration("finish_within") }
        return s
    }

    func burst(_ n: YNode, probe: String) throws(ConfigError) -> BurstProbeSpec {
        let m = try n.mapping("burst of '\(probe)'", allowed: ["method", "path", "headers", "auth", "requests", "within"])
        let requests = try m.required("requests").int("requests", min: 1, max: 100_000)
        let within = try m.required("within").duration("within")
        var s = BurstProbeSpec(path: try path(m, probe: probe), requests: requests, within: within)
        s.method = try method(m["method"], default: "GET")
        s.headers = try m["headers"].map { h throws(ConfigError) in try headers(h, "headers") } ?? []
        s.auth = try httpAuth(m["auth"])
        return s
    }

    func websocket(_ n: YNode, probe: String) throws(ConfigError) -> WebSocketProbeSpec {
        let m = try n.mapping("websocket of '\(probe)'", allowed: ["path", "auth", "hold", "ping_interval", "concurrency", "steps"])
        var s = WebSocketProbeSpec()
        if let p = m["path"] { s.path = try p.string("websocket.path") }
        if let a = m["auth"] {
            let v = try a.string("websocket.auth")
            guard let mode = WSAuthMode(rawValue: v) else {
                throw a.error("unknown websocket auth '\(v)'", hint: "one of: subprotocol, bearer, query, none")
            }
            s.auth = mode
        }
        if let h = m["hold"] { s.hold = try h.bool("hold") }
        if let p = m["ping_interval"] { s.pingInterval = try p.duration("ping_interval") }
        if let c = m["concurrency"] { s.concurrency = try c.int("concurrency", min: 1, max: 100_000) }
        if let st = m["steps"] {
            for stepNode in try st.sequence("steps") {
                let sm = try stepNode.mapping("a step", allowed: ["expect", "send", "within"])
                if let e = sm["expect"] {
                    if sm.has("send") { throw stepNode.error("a step is either expect or send, not both") }
                    let em = try e.mapping("expect", allowed: [String](e.mappingKeys))
                    var match: [(key: String, value: JSONValue)] = []
                    for entry in em.entries { match.append((entry.key, try entry.value.json())) }
                    let within = try sm["within"].map { w throws(ConfigError) in try w.duration("within") }
                    s.steps.append(.expect(match: match, within: within))
                } else if let snd = sm["send"] {
                    if sm.has("within") { throw sm["within"]!.error("within applies to expect steps only") }
                    s.steps.append(.send(try snd.json()))
                } else {
                    throw stepNode.error("a step needs expect or send")
                }
            }
        }
        return s
    }

    // MARK: pieces

    func path(_ m: YMap, probe: String) throws(ConfigError) -> String {
        let n = try m.required("path")
        let p = try n.string("path")
        guard p.hasPrefix("/") || p.hasPrefix("http://") || p.hasPrefix("https://") else {
            throw n.error("path '\(p)' must start with / (or be a full http(s) URL)")
        }
        return p
    }

    func method(_ n: YNode?, default d: String) throws(ConfigError) -> String {
        guard let n else { return d }
        let v = try n.string("method").uppercased()
        guard ConfigLoader.methods.contains(v) else {
            throw n.error("unknown HTTP method '\(v)'", hint: "one of: \(ConfigLoader.methods.joined(separator: ", "))")
        }
        return v
    }

    func httpAuth(_ n: YNode?) throws(ConfigError) -> HTTPAuthMode {
        guard let n else { return .none }
        let v = try n.string("auth")
        guard let mode = HTTPAuthMode(rawValue: v) else { throw n.error("unknown auth '\(v)'", hint: "one of: bearer, none") }
        return mode
    }

    func headers(_ n: YNode, _ what: String) throws(ConfigError) -> HeaderList {
        guard case .mapping = n.node else { throw n.error("\(what) must be a mapping of Name: value") }
        let m = try n.mapping(what, allowed: n.mappingKeys)
        var out: HeaderList = []
        for e in m.entries {
            guard !e.key.isEmpty, e.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw e.keyNode.error("'\(e.key)' is not a valid header name")
            }
            out.append((e.key, try expand(e.value, "header \(e.key)")))
        }
        return out
    }

    /// A request body: a mapping/list becomes JSON, a string is sent as written.
    func body(_ n: YNode) throws(ConfigError) -> String {
        if case .scalar = n.node { return try expand(n, "body") }
        return try n.json().jsonText
    }

    func expand(_ n: YNode, _ what: String) throws(ConfigError) -> String {
        try expandString(try n.string(what), at: n)
    }

    /// `${VAR}` expands from the environment; `$${` is a literal `${`. An unset variable is an error.
    func expandString(_ s: String, at n: YNode) throws(ConfigError) -> String {
        guard s.contains("${") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "${") {
            if r.lowerBound > rest.startIndex, rest[rest.index(before: r.lowerBound)] == "$" {
                out += rest[..<rest.index(before: r.lowerBound)] + "${"
                rest = rest[r.upperBound...]
                continue
            }
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else {
                throw n.error("unclosed ${ in '\(s)'")
            }
            let name = String(rest[r.upperBound..<close])
            guard let value = options.environment[name] ?? options.fallbacks[name] else {
                throw n.error("environment variable \(name) is not set", hint: "export \(name)=… before running stagetop")
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

extension YNode {
    /// The keys of a mapping node (used where any key is allowed, like headers).
    var mappingKeys: [String] {
        guard case .mapping(let m) = node else { return [] }
        return m.compactMap { $0.key.string }
    }
}

extension ProbeBody {
    var usesToken: Bool {
        switch self {
        case .http(let h): h.auth == .bearer
        case .stream(let s): s.auth == .bearer
        case .burst(let b): b.auth == .bearer
        case .websocket(let w): w.auth != .none
        }
    }
}
