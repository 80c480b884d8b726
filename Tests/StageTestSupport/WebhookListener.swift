import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP listener that keeps every request it receives (method, path, headers, body) and
/// answers each with a fixed status: the far end of a webhook, for alert tests. Runs on its own thread,
/// one connection at a time; `stop()` closes it.
public final class WebhookListener: @unchecked Sendable {  // `received` and `status` behind `lock`
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: String
    }

    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var requests: [Request] = []
    private var answer: Int
    private var stopped = false

    public var url: String { "http://127.0.0.1:\(port)/hook" }

    public init(status: Int = 200) throws {
        answer = status
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw LoopbackHTTP.Failure(description: "webhook listener: bind/listen failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        self.port = port
        Thread { [self] in serve() }.start()
    }

    public var received: [Request] { lock.withLock { requests } }
    public func setStatus(_ s: Int) { lock.withLock { answer = s } }

    public func stop() {
        lock.withLock { stopped = true }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while !lock.withLock({ stopped }) {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { if errno == EINTR { continue }; return }
            var tv = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            if let request = read(client) {
                let status = lock.withLock { requests.append(request); return answer }
                let reply = "HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                _ = reply.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            }
            close(client)
        }
    }

    /// One request: the head, then exactly Content-Length bytes of body.
    private func read(_ client: Int32) -> Request? {
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 16384)
        var headEnd: Int?
        var needed = Int.max
        while data.count < needed {
            let n = buf.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            data.append(contentsOf: buf[0..<n])
            if headEnd == nil, let r = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                headEnd = r.upperBound
                let head = String(decoding: data[..<r.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                needed = r.upperBound + length
            }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: data[..<(headEnd - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let first = lines[0].split(separator: " ")
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(first[0]), path: String(first[1]), headers: headers,
                       body: String(decoding: data[headEnd...], as: UTF8.self))
    }
}
