import Foundation
import StageModel

/// `expect:` steps: a JSON subset with dotted keys, matched against each incoming text message.
///
/// Public, with what the step runner calls per message, only so the libFuzzer target in Fuzz/ can link it without `@testable`.
public enum WebSocketMatch {
    public typealias Pattern = [(key: String, value: JSONValue)]

    public static func matches(_ message: JSONValue?, _ pattern: Pattern) -> Bool {
        // `expect: {}` asks for nothing: any text message meets it, JSON or not (gatus reads any reply).
        guard let message else { return pattern.isEmpty }
        return pattern.allSatisfy { entry in
            guard let actual = message.value(atPath: entry.key) else { return false }
            return subset(actual, entry.value)
        }
    }

    /// Objects match when every expected key matches (extra keys are fine); arrays element-wise; scalars by
    /// value, with a number and its text equal (YAML `code: 200` and JSON `"200"` mean the same to a user).
    static func subset(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        switch (actual, expected) {
        case (.object(let a), .object(let e)):
            return e.allSatisfy { k, v in a[k].map { subset($0, v) } ?? false }
        case (.array(let a), .array(let e)):
            return a.count == e.count && zip(a, e).allSatisfy { subset($0, $1) }
        case (.object, _), (.array, _), (_, .object), (_, .array):
            return false
        default:
            return actual == expected || actual.description == expected.description
        }
    }

    /// What a step waits for, as a user reads it: the `type` value alone, else the pattern.
    public static func label(_ pattern: Pattern) -> String {
        if pattern.isEmpty { return "any message" }
        if pattern.count == 1, pattern[0].key == "type" { return pattern[0].value.description }
        if let t = pattern.first(where: { $0.key == "type" }) { return t.value.description }
        return describe(pattern)
    }

    /// `{type: system_message, data.event: connection_established}` in the order written.
    public static func describe(_ pattern: Pattern) -> String {
        "{" + pattern.map { "\($0.key): \($0.value.description)" }.joined(separator: ", ") + "}"
    }

    /// The `type` of a message for event timelines and `[EVENTS]`.
    public static func eventType(_ text: String, _ json: JSONValue?) -> String {
        guard let json else { return "<text>" }
        if case .string(let t)? = json["type"] { return t }
        if case .object = json { return "<json>" }
        return "<text>"
    }

    /// How a message that is not the one expected relates to the step.
    public enum Mismatch: Equatable {
        /// Something else (a heartbeat, an earlier event): keep waiting.
        case unrelated
        /// The right message in the wrong shape: fail now as `schema`.
        case schema
    }

    /// A message is the expected one in a different shape when it has the expected `type` but other keys
    /// differ, when it carries an expected value under a different key (staging's `system_message` wrapper
    /// moved `connection_established` from `type` to `data.event`), or when it is the connection's first
    /// message and the step is the first one (a differently shaped welcome). Error messages never are:
    /// they explain a failure, they do not change a shape.
    public static func mismatch(_ message: JSONValue?, _ pattern: Pattern, firstMessageForFirstStep: Bool) -> Mismatch {
        guard let message else { return firstMessageForFirstStep ? .schema : .unrelated }
        if isServerError(message) { return .unrelated }
        if let expectedType = pattern.first(where: { $0.key == "type" })?.value,
           let actualType = message["type"], subset(actualType, expectedType) {
            return .schema
        }
        let expectedStrings = Set(pattern.compactMap { entry -> String? in
            if case .string(let s) = entry.value, s.count >= 4 { return s }
            return nil
        })
        if !expectedStrings.isEmpty, !expectedStrings.isDisjoint(with: strings(in: message, depth: 3)) { return .schema }
        return firstMessageForFirstStep ? .schema : .unrelated
    }

    private static func strings(in v: JSONValue, depth: Int) -> Set<String> {
        switch v {
        case .string(let s): return [s]
        case .object(let o) where depth > 0: return o.values.reduce(into: Set<String>()) { $0.formUnion(strings(in: $1, depth: depth - 1)) }
        case .array(let a) where depth > 0: return a.prefix(16).reduce(into: Set<String>()) { $0.formUnion(strings(in: $1, depth: depth - 1)) }
        default: return []
        }
    }

    /// staging's `{"type":"error_message","error_code":"AUTH_REQUIRED","error_message":"…"}` and its cousins.
    public static func isServerError(_ json: JSONValue) -> Bool {
        if case .string(let t)? = json["type"], t == "error_message" || t == "error" { return true }
        return json["error_code"] != nil
    }

    /// "AUTH_REQUIRED: Authentication failed: Valid JWT token required for WebSocket connection".
    public static func serverErrorSummary(_ json: JSONValue, limit: Int = 160) -> String {
        let code = (json["error_code"] ?? json["code"]).map(\.description)
        var text: String?
        for key in ["error_message", "message", "error", "detail"] where text == nil {
            if let v = json[key], case .string(let s) = v, !s.isEmpty { text = s }
        }
        let parts = [code, text].compactMap { $0 }
        return truncate(parts.isEmpty ? quote(json, limit: limit) : parts.joined(separator: ": "), limit)
    }

    /// Compact JSON with `type` first (it is what a reader looks for), cut at `limit` characters with "…".
    static func quote(_ json: JSONValue, limit: Int) -> String {
        guard case .object(let o) = json else { return truncate(json.jsonText, limit) }
        var parts: [String] = []
        var out = ""
        for key in (o["type"] != nil ? ["type"] : []) + o.keys.filter({ $0 != "type" }).sorted() {
            out = ""
            JSONValue.quote(key, into: &out)
            parts.append(out + ":" + o[key]!.jsonText)
        }
        return truncate("{" + parts.joined(separator: ",") + "}", limit)
    }

    public static func quote(text: String, limit: Int) -> String {
        if let json = JSONValue.parse(text) { return quote(json, limit: limit) }
        return truncate(text, limit)
    }

    static func truncate(_ s: String, _ limit: Int) -> String {
        s.count > limit ? String(s.prefix(max(1, limit - 1))) + "…" : s
    }
}
