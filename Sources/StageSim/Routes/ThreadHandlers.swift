import Foundation
import Hummingbird

/// `/api/threads`, `/api/threads/{id}`, `/api/messages`, `/api/chat/messages`: threads and the messages
/// in them. Under a scenario whose store loses writes (`Scenario.losesWrites`), creates and deletes answer
/// as if they worked and change nothing.
enum ThreadHandlers {
    /// FastAPI's `HTTPException(404, "Thread not found")`, as staging answers an unknown id.
    static let notFound = "Thread not found"

    private struct NewThread: Decodable {
        var title: String?
    }

    private struct NewMessage: Decodable {
        var content: String?
        var message: String?
        var threadId: String?
    }

    static func threads(_ input: RouteInput, _ core: SimCore) -> Response {
        if input.method == .post {
            let title = input.decode(NewThread.self)?.title ?? "New thread"
            let thread = core.state.withLock { state -> StagingData.Thread in
                let thread = StagingData.Thread(id: state.data.makeID("thread"), title: title, createdAt: now())
                if !state.scenario.losesWrites { state.data.threads.append(thread) }
                return thread
            }
            return SimResponses.json(201, json(thread))
        }
        let threads = core.state.withLock { $0.data.threads }
        return SimResponses.json(200, ["threads": .array(threads.map(json)), "total": .int(threads.count)])
    }

    /// `GET /api/threads/{id}` → the thread; `DELETE` → 204. An unknown id is 404 `Thread not found`.
    static func thread(_ input: RouteInput, _ core: SimCore) -> Response {
        let id = input.pathParameters["id"] ?? ""
        let found = core.state.withLock { state -> StagingData.Thread? in
            guard let index = state.data.threads.firstIndex(where: { $0.id == id }) else { return nil }
            let thread = state.data.threads[index]
            if input.method == .delete, !state.scenario.losesWrites { state.data.threads.remove(at: index) }
            return thread
        }
        guard let found else { return SimResponses.error(404, detail: notFound) }
        return input.method == .delete ? SimResponses.empty(204) : SimResponses.json(200, json(found))
    }

    static func messages(_ input: RouteInput, _ core: SimCore) -> Response {
        let messages = list(input, core)
        return SimResponses.json(200, ["messages": .array(messages.map(json)), "total": .int(messages.count)])
    }

    static func chatMessages(_ input: RouteInput, _ core: SimCore) -> Response {
        guard input.method == .post else {
            return SimResponses.json(200, ["messages": .array(list(input, core).map(json))])
        }
        let request = input.decode(NewMessage.self)
        guard let content = request?.content ?? request?.message, !content.isEmpty else {
            return SimResponses.error(422, detail: "content is required")
        }
        let message = core.state.withLock { state -> StagingData.Message in
            let threadID = request?.threadId ?? state.data.threads.first?.id ?? "thread-1"
            let message = StagingData.Message(
                id: state.data.makeID("msg"), threadID: threadID, role: "user", content: content, createdAt: now())
            if !state.scenario.losesWrites { state.data.messages.append(message) }
            return message
        }
        var body = json(message)
        if case .object(var pairs) = body {
            pairs.append(("status", "received"))
            body = .object(pairs)
        }
        return SimResponses.json(200, body)
    }

    /// Messages, filtered by `?thread_id=` when given.
    private static func list(_ input: RouteInput, _ core: SimCore) -> [StagingData.Message] {
        let messages = core.state.withLock { $0.data.messages }
        guard let threadID = input.query["thread_id"] else { return messages }
        return messages.filter { $0.threadID == threadID }
    }

    private static func json(_ thread: StagingData.Thread) -> JSON {
        ["id": .string(thread.id), "title": .string(thread.title), "created_at": .string(thread.createdAt)]
    }

    private static func json(_ message: StagingData.Message) -> JSON {
        [
            "id": .string(message.id), "thread_id": .string(message.threadID), "role": .string(message.role),
            "content": .string(message.content), "created_at": .string(message.createdAt),
        ]
    }

    private static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
