import Foundation
import Hummingbird
import NIOCore
import StageModel

/// The agent's routes. `/healthz` is always open; the rest need the bearer token when one is set.
/// Every answer is built from state the probes have already written: a scrape or a snapshot never
/// waits for a probe to finish.
struct AgentResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let backend: any AgentBackend
    let feed: EventFeed
    let access: APIAccess
    let heartbeat: Swift.Duration

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let method = request.method
        if path == "/healthz" {
            guard method == .get || method == .head else { return Self.methodNotAllowed("GET") }
            return Self.json(.ok, #"{"status":"ok","probes":\#(backend.probeCount)}"#)
        }
        guard access.admits(authorization: request.headers[.authorization]) else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = #"Bearer realm="stagetop""#
            return Self.json(.unauthorized, #"{"error":"this agent needs Authorization: Bearer <token> (--api-token-env)"}"#, headers: headers)
        }
        switch path {
        case "/metrics":
            guard method == .get || method == .head else { return Self.methodNotAllowed("GET") }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: backend.withMetrics { ByteBuffer(bytes: $0) }))
        case "/api/v1/snapshot":
            guard method == .get else { return Self.methodNotAllowed("GET") }
            let (json, lastID) = backend.snapshotJSON()
            var headers = HTTPFields()
            headers[Self.lastEventIDHeader] = String(lastID)
            return Self.json(.ok, json, headers: headers)
        case "/api/v1/state":
            guard method == .get else { return Self.methodNotAllowed("GET") }
            let (body, lastID) = backend.withState { (ByteBuffer(bytes: $0), $1) }
            var headers = HTTPFields()
            headers[Self.lastEventIDHeader] = String(lastID)
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        case "/api/v1/events":
            guard method == .get else { return Self.methodNotAllowed("GET") }
            return events(after: Self.resumeID(request))
        case "/api/v1/run":
            guard method == .post else { return Self.methodNotAllowed("POST") }
            guard access.allowsControl else { return Self.readOnly }
            let probe = request.uri.queryParameters.get("probe")
            guard await backend.run(probe: probe) else {
                return Self.json(.notFound, #"{"error":"no enabled probe named "# + Self.jsonString(probe ?? "") + "}")
            }
            return Self.json(.accepted, #"{"run":"# + Self.jsonString(probe ?? "all") + "}")
        case "/api/v1/pause":
            guard method == .post else { return Self.methodNotAllowed("POST") }
            guard access.allowsControl else { return Self.readOnly }
            let value = request.uri.queryParameters.get("paused") ?? "toggle"
            let paused: Bool
            switch value {
            case "true", "1": paused = true
            case "false", "0": paused = false
            case "toggle": paused = !backend.isPaused
            default: return Self.json(.badRequest, #"{"error":"paused must be true, false or toggle"}"#)
            }
            await backend.setPaused(paused)
            return Self.json(.ok, #"{"paused":\#(paused)}"#)
        default:
            return Self.json(.notFound, #"{"error":"no such route; see /healthz, /metrics, /api/v1/snapshot, /api/v1/events"}"#)
        }
    }

    /// The event stream: the backlog after the client's last id, then live events, with a heartbeat
    /// while idle. It ends when the client leaves (a write fails) or the agent stops (the feed closes).
    private func events(after lastID: UInt64?) -> Response {
        let sub = feed.subscribe(after: lastID)
        let feed = feed
        let heartbeat = heartbeat
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[HTTPFields.Element.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { feed.unsubscribe(sub.id) }
            var text = ServerSentEvents.preamble
            var last = lastID ?? 0
            if sub.missed > 0 {
                text += ServerSentEvents.gap(missed: sub.missed, resumeAt: (sub.backlog.first?.id ?? last + sub.missed + 1) - 1)
            }
            for item in sub.backlog { text += ServerSentEvents.frame(item); last = item.id }
            try await writer.write(ByteBuffer(string: text))
            // An idle subscriber still writes now and then, and so notices a client that has gone.
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    feed.heartbeat(sub.id)
                }
            }
            defer { ticker.cancel() }
            for await next in sub.stream {
                guard let item = next else {
                    try await writer.write(ByteBuffer(string: ServerSentEvents.heartbeat))
                    continue
                }
                guard item.id > last else { continue }  // already sent from the backlog
                var out = ""
                if last > 0, item.id > last + 1 { out += ServerSentEvents.gap(missed: item.id - last - 1, resumeAt: item.id - 1) }
                out += ServerSentEvents.frame(item)
                last = item.id
                try await writer.write(ByteBuffer(string: out))
            }
            try await writer.finish(nil)
        })
    }

    static let lastEventIDHeader = HTTPFields.Element.Name("Stagetop-Last-Event-Id")!

    /// `Last-Event-ID` (an EventSource reconnecting) or `?after=N` (a client that read the snapshot).
    static func resumeID(_ request: Request) -> UInt64? {
        if let h = request.headers[HTTPFields.Element.Name("Last-Event-ID")!], let id = UInt64(h.trimmingCharacters(in: CharacterSet.whitespaces)) { return id }
        return request.uri.queryParameters.get("after").flatMap { UInt64($0) }
    }

    static let readOnly = json(.forbidden, #"{"error":"this agent is read-only (--read-only): re-run and pause are not allowed"}"#)

    static func methodNotAllowed(_ allow: String) -> Response {
        var headers = HTTPFields()
        headers[.allow] = allow
        return json(.methodNotAllowed, #"{"error":"method not allowed; use \#(allow)"}"#, headers: headers)
    }

    static func json(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields = HTTPFields()) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body + "\n")))
    }

    /// A JSON string literal, quotes included.
    static func jsonString(_ s: String) -> String {
        var out = ""
        JSONValue.quote(s, into: &out)
        return out
    }
}
