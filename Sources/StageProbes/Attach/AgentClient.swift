import Foundation
import StageModel

/// `watch --attach`'s side of a `stagetop agent`: its state document, its event stream and its
/// controls, over the probes' own libcurl engine.
public struct AgentClient: Sendable {
    public let baseURL: String
    let token: String?
    let engine: CurlEngine

    public init(baseURL: String, token: String?, engine: CurlEngine) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base; self.token = token; self.engine = engine
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    var authHeaders: HeaderList { token.map { [("Authorization", "Bearer \($0)")] } ?? [] }

    /// `GET /api/v1/state`: the document and the id of the last event it includes.
    public func state() async -> Result<(body: [UInt8], lastEventID: UInt64), Failure> {
        let request = HTTPRequest(url: baseURL + "/api/v1/state", headers: authHeaders, timeout: 10, connectTimeout: 3, maxBodyBytes: 256 << 20)
        switch await engine.perform(request) {
        case .success(let r) where r.status == 200:
            let id = r.headers.first { $0.name.lowercased() == "stagetop-last-event-id" }.flatMap { UInt64($0.value) } ?? 0
            return .success((r.body, id))
        case .success(let r):
            return .failure(Failure(description: r.status == 401 ? "401: the agent needs a token (--api-token-env)" : "answered \(r.status)"))
        case .failure(let f):
            return .failure(Failure(description: f.message))
        }
    }

    /// Follows `GET /api/v1/events` after `lastEventID` until the agent goes away (or nothing, not even a
    /// heartbeat, arrives for `idle` seconds); `onEvent` gets each event's id and type as it arrives.
    public func follow(after lastEventID: UInt64, idle: Double = 45, onEvent: @escaping @Sendable (UInt64, String) -> Void) async -> Failure {
        let parser = EventLineParser(onEvent: onEvent)
        var request = HTTPRequest(url: baseURL + "/api/v1/events?after=\(lastEventID)", headers: authHeaders + [("Accept", "text/event-stream")],
                                  timeout: 0, connectTimeout: 3, maxBodyBytes: 0)
        request.idleTimeout = idle
        request.onBody = { parser.feed($0) }
        switch await engine.perform(request) {
        case .success(let r) where r.status == 200: return Failure(description: "the agent ended the event stream")
        case .success(let r): return Failure(description: "events answered \(r.status)")
        case .failure(let f): return Failure(description: f.message)
        }
    }

    /// `POST path` (run, pause): the status, or nil when the agent could not be reached.
    public func post(_ pathAndQuery: String) async -> Int? {
        let request = HTTPRequest(url: baseURL + pathAndQuery, method: "POST", headers: authHeaders, timeout: 5, connectTimeout: 3)
        if case .success(let r) = await engine.perform(request) { return r.status }
        return nil
    }
}

/// Splits a server-sent-event stream into events (id and type; the data is not needed: an event only
/// says that the state moved). Lines may arrive split across chunks.
final class EventLineParser: @unchecked Sendable {  // fed from the engine's one thread
    private var pending: [UInt8] = []
    private var id: UInt64?
    private var type = "message"
    private let onEvent: @Sendable (UInt64, String) -> Void

    init(onEvent: @escaping @Sendable (UInt64, String) -> Void) { self.onEvent = onEvent }

    func feed(_ bytes: [UInt8]) {
        pending += bytes
        while let nl = pending.firstIndex(of: 0x0A) {
            var line = pending[..<nl]
            if line.last == 0x0D { line = line.dropLast() }
            pending.removeSubrange(...nl)
            handle(String(decoding: line, as: UTF8.self))
        }
        if pending.count > 1 << 20 { pending.removeAll() }  // a line over 1 MB is not ours
    }

    private func handle(_ line: String) {
        if line.isEmpty {
            if let id { onEvent(id, type) }
            id = nil; type = "message"
        } else if line.hasPrefix("id:") {
            id = UInt64(line.dropFirst(3).trimmingCharacters(in: .whitespaces))
        } else if line.hasPrefix("event:") {
            type = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
        }
    }
}
