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
    case events = "EVENTS", maxGap = "MAX_GAP"
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
