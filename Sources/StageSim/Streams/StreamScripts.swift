import Foundation

/// What each event-stream route says: its events in order, then heartbeats for as long as a mode
/// keeps the stream going. Kept apart from the writing so the wording can be read at a glance.
enum StreamScripts {
    static let chatPath = "/api/chat/stream"
    static let agentsPath = "/api/agents/stream"
    static let eventsPath = "/api/events/stream"
    static let paths = [chatPath, agentsPath, eventsPath]

    /// The route's scripted events (names, in order). Index past the end: `heartbeat`.
    static func eventNames(for route: String) -> [String] {
        switch route {
        case chatPath: return ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
        case agentsPath: return ["agent_status", "agent_status", "agent_status"]
        default: return ["connection_established", "agent_started", "agent_thinking", "agent_completed"]
        }
    }

    /// The `index`-th event of `route`'s stream as SSE text (`event:`, `id:`, `data:` and a blank line).
    static func event(_ index: Int, route: String, runID: String) -> String {
        let names = eventNames(for: route)
        let name = index < names.count ? names[index] : "heartbeat"
        var data: [(String, JSON)] = [("seq", .int(index + 1)), ("run_id", .string(runID))]
        switch (route, name) {
        case (agentsPath, "agent_status"):
            let agents = ["supervisor", "triage", "data"]
            data += [("agent_id", .string(agents[index % agents.count])), ("status", "running")]
        case (_, "agent_started"): data.append(("agent_name", "supervisor"))
        case (_, "agent_thinking"): data.append(("thought", "Checking the staging services"))
        case (_, "tool_executing"): data.append(("tool_name", "analyze_workload"))
        case (_, "tool_completed"): data += [("tool_name", "analyze_workload"), ("result", ["status": "ok"])]
        case (_, "agent_completed"): data.append(("result", "All systems nominal."))
        case (_, "connection_established"): data.append(("user_id", .string(SimToken.defaultSubject)))
        default: data.append(("server_time", .string(ISO8601DateFormatter().string(from: Date()))))
        }
        return "id: \(index + 1)\nevent: \(name)\ndata: \(JSON.object(data).serialized())\n\n"
    }

    /// The last event of a stream that ends.
    static func done(runID: String, events: Int) -> String {
        "event: done\ndata: \(JSON.object([("run_id", .string(runID)), ("events", .int(events))]).serialized())\n\n"
    }

    static func newRunID() -> String {
        "run_" + String(UInt32.random(in: .min ... .max), radix: 16)
    }
}
