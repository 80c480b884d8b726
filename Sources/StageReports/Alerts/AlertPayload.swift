import Foundation
import StageModel

/// The body an alert sends. `json` is stagetop's event object (docs/config.md, "Alerts"); `slack` and
/// `discord` wrap one line of text in the field each of those webhooks reads. Messages are already
/// scrubbed of secrets (every event passes the session's scrubber before it gets here).
public enum AlertPayload {
    public struct Context: Sendable {
        public var config: String
        public var location: String?
        public init(config: String, location: String?) { self.config = config; self.location = location }
    }

    public static func body(_ e: AlertEvent, format: AlertSpec.Format, context: Context) -> String {
        switch format {
        case .json: return json(e, context: context).text(pretty: false)
        case .slack: return OrderedJSON.object([("text", .string(line(e, context: context)))]).text(pretty: false)
        case .discord: return OrderedJSON.object([("content", .string(line(e, context: context)))]).text(pretty: false)
        }
    }

    public static func json(_ e: AlertEvent, context: Context) -> OrderedJSON {
        .object([
            ("type", .string(e.kind.rawValue)),
            ("alert", .string(e.alert)),
            ("probe", .string(e.probe)),
            ("group", .string(e.group)),
            ("kind", .string(e.probeKind.rawValue)),
            ("verdict", .string(e.verdict.rawValue)),
            ("class", .optional(e.failureClass?.rawValue)),
            ("message", .string(e.message)),
            ("status", .optional(e.status)),
            ("close_code", .optional(e.closeCode)),
            ("consecutive", .int(e.consecutive)),
            ("config", .string(context.config)),
            ("location", .optional(context.location)),
            ("at", .string(JSONReport.timestamp(e.at))),
        ])
    }

    /// "FAILING backend_health @ east: fail/server: 500 Internal Server Error (3 runs in a row)".
    public static func line(_ e: AlertEvent, context: Context) -> String {
        let place = context.location.map { " @ \($0)" } ?? ""
        switch e.kind {
        case .failing:
            let cls = e.failureClass.map { "/\($0.rawValue)" } ?? ""
            return "FAILING \(e.probe)\(place) [\(context.config)]: \(e.verdict.rawValue)\(cls): \(e.message) (\(e.consecutive) runs in a row)"
        case .resolved:
            return "RESOLVED \(e.probe)\(place) [\(context.config)]: passing again (\(e.consecutive) runs in a row)"
        }
    }
}
