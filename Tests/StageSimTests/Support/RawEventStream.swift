import Foundation

/// One server-sent event.
struct SSEEvent: Equatable, Sendable {
    var name: String
    var data: String
}

/// Reads a `text/event-stream` response as it arrives: the head first, then one event at a time,
/// every read bounded by a timeout, so a stream that hangs fails a test instead of hanging it.
/// Understands chunked bodies (what Hummingbird sends for a body of unknown length).
final class RawEventStream: Sendable {
    enum Next: Equatable, Sendable {
        case event(SSEEvent)
        /// The body ended properly (the final zero-size chunk).
        case end
    }

    let connection: RawConnection
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    private let state = LockedBox(State())

    private struct State {
        /// Decoded body bytes not yet consumed as events.
        var pending = Data()
        var ended = false
    }

    private init(connection: RawConnection, status: Int, headers: [String: String]) {
        self.connection = connection
        self.status = status
        self.headers = headers
    }

    static func open(
        port: Int, method: String = "GET", path: String, token: String?, body: String? = nil, timeout: Double = 5
    ) async throws -> RawEventStream {
        let connection = try await RawConnection.open(port: port)
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        let payload = Data((body ?? "").utf8)
        if method == "POST" || body != nil {
            request += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n"
        }
        try await connection.send(Data((request + "\r\n").utf8) + payload)

        let head = String(decoding: try await connection.read(through: HTTPParse.separator, timeout: timeout), as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusParts = lines.removeFirst().split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw HTTPClientError(description: "bad status line in \(head)")
        }
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawEventStream(connection: connection, status: status, headers: fields)
    }

    /// The next event or the end, within `timeout` seconds (else `RawConnection.ReadError.timedOut`).
    func next(timeout: Double = 5) async throws -> Next {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let event = takeEvent() { return .event(event) }
            if state.withLock({ $0.ended }) { return .end }
            try await readChunk(timeout: max(0, deadline.timeIntervalSinceNow))
        }
    }

    /// Every event until the end of the body.
    func readToEnd(timeout: Double = 5) async throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        while case .event(let event) = try await next(timeout: timeout) { events.append(event) }
        return events
    }

    /// True if not one body byte arrives within `seconds`.
    func isSilent(for seconds: Double) async throws -> Bool {
        if takeEventIfAny() { return false }
        do {
            try await readChunk(timeout: seconds)
            return false
        } catch RawConnection.ReadError.timedOut {
            return true
        }
    }

    func close() {
        connection.close()
    }

    private func takeEventIfAny() -> Bool {
        state.withLock { !$0.pending.isEmpty || $0.ended }
    }

    /// One chunk of a chunked body into `pending` (size line, data, CRLF; size 0 ends the body).
    private func readChunk(timeout: Double) async throws {
        let crlf = Data("\r\n".utf8)
        let sizeLine = try await connection.read(through: crlf, timeout: timeout)
        let sizeText = String(decoding: sizeLine.dropLast(2), as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
            throw HTTPClientError(description: "bad chunk size line '\(sizeText)'")
        }
        let data = try await connection.read(count: size + 2, timeout: max(timeout, 1))
        state.withLock {
            if size == 0 { $0.ended = true } else { $0.pending.append(data.prefix(size)) }
        }
    }

    /// Parses one complete event (up to a blank line) out of `pending`.
    private func takeEvent() -> SSEEvent? {
        state.withLock { state -> SSEEvent? in
            guard let end = state.pending.range(of: Data("\n\n".utf8)) else { return nil }
            let text = String(decoding: state.pending[..<end.lowerBound], as: UTF8.self)
            state.pending.removeSubrange(..<end.upperBound)
            var event = SSEEvent(name: "message", data: "")
            for line in text.split(separator: "\n") {
                if line.hasPrefix("event:") { event.name = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("data:") { event.data += line.dropFirst(5).trimmingCharacters(in: .whitespaces) }
            }
            return event
        }
    }
}

/// A lock-guarded value for test support types that are shared across threads.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
