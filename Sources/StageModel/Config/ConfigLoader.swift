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

/// Loads the YAML config (docs/config.md). Every problem is a `ConfigError` naming file:line:col.
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
        let expander = Expander(environment: options.environment, fallbacks: options.fallbacks)
        var config: StageConfig
        do {
            config = try Builder(file: file, options: options).config(YNode(node: root, file: file, expander: expander))
        } catch {
            // A message may quote the value it could not use (`base_url '…' is not a URL`): if that value
            // came from a secret variable, it is masked here, before anything prints it.
            let secrets = expander.used.filter { Expander.isSecretName($0.key) }.map(\.value)
            guard !secrets.isEmpty else { throw error }
            let scrubber = SecretScrubber(secrets: secrets)
            throw ConfigError(error.location, scrubber.scrub(error.message), hint: error.hint.map(scrubber.scrub))
        }
        // Secret by name, or because the token is made of it (`token: "${MY_VAR}"` makes MY_VAR secret).
        let token = config.auth.token?.value
        config.secretVariables = expander.used
            .filter { v in Expander.isSecretName(v.key) || (token.map { t in v.value.count >= 4 && t.contains(v.value) } ?? false) }
            .map { (name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
        return config
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
    var fields: ConfigFields { ConfigFields(file: file, options: options) }

    func config(_ root: YNode) throws(ConfigError) -> StageConfig {
        let m = try root.mapping("the config", allowed: ["name", "target", "auth", "defaults", "probes", "alerts"])
        let name = try m["name"].map { n throws(ConfigError) in try n.string("name") } ?? "staging"
        let target = try self.target(try m.required("target"))
        let auth = try m["auth"].map { n throws(ConfigError) in try self.auth(n) } ?? AuthConfig()
        let defaults = try m["defaults"].map { n throws(ConfigError) in try self.defaults(n) } ?? Defaults()
        let alerts = try m["alerts"].map { n throws(ConfigError) in try AlertsParser(fields: fields).alerts(n) } ?? []
        let probesNode = try m.required("probes")
        var probes: [ProbeSpec] = []
        var seen: [String: SourceLocation] = [:]
        for p in try probesNode.sequence("probes") {
            let spec = try probe(p, defaults: defaults, target: target)
            if let first = seen[spec.name] {
                throw p.error("probe name '\(spec.name)' is used twice", hint: "first used at \(first)")
            }
            seen[spec.name] = p.location
            try AlertsParser.checkNames(spec.alerts, known: alerts, at: p)
            if spec.body.usesToken, auth.token == nil, auth.login == nil, auth.tokenSource == nil {
                throw p.error("probe '\(spec.name)' uses auth but the config has no auth.token or auth.login")
            }
            probes.append(spec)
        }
        if probes.isEmpty { throw probesNode.error("the config has no probes") }
        var config = StageConfig(name: name, target: target, auth: auth, defaults: defaults, probes: probes, path: file)
        config.alerts = alerts
        return config
    }

    // MARK: target

    func target(_ n: YNode) throws(ConfigError) -> TargetConfig {
        let m = try n.mapping("target", allowed: ["base_url", "ws_url", "headers", "tls", "resolve", "openapi"])
        let baseNode = try m.required("base_url")
        let base = try baseNode.string("target.base_url")
        try checkURL(base, schemes: ["http", "https"], at: baseNode, what: "target.base_url")
        var ws: String?
        if let w = m["ws_url"] {
            ws = try w.string("target.ws_url")
            try checkURL(ws!, schemes: ["ws", "wss"], at: w, what: "target.ws_url")
        }
        let headers = try m["headers"].map { h throws(ConfigError) in try fields.headers(h, "target.headers") } ?? []
        let tls = try m["tls"].map { t throws(ConfigError) in try fields.tls(t, "target.tls", over: TLSSettings()) } ?? TLSSettings()
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
        var target = TargetConfig(baseURL: base, wsURL: ws, headers: headers, tls: tls, resolve: resolve)
        target.openapi = try m["openapi"].map { o throws(ConfigError) in try fields.openapi(o) }
        return target
    }

    func checkURL(_ s: String, schemes: [String], at n: YNode, what: String) throws(ConfigError) {
        if let problem = URLCheck.problem(s, schemes: schemes) {
            throw n.error("\(what) '\(s)' is not a \(schemes.joined(separator: "/")) URL: it \(problem)", hint: "e.g. \(schemes[0])://api.staging.example.com")
        }
    }

    // MARK: auth

    func auth(_ n: YNode) throws(ConfigError) -> AuthConfig {
        let m = try n.mapping("auth", allowed: ["token", "login"])
        var a = AuthConfig()
        if let t = m["token"] {
            a.tokenSource = try t.literal("auth.token")
            do {
                let v = try t.string("auth.token")
                a.token = v.isEmpty ? nil : Secret(v)
            } catch {
                if !options.allowMissingToken { throw error }
            }
        }
        if let l = m["login"] {
            let lm = try l.mapping("auth.login", allowed: ["method", "path", "headers", "body", "token_path"])
            let method = try fields.method(lm["method"], default: "POST")
            let path = try lm.required("path").string("auth.login.path")
            let headers = try lm["headers"].map { h throws(ConfigError) in try fields.headers(h, "auth.login.headers") } ?? []
            let body = try lm["body"].map { b throws(ConfigError) in try fields.body(b) }
            let tokenPath = try lm["token_path"].map { n throws(ConfigError) in try n.string("token_path") } ?? "access_token"
            a.login = LoginConfig(method: method, path: path, headers: headers, body: body, tokenPath: tokenPath)
        }
        return a
    }

    // MARK: defaults

    func defaults(_ n: YNode) throws(ConfigError) -> Defaults {
        let m = try n.mapping("defaults", allowed: ["interval", "timeout", "max_in_flight"])
        var d = Defaults()
        if let i = m["interval"] { d.interval = try i.duration("defaults.interval") }
        if let t = m["timeout"] { d.timeout = try t.duration("defaults.timeout") }
        if let f = m["max_in_flight"] { d.maxInFlight = try f.int("defaults.max_in_flight", min: 1, max: 100_000) }
        return d
    }

    // MARK: probes

    func probe(_ n: YNode, defaults: Defaults, target: TargetConfig) throws(ConfigError) -> ProbeSpec {
        let kindKeys = ProbeKind.allCases.map(\.rawValue)
        let m = try n.mapping("a probe", allowed: ["name", "group", "interval", "timeout", "enabled", "conditions", "tls", "alerts"] + kindKeys)
        let nameNode = try m.required("name")
        let name = try nameNode.string("probe name")
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw nameNode.error("probe name '\(name)' must be one word", hint: "use letters, digits, _ . -")
        }
        let kinds = ProbeKind.allCases.filter { m.has($0.rawValue) }
        guard kinds.count == 1, let kind = kinds.first, let kindNode = m[kind.rawValue] else {
            if kinds.isEmpty {
                throw n.error("probe '\(name)' says nothing to do", hint: "give exactly one of: \(kindKeys.joined(separator: ", "))")
            }
            throw m[kinds[1].rawValue]!.error("probe '\(name)' has both \(kinds[0].rawValue) and \(kinds[1].rawValue)", hint: "one kind per probe")
        }
        let body = try ProbeBody.parse(kind, block: kindNode, probe: name, fields: fields)
        // The URLs the probe will really use (paths joined onto base_url or ws_url), checked now rather than
        // failing as `error`/`config` at run time.
        for check in body.kindSpec.urlChecks(target: target) {
            guard let problem = URLCheck.problem(check.url, schemes: check.schemes) else { continue }
            let whose = check.what.map { "probe '\(name)' \($0)" } ?? "probe '\(name)'"
            let message = "\(whose): its URL '\(check.url)' is not a \(check.schemes.joined(separator: "/")) URL: it \(problem)"
            let hint = "a path starts with / (joined onto the target), or is a full \(check.schemes.joined(separator: "/"))://host/… URL"
            if let at = check.location { throw ConfigError(at, message, hint: hint) }
            throw (kindNode.entry("path") ?? kindNode).error(message, hint: hint)
        }
        let tls = try m["tls"].map { t throws(ConfigError) in try fields.tls(t, "tls of '\(name)'", over: target.tls) }
        var conditions: [Condition] = []
        if let c = m["conditions"] {
            guard type(of: body.kindSpec).takesProbeConditions else {
                throw c.error("a \(kind.rawValue) probe's conditions go on its steps", hint: "move them under the step whose answer they check")
            }
            for cn in try c.sequence("conditions") { conditions.append(try fields.condition(cn)) }
        }
        let interval = try m["interval"].map { i throws(ConfigError) in try i.duration("interval") } ?? defaults.interval
        let timeout = try m["timeout"].map { t throws(ConfigError) in try t.duration("timeout") } ?? defaults.timeout
        let enabled = try m["enabled"].map { e throws(ConfigError) in try e.bool("enabled") } ?? true
        let group = try m["group"].map { g throws(ConfigError) in try g.string("group") } ?? ""
        var spec = ProbeSpec(name: name, group: group, body: body, conditions: conditions, interval: interval,
                             timeout: timeout, enabled: enabled, location: n.location)
        spec.tls = tls
        if let a = m["alerts"] { spec.alerts = try AlertsParser.probeAlerting(a) }
        return spec
    }
}

extension YNode {
    /// The keys of a mapping node (used where any key is allowed, like headers).
    var mappingKeys: [String] {
        guard case .mapping(let m) = node else { return [] }
        return m.compactMap { $0.key.string }
    }
}
