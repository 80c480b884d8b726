import Foundation

/// Reads `alerts:` and a probe's `alerts:` (docs/config.md, "Alerts"). Every value goes through the same
/// `${VAR}` expansion as the rest of the config; URLs and headers are checked now, not at the first flip.
struct AlertsParser {
    let fields: ConfigFields

    func alerts(_ n: YNode) throws(ConfigError) -> [AlertSpec] {
        var out: [AlertSpec] = []
        var seen: [String: SourceLocation] = [:]
        for a in try n.sequence("alerts") {
            let spec = try alert(a)
            if let first = seen[spec.name] { throw a.error("alert name '\(spec.name)' is used twice", hint: "first used at \(first)") }
            seen[spec.name] = a.location
            out.append(spec)
        }
        return out
    }

    func alert(_ n: YNode) throws(ConfigError) -> AlertSpec {
        let m = try n.mapping("an alert", allowed: ["name", "webhook", "command", "failure_threshold", "success_threshold",
                                                    "send_on_resolved", "retries", "retry_backoff", "timeout"])
        let nameNode = try m.required("name")
        let name = try nameNode.string("alert name")
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw nameNode.error("alert name '\(name)' must be one word", hint: "use letters, digits, _ . -")
        }
        let channel: AlertSpec.Channel
        switch (m["webhook"], m["command"]) {
        case (let w?, nil): channel = .webhook(try webhook(w, alert: name))
        case (nil, let c?): channel = .command(try command(c, alert: name))
        case (_?, let c?): throw c.error("alert '\(name)' has both webhook and command", hint: "one channel per alert; add a second alert for the other")
        case (nil, nil): throw n.error("alert '\(name)' says nowhere to send", hint: "give webhook: {url: …} or command: [program, args…]")
        }
        var spec = AlertSpec(name: name, channel: channel, location: n.location)
        if let f = m["failure_threshold"] { spec.failureThreshold = try f.int("failure_threshold", min: 1, max: 1000) }
        if let s = m["success_threshold"] { spec.successThreshold = try s.int("success_threshold", min: 1, max: 1000) }
        if let r = m["send_on_resolved"] { spec.sendOnResolved = try r.bool("send_on_resolved") }
        if let r = m["retries"] { spec.retries = try r.int("retries", min: 0, max: 20) }
        if let b = m["retry_backoff"] { spec.retryBackoff = try b.duration("retry_backoff") }
        if let t = m["timeout"] { spec.timeout = try t.duration("timeout") }
        return spec
    }

    func webhook(_ n: YNode, alert: String) throws(ConfigError) -> AlertSpec.Webhook {
        let m = try n.mapping("webhook of '\(alert)'", allowed: ["url", "format", "headers"])
        let urlNode = try m.required("url")
        let url = try urlNode.string("webhook url")
        if let problem = URLCheck.problem(url, schemes: ["http", "https"]) {
            // The URL may hold a secret (Slack's path): the message names the problem, not the value.
            throw urlNode.error("webhook url of '\(alert)' is not an http/https URL: it \(problem)", hint: "e.g. https://hooks.slack.com/services/${SLACK_WEBHOOK_PATH}")
        }
        var hook = AlertSpec.Webhook(url: url)
        if let f = m["format"] {
            let v = try f.string("format")
            guard let format = AlertSpec.Format(rawValue: v) else {
                throw f.error("unknown webhook format '\(v)'", hint: "one of: \(AlertSpec.Format.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            hook.format = format
        }
        if let h = m["headers"] { hook.headers = try fields.headers(h, "webhook headers of '\(alert)'") }
        return hook
    }

    func command(_ n: YNode, alert: String) throws(ConfigError) -> [String] {
        var argv: [String] = []
        for part in try n.sequence("command of '\(alert)'") { argv.append(try part.string("a command argument")) }
        guard let program = argv.first, !program.isEmpty else {
            throw n.error("command of '\(alert)' is empty", hint: "a list: [program, arg, …]; the event comes on stdin as JSON")
        }
        return argv
    }

    /// A probe's `alerts:` — `false` (none), `true` (all, the default) or a list of alert names.
    static func probeAlerting(_ n: YNode) throws(ConfigError) -> ProbeAlerting {
        if case .sequence = n.node {
            var names: [String] = []
            for e in try n.sequence("alerts") { names.append(try e.string("an alert name")) }
            return .only(names)
        }
        return try n.bool("alerts") ? .all : .none
    }

    /// A probe naming an alert the config does not define is a typo that would silently never page.
    static func checkNames(_ alerting: ProbeAlerting, known: [AlertSpec], at probe: YNode) throws(ConfigError) {
        guard case .only(let names) = alerting else { return }
        let defined = Set(known.map(\.name))
        for name in names where !defined.contains(name) {
            let node = probe.entry("alerts") ?? probe
            throw node.error("probe alerts: no alert named '\(name)'",
                             hint: defined.isEmpty ? "the config has no alerts: section" : "defined: \(defined.sorted().joined(separator: ", "))")
        }
    }
}
