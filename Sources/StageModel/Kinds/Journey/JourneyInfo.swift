import Foundation

/// What a journey run saw, step by step: the detail view's list, the reports' `steps`.
public struct JourneyInfo: Sendable, Equatable {
    public var steps: [JourneyStepResult]
    public init(steps: [JourneyStepResult]) { self.steps = steps }

    /// The first step that did not pass (the journey's verdict and class are its).
    public var failing: (index: Int, step: JourneyStepResult)? {
        for (i, s) in steps.enumerated() where s.verdict != .pass && s.verdict != .skip { return (index: i, step: s) }
        return nil
    }
}

public struct JourneyStepResult: Sendable, Equatable {
    public var name: String
    public var kind: ProbeKind
    /// `skip` for the steps after the first failing one: they never ran.
    public var verdict: Verdict
    public var failureClass: FailureClass?
    public var status: Int?
    public var closeCode: Int?
    public var latencyMs: Double?
    public var message: String
    /// When the step started, ms after the journey's start (the detail view's timing bar).
    public var offsetMs: Double?
    /// How long the step ran, ms (its latency leaves out our own time between steps; this does not).
    public var durationMs: Double?
    public var captures: [CapturedValue]
    public var conditions: [ConditionResult]

    public init(name: String, kind: ProbeKind, verdict: Verdict, failureClass: FailureClass? = nil, status: Int? = nil,
                closeCode: Int? = nil, latencyMs: Double? = nil, message: String = "", offsetMs: Double? = nil,
                durationMs: Double? = nil, captures: [CapturedValue] = [], conditions: [ConditionResult] = []) {
        self.name = name; self.kind = kind; self.verdict = verdict; self.failureClass = failureClass; self.status = status
        self.closeCode = closeCode; self.latencyMs = latencyMs; self.message = message; self.offsetMs = offsetMs
        self.durationMs = durationMs; self.captures = captures; self.conditions = conditions
    }
}

/// A value a step captured, as it may be shown: a secret one is already masked.
public struct CapturedValue: Sendable, Equatable {
    public var name: String
    public var value: String
    public var secret: Bool
    public init(name: String, value: String, secret: Bool) { self.name = name; self.value = value; self.secret = secret }
}

/// A running journey's place, for the table's `2/3`.
public struct JourneyProgress: Sendable, Equatable {
    public var probe: String
    /// 1-based.
    public var step: Int
    public var of: Int
    public var name: String
    public init(probe: String, step: Int, of: Int, name: String) { self.probe = probe; self.step = step; self.of = of; self.name = name }
}

extension Conditions {
    /// The text a capture takes: a JSON string without quotes, a number as written, an object or list as
    /// JSON; nil when the placeholder found nothing (the step then fails as `schema`).
    public static func capture(_ expr: ConditionExpr, _ obs: Observation) -> String? {
        let body: JSONValue? = expr.uses(.body) ? obs.body.flatMap { JSONValue.parse($0) } : nil
        switch resolve(expr, obs, body) {
        case .missing, .json(.null), .list: return nil
        case .json(let j): return j.description
        case .milliseconds(let ms): return JSONValue.format(ms)
        case let v: return v.text
        }
    }
}

extension Condition {
    /// This condition with captured values filled in and parsed again; the parser's message when the
    /// filled text no longer parses (a value with an operator in it).
    public func filled(_ values: [String: String]) -> Result<Condition, ConditionParser.ParseError> {
        guard source.contains("{{") else { return .success(self) }
        do throws(ConditionParser.ParseError) {
            return .success(try ConditionParser.parse(JourneyTemplate.fill(source, values)))
        } catch {
            return .failure(error)
        }
    }
}
