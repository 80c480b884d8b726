import Foundation

#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let streamSocket = SOCK_STREAM
#endif

/// A minimal HTTP/1.1 client for the tests: one request per connection (`Connection: close`), never
/// follows redirects, every socket call bounded by a timeout. Blocking I/O runs on its own thread so
/// it never occupies the (two-thread, on this machine) cooperative pool the server's handlers need.
/// URLSession was not used: on Linux it follows 307s unless given a delegate, and its behaviour
/// under Swift 6 concurrency has varied between toolchains.
struct HTTPReply: Sendable {
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    let body: Data
    /// From before connecting to the end of the body.
    let elapsedMs: Double

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as a JSON object, or nil.
    func json() -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

struct HTTPClientError: Error, CustomStringConvertible {
    let description: String
}

enum RawHTTP {
    static func send(
        _ method: String,
        port: Int,
        path: String,
        headers: [String: String] = [:],
        body: String? = nil,
        timeoutSeconds: Double = 5
    ) async throws -> HTTPReply {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPReply, any Error>) in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        try perform(
                            method, port: port, path: path, headers: headers, body: body,
                            timeoutSeconds: timeoutSeconds)
                    })
            }
            thread.start()
        }
    }

    private static func perform(
        _ method: String, port: Int, path: String, headers: [String: String], body: String?,
        timeoutSeconds: Double
    ) throws -> HTTPReply {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started.advanced(by: .milliseconds(Int(timeoutSeconds * 1000)))

        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw HTTPClientError(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }

        var timeout = timeval(tv_sec: Int(timeoutSeconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw HTTPClientError(description: "connect failed: errno \(errno)") }

        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let payload = Data((body ?? "").utf8)
        if body != nil || method == "POST" || method == "PUT" {
            if headers["Content-Type"] == nil { head += "Content-Type: application/json\r\n" }
            head += "Content-Length: \(payload.count)\r\n"
        }
        let request = Data((head + "\r\n").utf8) + payload
        try request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = sendAll(fd, raw.baseAddress! + offset, raw.count - offset)
                guard sent > 0 else { throw HTTPClientError(description: "send failed: errno \(errno)") }
                offset += sent
            }
        }

        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            guard clock.now < deadline else { throw HTTPClientError(description: "timed out after \(timeoutSeconds)s") }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                // A reset after a complete response still counts as the response.
                if errno == ECONNRESET, HTTPParse.isComplete(received) { break }
                throw HTTPClientError(description: errno == EAGAIN ? "timed out after \(timeoutSeconds)s" : "recv failed: errno \(errno)")
            }
            received.append(contentsOf: buffer[0..<count])
            if HTTPParse.isComplete(received) { break }
        }
        let elapsed = started.duration(to: clock.now)
        let elapsedMs = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return try HTTPParse.reply(received, elapsedMs: elapsedMs)
    }

    private static func sendAll(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
        #else
        return Darwin.send(fd, pointer, count, 0)
        #endif
    }
}

/// Parsing just enough HTTP/1.1: status line, headers, and a Content-Length or chunked body.
enum HTTPParse {
    static let separator = Data("\r\n\r\n".utf8)

    static func isComplete(_ data: Data) -> Bool {
        (try? reply(data, elapsedMs: 0, requireComplete: true)) != nil
    }

    static func reply(_ data: Data, elapsedMs: Double, requireComplete: Bool = false) throws -> HTTPReply {
        guard let split = data.range(of: separator) else { throw HTTPClientError(description: "no header end") }
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.removeFirst().split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw HTTPClientError(description: "bad status line")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = try dechunk(body)
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard body.count >= length else { throw HTTPClientError(description: "short body") }
            body = body.prefix(length)
        } else if requireComplete {
            // No length: complete only at end of stream.
            throw HTTPClientError(description: "length unknown")
        }
        return HTTPReply(status: status, headers: headers, body: body, elapsedMs: elapsedMs)
    }

    private static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var rest = data[...]
        while true {
            guard let lineEnd = rest.range(of: Data("\r\n".utf8)) else { throw HTTPClientError(description: "short chunk") }
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw HTTPClientError(description: "bad chunk size")
            }
            rest = rest[lineEnd.upperBound...]
            if size == 0 { return out }
            guard rest.count >= size + 2 else { throw HTTPClientError(description: "short chunk") }
            out.append(rest.prefix(size))
            rest = rest.dropFirst(size + 2)
        }
    }
}
