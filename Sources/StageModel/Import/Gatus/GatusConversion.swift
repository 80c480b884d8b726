import Foundation

/// `stagetop init --from-gatus`: a gatus config turned into a stagetop config (docs/config.md, "Coming from
/// gatus"). Conditions are kept verbatim; whatever has no stagetop counterpart is listed, in the output as
/// comments and in `leftOut` for stderr, never dropped silently. Secrets written literally in the gatus file
/// (webhook URLs, Authorization-like headers) are not copied: the output reads them from `${VAR}`s that
/// `variables` names, so the new file can be committed and the secret never passes through stagetop's output.
public struct GatusConversion: Sendable {
    /// The stagetop config, YAML with comments.
    public var text: String
    /// One line per thing left out: "endpoint 'dns' (group core): DNS endpoints — stagetop has no DNS probe kind".
    public var leftOut: [String]
    /// Environment variables the output reads that the gatus file had as literal values, with what each holds.
    public var variables: [(name: String, holds: String)]
    /// Every `${VAR}` the output reads, with a stand-in value of the right shape, for checking that it loads.
    public var standIns: [String: String]
    public var probes: Int

    public struct Failure: Error, CustomStringConvertible, Sendable { public var description: String }

    public static func convert(_ gatusYAML: String, source: String) throws(Failure) -> GatusConversion {
        let config: GatusConfig
        do { config = try GatusConfig.parse(gatusYAML) } catch { throw Failure(description: "\(source): \(error.description)") }
        var builder = Builder(source: source)
        return try builder.build(config)
    }
}

private struct Builder {
    let source: String
    var leftOut: [String] = []
    var variables: [(name: String, holds: String)] = []
    var standIns: [String: String] = [:]

    init(source: String) { self.source = source }

    /// gatus endpoint kinds by URL scheme, with why stagetop has no counterpart.
    static let unsupportedSchemes: [String: String] = [
        "tcp": "TCP endpoints — stagetop probes speak HTTP and WebSocket", "udp": "UDP endpoints — stagetop has no UDP probe",
        "sctp": "SCTP endpoints — stagetop has no SCTP probe", "icmp": "ICMP (ping) endpoints — stagetop has no ping probe",
        "starttls": "STARTTLS endpoints — stagetop has no SMTP/STARTTLS probe", "tls": "raw TLS endpoints — stagetop probes speak HTTP(S) and WebSocket",
        "ssh": "SSH endpoints — stagetop has no SSH probe", "grpc": "gRPC health endpoints — stagetop has no gRPC probe",
        "grpcs": "gRPC health endpoints — stagetop has no gRPC probe",
    ]

    /// Top-level gatus keys and what stands in for them in stagetop.
    static let topLevelNotes: [String: String] = [
        "storage": "stagetop agent keeps recent history in memory; watch/check --record write recordings",
        "ui": "the dashboard is `stagetop watch` (or `watch --attach` to an agent)",
        "web": "the agent listens with `stagetop agent --listen`",
        "metrics": "`stagetop agent` always serves Prometheus /metrics",
        "security": "the agent's API takes a bearer token (--api-token-env)",
        "maintenance": "no maintenance windows: pause probing with POST /api/v1/pause",
        "connectivity": "no connectivity checker",
        "remote": "no remote gatus instances: `watch --attach` follows several agents",
        "announcements": "no announcements", "concurrency": "stagetop schedules every probe on its own interval (defaults.max_in_flight caps runs in flight)",
        "skip-invalid-config-update": "the agent keeps its last good config on a bad reload anyway",
        "disable-monitoring-lock": "no monitoring lock", "debug": "no debug switch",
        "tunneling": "no SSH tunnels", "client": "no global client settings",
    ]

    mutating func build(_ g: GatusConfig) throws(GatusConversion.Failure) -> GatusConversion {
        for key in g.otherKeys { leftOut.append("\(key): " + (Self.topLevelNotes[key] ?? "no stagetop counterpart")) }
        if g.externalEndpoints > 0 { leftOut.append("external-endpoints (\(g.externalEndpoints)): stagetop probes, it does not receive pushed results") }
        if g.suites > 0 { leftOut.append("suites (\(g.suites)): stagetop has no multi-step HTTP journeys yet; convert each step to its own probe") }

        // Probes first: they decide which alerts are used.
        var probes: [String] = []
        var names: Set<String> = []
        var alertsUsed: [AlertKey] = []
        var origin: String?
        let httpEndpoints = g.endpoints.filter { Self.scheme($0.url).map { ["http", "https"].contains($0) } ?? false }
        origin = httpEndpoints.first.flatMap { Self.origin($0.url) }
            ?? g.endpoints.first.flatMap { Self.origin($0.url.replacingOccurrences(of: "ws://", with: "http://").replacingOccurrences(of: "wss://", with: "https://")) }
        let defaultInterval = "60s", defaultTimeout = "10s"
        for e in g.endpoints {
            let label = "endpoint '\(e.name)'" + (e.group.map { " (group \($0))" } ?? "")
            let scheme = Self.scheme(e.url)
            if let why = scheme.flatMap({ Self.unsupportedSchemes[$0] }) { leftOut.append("\(label): \(why)"); continue }
            if e.unsupported.contains("dns") { leftOut.append("\(label): DNS endpoints (dns:) — stagetop has no DNS probe kind"); continue }
            guard let scheme, ["http", "https", "ws", "wss"].contains(scheme) else {
                leftOut.append("\(label): url '\(e.url)' is not an http(s) or ws(s) URL"); continue
            }
            for key in e.unsupported { leftOut.append("\(label): \(key) — \(Self.endpointKeyNote(key))") }
            // An endpoint whose every condition is one stagetop cannot evaluate checked nothing stagetop can.
            let refused = e.conditions.compactMap { c -> String? in
                do throws(ConditionParser.ParseError) { _ = try ConditionParser.parse(c); return nil } catch { return error.message }
            }
            if !e.conditions.isEmpty, refused.count == e.conditions.count {
                leftOut.append("\(label): every condition is one stagetop cannot evaluate (\(refused.joined(separator: "; ")))")
                continue
            }
            var name = e.name.split(whereSeparator: \.isWhitespace).joined(separator: "_")
            if name.isEmpty { name = "endpoint" }
            if names.contains(name), let group = e.group { name = group.split(whereSeparator: \.isWhitespace).joined(separator: "_") + "_" + name }
            var unique = name, n = 2
            while names.contains(unique) { unique = "\(name)_\(n)"; n += 1 }
            names.insert(unique)

            var lines = ["  - name: \(Self.quote(unique))"]
            if let group = e.group { lines.append("    group: \(Self.quote(group))") }
            if !e.enabled { lines.append("    enabled: false") }
            if let iv = e.interval, let d = Self.duration(iv), d != defaultInterval { lines.append("    interval: \(d)") }
            if let t = e.timeout, let d = Self.duration(t), d != defaultTimeout { lines.append("    timeout: \(d)") }
            if e.insecure { lines.append("    tls: { insecure: true }") }
            let headers = e.headers.map { (k, v) in (k, secretSafe(v, header: k, endpoint: unique)) }
            if scheme.hasPrefix("ws") {
                lines.append("    websocket:")
                lines.append("      path: \(Self.quote(Self.envSyntax(e.url)))")
                lines.append("      auth: none")
                if !headers.isEmpty { leftOut.append("\(label): headers on a WebSocket endpoint — stagetop sends target.headers on upgrades, not per-probe headers") }
                // gatus sends the body (empty if none) as one text message and reads one message back: [BODY].
                lines.append("      steps:")
                lines.append("        - send_text: \(Self.quote(Self.envSyntax(e.body ?? "")))")
                lines.append("        - expect: {}")
            } else {
                lines.append("    http:")
                if let m = e.method, m.uppercased() != "GET" { lines.append("      method: \(m.uppercased())") }
                lines.append("      path: \(Self.quote(Self.envSyntax(Self.path(e.url, origin: origin))))")
                // gatus follows redirects unless told not to; stagetop's default is the other way round.
                if !e.ignoreRedirect { lines.append("      follow_redirects: true") }
                if !headers.isEmpty {
                    lines.append("      headers:")
                    for (k, v) in headers { lines.append("        \(Self.quote(k)): \(Self.quote(v))") }
                }
                if let body = e.body {
                    if e.graphql {
                        lines.append("      body: { query: \(Self.quote(Self.envSyntax(body))) }")
                    } else {
                        lines.append("      body: \(Self.quote(Self.envSyntax(body)))")
                    }
                    if body.contains("[RANDOM_STRING_") || body.contains("[LOCAL_ADDRESS]") || body.contains("[CONTEXT]") {
                        leftOut.append("\(label): gatus body placeholders ([RANDOM_STRING_n], [LOCAL_ADDRESS], [CONTEXT]) are sent literally by stagetop")
                    }
                }
            }
            if !e.conditions.isEmpty {
                lines.append("    conditions:")
                for c in e.conditions {
                    do {
                        _ = try ConditionParser.parse(c)
                        lines.append("      - \(Self.quote(c))")
                    } catch {
                        lines.append("      # left out: \(Self.quote(c)) — \(error.message)")
                        leftOut.append("\(label): condition \(c) — \(error.message)" + (error.hint.map { "; \($0)" } ?? ""))
                    }
                }
            }
            // Alerts: one stagetop alert per provider and threshold set; an endpoint without alerts gets none.
            var mine: [String] = []
            for a in e.alerts {
                let provider = g.providers[a.type]
                let d = provider?.defaultAlert
                guard a.enabled ?? d?.enabled ?? true else { continue }
                guard ["slack", "discord", "custom"].contains(a.type), provider?.url != nil else {
                    leftOut.append("\(label): alert type \(a.type) — " + (provider == nil ? "no alerting.\(a.type) provider in the file"
                        : "stagetop sends webhooks (json, slack, discord) and commands; convert it by hand"))
                    continue
                }
                let key = AlertKey(type: a.type, failure: a.failureThreshold ?? d?.failureThreshold ?? 3,
                                   success: a.successThreshold ?? d?.successThreshold ?? 2,
                                   resolved: a.sendOnResolved ?? d?.sendOnResolved ?? false)
                if !alertsUsed.contains(key) { alertsUsed.append(key) }
                let alertName = key.name(among: alertsUsed)
                if !mine.contains(alertName) { mine.append(alertName) }
            }
            probes.append(contentsOf: lines)
            probes.append("    alerts: " + (mine.isEmpty ? "false" : "[" + mine.joined(separator: ", ") + "]"))
        }
        guard !probes.isEmpty, let origin else {
            throw GatusConversion.Failure(description: "\(source): no HTTP or WebSocket endpoint to convert" +
                                          (leftOut.isEmpty ? "" : " (left out: " + leftOut.joined(separator: "; ") + ")"))
        }

        var alertLines: [String] = []
        for (type, provider) in g.providers.sorted(by: { $0.key < $1.key }) {
            if !alertsUsed.contains(where: { $0.type == type }) {
                leftOut.append("alerting.\(type): " + (["slack", "discord", "custom"].contains(type) ? "no endpoint uses it" : "stagetop sends webhooks (json, slack, discord) and commands; convert it by hand"))
            }
            for key in provider.unsupported where alertsUsed.contains(where: { $0.type == type }) {
                leftOut.append("alerting.\(type).\(key): " + (type == "custom" && key == "body" ? "stagetop posts its own JSON event, not a body template" : "no stagetop counterpart"))
            }
        }
        var urls: [String: String] = [:]  // one variable per provider, however many threshold sets use it
        var headers: [String: [(String, String)]] = [:]
        for key in alertsUsed {
            let provider = g.providers[key.type]!
            let url = urls[key.type] ?? secretSafe(provider.url ?? "", header: nil, endpoint: "alert_\(key.type)")
            urls[key.type] = url
            let hs = headers[key.type] ?? provider.headers.map { (k, v) in (k, secretSafe(v, header: k, endpoint: "alert_\(key.type)")) }
            headers[key.type] = hs
            alertLines.append("  - name: \(key.name(among: alertsUsed))")
            alertLines.append("    webhook:")
            alertLines.append("      url: \(Self.quote(url))")
            alertLines.append("      format: \(key.type == "custom" ? "json" : key.type)")
            if !hs.isEmpty {
                alertLines.append("      headers:")
                for (k, v) in hs { alertLines.append("        \(Self.quote(k)): \(Self.quote(v))") }
            }
            alertLines.append("    failure_threshold: \(key.failure)")
            alertLines.append("    success_threshold: \(key.success)")
            alertLines.append("    send_on_resolved: \(key.resolved)")
        }

        var out = ["# stagetop config converted from the gatus config \(source) by `stagetop init --from-gatus`.",
                   "# Conditions are kept as written; stagetop evaluates them as gatus does, except where docs/config.md",
                   "# (\"Coming from gatus\") says otherwise and why."]
        if !leftOut.isEmpty {
            out.append("#")
            out.append("# Left out (no stagetop counterpart):")
            out += leftOut.map { "#   - \($0)" }
        }
        if !variables.isEmpty {
            out.append("#")
            out.append("# Set before running (the gatus file had these values written in; they are not copied here):")
            out += variables.map { "#   - \($0.name): \($0.holds)" }
        }
        out += ["name: gatus-import", "target:", "  base_url: \(Self.quote(origin))", "defaults:",
                "  interval: \(defaultInterval)        # gatus's default interval", "  timeout: \(defaultTimeout)         # gatus's default client timeout",
                "probes:"]
        // `alerts: false` only matters when the config has alerts.
        out += alertLines.isEmpty ? probes.filter { $0 != "    alerts: false" } : probes
        if !alertLines.isEmpty { out.append("alerts:"); out += alertLines }
        // Stand-ins for the variables the gatus file already used: a URL where the value is a URL.
        for line in out {
            let isURL = line.contains("url:") || line.contains("path:")
            for (name, range) in Self.variablesIn(line) where standIns[name] == nil {
                let startsValue = line[..<range.lowerBound].hasSuffix("\"")
                standIns[name] = isURL && startsValue ? "https://stand-in.invalid" : "stand-in"
            }
        }
        return GatusConversion(text: out.joined(separator: "\n") + "\n", leftOut: leftOut, variables: variables, standIns: standIns,
                               probes: probes.filter { $0.hasPrefix("  - name:") }.count)
    }

    struct AlertKey: Equatable {
        var type: String, failure: Int, success: Int, resolved: Bool
        /// The provider's name, or with its thresholds when one provider is used with several sets.
        func name(among all: [AlertKey]) -> String {
            all.filter { $0.type == type }.count == 1 || all.first(where: { $0.type == type }) == self
                ? type : "\(type)_f\(failure)_s\(success)\(resolved ? "_resolved" : "")"
        }
    }

    /// A value that holds a secret (a webhook URL, an Authorization-like header) and is written literally
    /// becomes `${VAR}`; values already read from the environment stay as they are.
    mutating func secretSafe(_ value: String, header: String?, endpoint: String) -> String {
        let v = Self.envSyntax(value)
        let secretHeader = header.map { h in ["authorization", "cookie", "token", "secret", "key", "password", "auth"].contains { h.lowercased().contains($0) } } ?? true
        guard secretHeader, !v.isEmpty, !Self.isOnlyVariables(v) else { return v }
        let base = ("STAGETOP_" + endpoint + (header.map { "_" + $0 } ?? "_URL")).uppercased()
            .map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        var name = base, n = 2
        while variables.contains(where: { $0.name == name }) { name = "\(base)_\(n)"; n += 1 }
        variables.append((name, header.map { "the \($0) header of \(endpoint)" } ?? "the webhook URL of \(endpoint.replacingOccurrences(of: "alert_", with: "alerting."))"))
        standIns[name] = header == nil ? "https://hooks.example.invalid/stand-in" : "stand-in"
        return "${\(name)}"
    }

    /// gatus expands `$VAR` and `${VAR}` (Go's os.ExpandEnv); stagetop reads `${VAR}`.
    static func envSyntax(_ s: String) -> String {
        var out = "", chars = Array(s), i = 0
        while i < chars.count {
            if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "_" || chars[i + 1].isLetter {
                var j = i + 1
                while j < chars.count, chars[j] == "_" || chars[j].isLetter || chars[j].isNumber { j += 1 }
                out += "${" + String(chars[(i + 1)..<j]) + "}"
                i = j
            } else {
                out.append(chars[i]); i += 1
            }
        }
        return out
    }

    /// Already read from the environment in the gatus file: kept as it is.
    static func isOnlyVariables(_ v: String) -> Bool { v.contains("${") }

    static func variablesIn(_ text: String) -> [(String, Range<String.Index>)] {
        guard let re = try? NSRegularExpression(pattern: #"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}"#) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            guard let name = Range(m.range(at: 1), in: text), let whole = Range(m.range, in: text) else { return nil }
            // ${VAR:-default} needs no stand-in.
            return m.range(at: 2).location == NSNotFound ? (String(text[name]), whole) : nil
        }
    }

    static func endpointKeyNote(_ key: String) -> String {
        switch key {
        case "ui": "dashboard display settings have no counterpart"
        case "extra-labels": "no extra labels on metrics (the agent adds location)"
        case "ssh": "SSH endpoints have no counterpart"
        case "maintenance-windows": "no maintenance windows"
        case "client.oauth2": "no OAuth2 client credentials: use auth.login or auth.token"
        case "client.identity-aware-proxy": "no Google IAP tokens"
        case "client.dns-resolver": "no custom DNS resolver: use target.resolve to pin addresses"
        case "client.network": "no IPv4/IPv6 choice"
        case "client.tls": "no client certificates: tls.ca_file sets the trust roots"
        case "client.proxy-url": "no proxy"
        case "client.tunnel": "no SSH tunnels"
        default: "no stagetop counterpart"
        }
    }

    static func scheme(_ url: String) -> String? {
        guard let r = url.range(of: "://") else { return nil }
        return url[..<r.lowerBound].lowercased()
    }

    static func origin(_ url: String) -> String? {
        guard let r = url.range(of: "://") else { return nil }
        let rest = url[r.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty else { return nil }
        return String(url[..<r.upperBound]) + host
    }

    /// A URL on the target's origin as a path; any other URL as written (stagetop takes full URLs as paths).
    static func path(_ url: String, origin: String?) -> String {
        guard let origin, url.hasPrefix(origin) else { return url }
        let rest = String(url.dropFirst(origin.count))
        if rest.isEmpty { return "/" }
        return rest.hasPrefix("/") ? rest : url
    }

    /// gatus durations are Go's ("1m30s"); stagetop's config takes one unit.
    static func duration(_ text: String) -> String? {
        guard let d = Duration.parse(text, goStyle: true) else { return nil }
        let ms = (d.milliseconds).rounded()
        if ms >= 3_600_000, ms.truncatingRemainder(dividingBy: 3_600_000) == 0 { return "\(Int(ms / 3_600_000))h" }
        if ms >= 60_000, ms.truncatingRemainder(dividingBy: 60_000) == 0 { return "\(Int(ms / 60_000))m" }
        if ms >= 1000, ms.truncatingRemainder(dividingBy: 1000) == 0 { return "\(Int(ms / 1000))s" }
        return "\(Int(max(1, ms)))ms"
    }

    /// A YAML double-quoted scalar (JSON string escapes are valid YAML).
    static func quote(_ s: String) -> String {
        var out = ""
        JSONValue.quote(s, into: &out)
        return out
    }
}
