import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a plain socket, for tests that talk to servers on loopback (the agent,
/// Prometheus, the sim's control routes) without URLSession's caching and connection reuse getting
/// between the test and the wire. Every call has a deadline; nothing here can hang a test.
public enum LoopbackHTTP {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// One request with `Connection: close`; the response read to EOF (chunked bodies decoded).
    public static func request(_ url: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil,
                               timeout: Double = 5) throws -> Response {
        let raw = try exchange(method, url, headers: headers, body: body, timeout: timeout) { _ in false }
        return try parse(raw)
    }

    /// Reads a streaming response (server-sent events) until `until` holds for the text so far or the
    /// deadline passes; returns the raw body read (headers stripped, chunk framing removed).
    public static func stream(_ url: String, headers: [String: String] = [:], timeout: Double,
                              until done: @escaping (String) -> Bool) throws -> Response {
        var parsedDone = false
        let raw = try exchange("GET", url, headers: headers, body: nil, timeout: timeout) { soFar in
            guard let r = try? parse(soFar, partial: true) else { return false }
            parsedDone = done(r.body)
            return parsedDone
        }
        return try parse(raw, partial: true)
    }

    /// The same calls from async tests, on a thread of their own: a blocking socket read on the
    /// cooperative pool (two threads on a two-core machine) would starve the very server under test.
    public static func request(_ url: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil,
                               timeout: Double = 5) async throws -> Response {
        try await onOwnThread { try request(url, method: method, headers: headers, body: body, timeout: timeout) as Response }
    }

    public static func stream(_ url: String, headers: [String: String] = [:], timeout: Double,
                              until done: @escaping @Sendable (String) -> Bool) async throws -> Response {
        try await onOwnThread { try stream(url, headers: headers, timeout: timeout, until: done) as Response }
    }

    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            Thread { c.resume(with: Result { try body() }) }.start()
        }
    }

    static func exchange(_ method: String, _ url: String, headers: [String: String], body: String?, timeout: Double,
                         stopWhen: (String) -> Bool) throws -> String {
        guard let u = URLComponents(string: url), let host = u.host, let port = u.port else { throw Failure(description: "bad URL \(url)") }
        let fd = socket(host.contains(":") ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let connected: Int32
        if host.contains(":") {
            var addr = sockaddr_in6()
            addr.sin6_family = sa_family_t(AF_INET6)
            addr.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &addr.sin6_addr)
            connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr)
            connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard connected == 0 else { throw Failure(description: "connect \(host):\(port): \(String(cString: strerror(errno)))") }
        let target = (u.percentEncodedPath.isEmpty ? "/" : u.percentEncodedPath) + (u.percentEncodedQuery.map { "?\($0)" } ?? "")
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { text += "\(k): \(v)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: \(errno)") }
            sent += n
        }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                break
            }
            received.append(contentsOf: buffer[0..<n])
            if stopWhen(String(decoding: received, as: UTF8.self)) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func parse(_ raw: String, partial: Bool = false) throws -> Response {
        guard let split = raw.range(of: "\r\n\r\n") else { throw Failure(description: "no complete response head in \(raw.prefix(200))") }
        let head = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = head.first, statusLine.hasPrefix("HTTP/"), let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw Failure(description: "bad status line: \(head.first ?? "")")
        }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = String(raw[split.upperBound...])
        let chunked = headers.contains { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }
        if chunked { body = dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    /// Removes chunk framing; a last chunk cut off (a stream still open) is kept as far as it came.
    /// Works on bytes: in a Swift String "\r\n" is one Character, so counting characters would misread sizes.
    static func dechunk(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var out = [UInt8]()
        var i = 0
        while i < bytes.count {
            guard let lineEnd = (i..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { break }
            let sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            let end = min(start + size, bytes.count)
            out.append(contentsOf: bytes[start..<end])
            i = end + 2
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A port nothing listens on right now (bound and released), for servers that need one up front.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
