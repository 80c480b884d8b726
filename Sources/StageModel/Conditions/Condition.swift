/// A parsed condition (docs/config.md, "Conditions"). Parsed once at load; evaluated per run.
public struct Condition: Sendable, Equatable {
    public var source: String
    public var lhs: ConditionExpr
    public var op: ConditionOp
    public var rhs: ConditionExpr

    public init(source: String, lhs: ConditionExpr, op: ConditionOp, rhs: ConditionExpr) {
        self.source = source; self.lhs = lhs; self.op = op; self.rhs = rhs
    }
}

public enum ConditionOp: String, Sendable, Equatable, CaseIterable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", contains = "contains"
}

public enum Placeholder: String, Sendable, Equatable, CaseIterable {
    case status = "STATUS", statuses = "STATUSES", responseTime = "RESPONSE_TIME", ttfb = "TTFB", body = "BODY"
    case header = "HEADER", connected = "CONNECTED", subprotocol = "SUBPROTOCOL", closeCode = "CLOSE_CODE"
    case events = "EVENTS", maxGap = "MAX_GAP", ip = "IP", certificateExpiration = "CERTIFICATE_EXPIRATION"
}

extension Condition {
    /// Whether either side reads `placeholder` (directly or inside a function).
    public func uses(_ placeholder: Placeholder) -> Bool { lhs.uses(placeholder) || rhs.uses(placeholder) }
}

extension ConditionExpr {
    func uses(_ placeholder: Placeholder) -> Bool {
        switch self {
        case .placeholder(let p, _): p == placeholder
        case .len(let e), .has(let e): e.uses(placeholder)
        case .any(let items): items.contains { $0.uses(placeholder) }
        case .literal, .duration, .pat: false
        }
    }
}

/// gatus placeholders stagetop has no value for: refused at load with what to write instead, never read
/// as an unknown name (a typo) or a check that silently never holds.
public enum UnsupportedPlaceholder: String, Sendable, CaseIterable {
    case dnsRcode = "DNS_RCODE", domainExpiration = "DOMAIN_EXPIRATION", context = "CONTEXT"

    public var why: String {
        switch self {
        case .dnsRcode: "[DNS_RCODE] belongs to gatus's DNS endpoints; stagetop has no DNS probe kind"
        case .domainExpiration: "[DOMAIN_EXPIRATION] needs a WHOIS/RDAP lookup of the registrar; stagetop does not make one"
        case .context: "[CONTEXT] reads values a gatus suite carried between endpoints; stagetop probes are independent"
        }
    }

    public var instead: String {
        switch self {
        case .dnsRcode: "probe the service itself over HTTP: a name that does not resolve ends as error/network"
        case .domainExpiration: "leave domain renewal to the registrar's own reminders; [CERTIFICATE_EXPIRATION] > 720h watches the certificate"
        case .context: "write the value into each probe's path, headers or body (${VAR} works in all of them)"
        }
    }
}

public indirect enum ConditionExpr: Sendable, Equatable {
    /// `[BODY].a.b[0]`, `[HEADER].Content-Type`, `[STATUS]` (path empty).
    case placeholder(Placeholder, path: String)
    case literal(String)
    case duration(Duration)
    case len(ConditionExpr)
    case has(ConditionExpr)
    case pat(String)
    case any([ConditionExpr])
}
