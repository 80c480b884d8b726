import Foundation
import Yams

/// `journey:` — parsing and what the rest of the model asks of a kind (docs/config.md, "journey").
extension JourneyProbeSpec: ConfigParsableKind {
    public static var kind: ProbeKind { .journey }
    public static var urlSchemes: [String] { ["http", "https", "ws", "wss"] }
    /// Conditions belong to the steps: a journey has no single answer for probe-level ones to read.
    public static var takesProbeConditions: Bool { false }

    static let stepKinds: [ProbeKind] = [.http, .websocket, .stream]

    static func parse(_ block: YNode, probe: String, fields: ConfigFields) throws(ConfigError) -> JourneyProbeSpec {
        let m = try block.mapping("journey of '\(probe)'", allowed: ["steps"])
        let list = try m.required("steps").sequence("journey.steps")
        guard !list.isEmpty else { throw m["steps"]!.error("journey '\(probe)' has no steps", hint: "give at least one step with http:, websocket: or stream:") }
        var steps: [JourneyStep] = []
        var captured: [String: String] = [:]  // name → the step that captures it
        for node in list {
            let step = try parseStep(node, probe: probe, fields: fields, captured: captured)
            if let twice = steps.first(where: { $0.name == step.name }) {
                throw node.error("step name '\(step.name)' is used twice in journey '\(probe)'", hint: "first at \(twice.location.map(\.description) ?? "?")")
            }
            for c in step.captures { captured[c.name] = step.name }
            steps.append(step)
        }
        return JourneyProbeSpec(steps: steps)
    }

    private static func parseStep(_ node: YNode, probe: String, fields: ConfigFields, captured: [String: String]) throws(ConfigError) -> JourneyStep {
        let keys = ["name", "capture", "conditions"] + stepKinds.map(\.rawValue)
        let m = try node.mapping("a journey step", allowed: keys)
        let nameNode = try m.required("name")
        let name = try nameNode.string("step name")
        guard !name.isEmpty, !name.contains(where: { $0.isNewline }) else { throw nameNode.error("a step name is one line of text") }
        let kinds = stepKinds.filter { m.has($0.rawValue) }
        guard kinds.count == 1, let kind = kinds.first, let kindNode = m[kind.rawValue] else {
            if kinds.isEmpty {
                throw node.error("step '\(name)' says nothing to do", hint: "give exactly one of: http, websocket, stream")
            }
            throw m[kinds[1].rawValue]!.error("step '\(name)' has both \(kinds[0].rawValue) and \(kinds[1].rawValue)", hint: "one request per step")
        }
        // `{{name}}` must name a value an earlier step captured; said here, at its place in the file.
        for scalar in scalars(kindNode) + (m["conditions"].map(scalars) ?? []) {
            try checkReferences(scalar, known: captured, step: name)
        }
        let body: JourneyStepBody
        switch kind {
        case .http: body = .http(try HTTPProbeSpec.parse(kindNode, probe: probe, fields: fields))
        case .stream: body = .stream(try StreamProbeSpec.parse(kindNode, probe: probe, fields: fields))
        case .websocket:
            let ws = try WebSocketProbeSpec.parse(kindNode, probe: probe, fields: fields)
            if ws.hold { throw (kindNode.entry("hold") ?? kindNode).error("a journey step cannot hold its WebSocket open", hint: "a held connection never finishes, so the next step would never run; use a websocket probe with hold: true beside the journey") }
            if ws.concurrency > 1 { throw (kindNode.entry("concurrency") ?? kindNode).error("a journey step opens one WebSocket", hint: "measure concurrency with a websocket probe of its own") }
            body = .websocket(ws)
        case .burst, .journey:
            throw kindNode.error("a journey step is http, websocket or stream")
        }
        var captures: [Capture] = []
        if let c = m["capture"] {
            let cm = try c.mapping("capture", allowed: c.mappingKeys)
            for e in cm.entries {
                guard e.key.first.map({ $0.isLetter || $0 == "_" }) == true,
                      e.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw e.keyNode.error("capture name '\(e.key)' must be a word", hint: "letters, digits and _; used later as {{\(e.key)}}")
                }
                if let earlier = captured[e.key] {
                    throw e.keyNode.error("'\(e.key)' is already captured by step '\(earlier)'", hint: "give each captured value its own name")
                }
                let text = try e.value.string("capture \(e.key)")
                let expr: ConditionExpr
                do throws(ConditionParser.ParseError) {
                    expr = try ConditionParser.operand(text, offset: 0)
                } catch {
                    let loc = SourceLocation(file: fields.file, line: e.value.location.line, column: e.value.contentColumn + error.offset)
                    throw ConfigError(loc, "bad capture: \(error.message)", hint: error.hint)
                }
                guard case .placeholder = expr else {
                    throw e.value.error("capture \(e.key) must be a placeholder, not '\(text)'", hint: "e.g. [BODY].id, [HEADER].Location, [STATUS]")
                }
                captures.append(Capture(name: e.key, expr: expr, source: text, secret: Capture.looksSecret(expr)))
            }
        }
        var conditions: [Condition] = []
        if let c = m["conditions"] {
            for cn in try c.sequence("conditions") { conditions.append(try fields.condition(cn)) }
        }
        return JourneyStep(name: name, body: body, captures: captures, conditions: conditions, location: node.location)
    }

    /// Every scalar under `n` (values, not keys: a header's name is not filled).
    private static func scalars(_ n: YNode) -> [YNode] {
        switch n.node {
        case .scalar: [n]
        case .mapping(let m): m.flatMap { scalars(n.child($0.value)) }
        case .sequence(let s): s.flatMap { scalars(n.child($0)) }
        case .alias: []
        }
    }

    private static func checkReferences(_ n: YNode, known: [String: String], step: String) throws(ConfigError) {
        guard let raw = try? n.literal("a value"), raw.contains("{{") else { return }
        for ref in JourneyTemplate.references(in: raw) where known[ref.name] == nil {
            // The column of the `{{` when the value is on one line; the value's start otherwise.
            let before = raw.prefix(ref.offset)
            let column = before.contains(where: \.isNewline) ? n.location.column : n.contentColumn + ref.offset
            let loc = SourceLocation(file: n.file, line: n.location.line, column: column)
            let names: [String] = known.keys.sorted().map { (k: String) -> String in "{{" + k + "}}" }
            let hint: String = known.isEmpty ? "no earlier step captures anything: add capture: { \(ref.name): \"[BODY].…\" } to an earlier step"
                : "earlier steps capture: " + names.joined(separator: ", ")
            throw ConfigError(loc, "step '\(step)' uses {{\(ref.name)}}, which no earlier step captures", hint: hint)
        }
    }

    public var usesToken: Bool { steps.contains { $0.body.kindSpec.usesToken } }

    /// "3 steps: create → read → chat"
    public var targetDescription: String {
        "\(steps.count) step\(steps.count == 1 ? "" : "s"): " + steps.map(\.name).joined(separator: " → ")
    }

    /// The first step's request (it can hold no captured value); each step's is in the detail view.
    public func reproRequest(target: TargetConfig) -> ReproRequest {
        steps[0].body.kindSpec.reproRequest(target: target)
    }

    /// Every captured name standing in for its own value (`{{thread_id}}` → `thread_id`): a plain word where a
    /// value will go, for checks made before any value exists (the URL at load, route drift at start).
    public var captureStandIns: [String: String] {
        Dictionary(steps.flatMap(\.captures).map { ($0.name, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// Each step's URL, with every `{{name}}` standing in as a plain word, so the URL itself is checked.
    public func urlChecks(target: TargetConfig) -> [URLToCheck] {
        let names = captureStandIns
        return steps.map { step in
            let spec = step.body.filled(names).kindSpec
            return URLToCheck(url: spec.reproRequest(target: target).url, schemes: type(of: spec).urlSchemes, location: step.location,
                              what: "step '\(step.name)'")
        }
    }
}
