import Foundation

/// The JSON messages `/ws` sends, in the shapes the staging reports quote.
enum WebSocketMessages {
    /// The five events the reports' chat tests waited for, in the order staging sent them.
    static let chatEvents = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    /// Sent after the events, with the answer itself.
    static let response = "agent_response"

    /// `ws_<first 8 chars of the user>_<epoch seconds>_<8 hex>`, like report 002's
    /// `ws_staging-_1757362867_61a02cfa`.
    static func connectionID(user: String, now: Date = Date()) -> String {
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        return "ws_\(user.prefix(8))_\(Int(now.timeIntervalSince1970))_\(String(repeating: "0", count: 8 - hex.count))\(hex)"
    }

    /// Current staging: the `system_message` wrapper (report 002).
    static func welcome(connectionID: String, user: String, now: Date = Date()) -> String {
        JSON.object([
            ("type", "system_message"),
            (
                "data",
                [
                    "event": "connection_established",
                    "connection_id": .string(connectionID),
                    "user_id": .string(user),
                    "server_time": .string(timestamp(now)),
                ]
            ),
        ]).serialized()
    }

    /// The older flat shape the reports' tests still expected.
    static func legacyWelcome(connectionID: String, user: String) -> String {
        JSON.object([
            ("type", "connection_established"),
            ("connection_id", .string(connectionID)),
            ("user_id", .string(user)),
        ]).serialized()
    }

    /// Report 001's refusal, word for word, with its `details`.
    static func authRequired(reason: String) -> String {
        error(
            code: "AUTH_REQUIRED",
            message: "Authentication failed: Valid JWT token required for WebSocket connection",
            details: ["environment": "staging", "error": .string(reason)])
    }

    static func error(code: String, message: String, details: JSON? = nil) -> String {
        var pairs: [(String, JSON)] = [
            ("type", "error_message"), ("error_code", .string(code)), ("error_message", .string(message)),
        ]
        if let details { pairs.append(("details", details)) }
        return JSON.object(pairs).serialized()
    }

    static func pong(now: Date = Date()) -> String {
        JSON.object([("type", "pong"), ("timestamp", .string(timestamp(now)))]).serialized()
    }

    /// `{"type":"<event>","data":{…,"run_id":…}}` for one step of the chat flow.
    static func chatEvent(_ type: String, runID: String, content: String) -> String {
        var data: [(String, JSON)]
        switch type {
        case "agent_started": data = [("agent_name", "supervisor")]
        case "agent_thinking": data = [("thought", .string("Working out how to answer: \(content.prefix(80))"))]
        case "tool_executing": data = [("tool_name", "analyze_workload")]
        case "tool_completed": data = [("tool_name", "analyze_workload"), ("result", ["status": "ok"])]
        case "agent_completed": data = [("agent_name", "supervisor"), ("result", ["status": "success"])]
        default: data = [("content", .string(answer(to: content)))]
        }
        data.append(("run_id", .string(runID)))
        return JSON.object([("type", .string(type)), ("data", .object(data))]).serialized()
    }

    static func answer(to content: String) -> String {
        "All staging services are healthy. (You asked: \(content.prefix(200)))"
    }

    static func newRunID() -> String {
        "run_" + String(UInt64.random(in: .min ... .max), radix: 16)
    }

    private static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
