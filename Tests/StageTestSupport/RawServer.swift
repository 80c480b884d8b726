import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately hostile server on plain blocking sockets, for what the simulated staging will not do:
/// status lines that are not HTTP, headers of a megabyte, lying lengths, resets mid-body, WebSocket frames
/// with absurd length headers, bad `Sec-WebSocket-Accept`, silence, scripted event orders, bodies and
/// reasons that echo the token. Each connection runs `behavior` on its own thread; loopback only.
public final class RawServer: @unchecked Sendable {
    public let port: Int
    private let listenFD: Int32
    private let behavior: @Sendable (RawConnection) -> Void
    private let lock = NSLock()
    private var open: Set<Int32> = []
    private var stopped = false

    public var wsURL: String { "ws://127.0.0.1:\(port)/ws" }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far (a redirect loop or a retry shows up here).
    public var accepted: Int { lock.withLock { acceptedCount } }
    private var acceptedCount = 0

    public init(_ behavior: @escaping @Sendable (RawConnection) -> Void) {
        self.behavior = behavior
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listen(fd, 64)
        listenFD = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// File descriptors are closed only by the thread that owns them, after they leave `open` under the
    /// lock: tests run in parallel, and shutting down a number the kernel already gave to another test's
    /// socket would break that test.
    private func acceptLoop() {
        defer { close(listenFD) }
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 { return }
            let keep: Bool = lock.withLock {
                if stopped { return false }
                open.insert(fd)
                acceptedCount += 1
                return true
            }
            guard keep else { close(fd); return }
            let conn = RawConnection(fd: fd)
            let behavior = self.behavior
            Thread { [self] in
                behavior(conn)
                lock.withLock { _ = open.remove(fd) }
                conn.close()
            }.start()
        }
    }

    /// Stops accepting and drops every connection (their threads see EOF and end).
    public func stop() {
        lock.withLock {
            stopped = true
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        // Wakes `accept`; the accept thread closes the listening socket itself.
        shutdown(listenFD, Int32(SHUT_RDWR))
    }
}

public final class RawConnection: @unchecked Sendable {
    public let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    public init(fd: Int32) { self.fd = fd }

    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// The request head's lines; nil on EOF.
    public func readRequest() -> [String]? {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                return head.components(separatedBy: "\r\n")
            }
            guard fill() else { return nil }
        }
    }

    public static func header(_ name: String, in lines: [String]) -> String? {
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Reads the upgrade request and answers 101; `accept` overrides the computed Sec-WebSocket-Accept;
    /// `then` goes out in the same write as the 101 (one TCP segment on loopback).
    @discardableResult
    public func upgrade(echoProtocol: Bool = true, accept: String? = nil, then extra: [UInt8] = []) -> [String]? {
        guard let lines = readRequest(), let key = Self.header("Sec-WebSocket-Key", in: lines) else { return nil }
        var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        response += "Sec-WebSocket-Accept: \(accept ?? Self.acceptValue(for: key))\r\n"
        if echoProtocol, let p = Self.header("Sec-WebSocket-Protocol", in: lines) {
            response += "Sec-WebSocket-Protocol: \(p.split(separator: ",")[0].trimmingCharacters(in: .whitespaces))\r\n"
        }
        write(Array((response + "\r\n").utf8) + extra)
        return lines
    }

    public func refuse(status: Int, reason: String, body: String) {
        _ = readRequest()
        let b = Array(body.utf8)
        write(Array("HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/plain\r\nContent-Length: \(b.count)\r\nConnection: close\r\n\r\n".utf8) + b)
    }

    public func sendText(_ text: String) { write(Self.frame(opcode: 1, payload: Array(text.utf8))) }

    public func sendClose(code: UInt16, reason: String) { write(Self.closeFrame(code: code, reason: reason)) }

    public static func closeFrame(code: UInt16, reason: String) -> [UInt8] {
        frame(opcode: 8, payload: [UInt8(code >> 8), UInt8(code & 0xff)] + Array(reason.utf8))
    }

    /// Ends our sending side (FIN) and keeps reading.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// A server frame (unmasked). `fin: false` starts or continues a fragmented message.
    public static func frame(opcode: UInt8, payload: [UInt8], fin: Bool = true) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let n = payload.count
        if n < 126 { out.append(UInt8(n)) }
        else if n < 65536 { out += [126, UInt8(n >> 8), UInt8(n & 0xff)] }
        else { out.append(127); for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(n) >> UInt64(shift)) & 0xff)) } }
        return out + payload
    }

    /// A frame header that claims `length` bytes of payload (which never come).
    public static func hugeFrameHeader(length: UInt64) -> [UInt8] {
        var out: [UInt8] = [0x81, 127]
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((length >> UInt64(shift)) & 0xff)) }
        return out
    }

    /// The next client frame (unmasked), nil on EOF.
    public func readFrame() -> (opcode: UInt8, payload: [UInt8])? {
        func need(_ n: Int) -> Bool {
            while buffer.count < n { guard fill() else { return false } }
            return true
        }
        guard need(2) else { return nil }
        let opcode = buffer[0] & 0x0f
        let masked = buffer[1] & 0x80 != 0
        var len = Int(buffer[1] & 0x7f)
        var offset = 2
        if len == 126 { guard need(4) else { return nil }; len = Int(buffer[2]) << 8 | Int(buffer[3]); offset = 4 }
        else if len == 127 {
            guard need(10) else { return nil }
            len = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }; offset = 10
        }
        let maskLen = masked ? 4 : 0
        guard need(offset + maskLen + len) else { return nil }
        let mask = Array(buffer[offset..<(offset + maskLen)])
        var payload = Array(buffer[(offset + maskLen)..<(offset + maskLen + len)])
        if masked { for i in payload.indices { payload[i] ^= mask[i % 4] } }
        buffer.removeFirst(offset + maskLen + len)
        return (opcode, payload)
    }

    /// Reads frames until the client's close; its code, nil on EOF first.
    public func readCloseCode(maxFrames: Int = 100) -> UInt16? {
        for _ in 0..<maxFrames {
            guard let f = readFrame() else { return nil }
            if f.opcode == 8 { return f.payload.count >= 2 ? UInt16(f.payload[0]) << 8 | UInt16(f.payload[1]) : 1005 }
        }
        return nil
    }

    /// Blocks until the peer goes away.
    public func waitForEOF() { while fill() { buffer.removeAll() } }

    public func write(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        buffer += chunk[..<n]
        return true
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where Array(buffer[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    // MARK: HTTP

    /// Writes `text` (CRLFs as given) and returns whether the peer took all of it.
    public func send(_ text: String) { write(Array(text.utf8)) }

    /// Writes `bytes` a few at a time with `pause` seconds between them, until `deadline` seconds have
    /// passed or the peer is gone: a slowloris on our own client.
    public func trickle(_ bytes: [UInt8], every pause: Double, for seconds: Double, chunk: Int = 1) {
        let end = Date().addingTimeInterval(seconds)
        var i = 0
        while Date() < end {
            let piece = Array(bytes[i % bytes.count ..< min(bytes.count, i % bytes.count + chunk)])
            if !writeAll(piece) { return }
            i += piece.count
            Thread.sleep(forTimeInterval: pause)
        }
    }

    /// Writes until the peer stops reading or goes away, or `seconds` pass; the bytes written.
    @discardableResult
    public func flood(_ piece: [UInt8], for seconds: Double) -> Int {
        let end = Date().addingTimeInterval(seconds)
        var total = 0
        while Date() < end {
            if !writeAll(piece) { break }
            total += piece.count
        }
        return total
    }

    /// Closes with RST instead of FIN (SO_LINGER 0): "connection reset by peer" on the other side.
    public func reset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// Blocks until the peer goes away or `seconds` pass (a server that says nothing).
    public func silence(upTo seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        waitForEOF()
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    public static func acceptValue(for key: String) -> String {
        Data(SHA1.hash(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }
}

/// SHA-1 (RFC 3174), only for Sec-WebSocket-Accept in the test server: Foundation on Linux has none.
public enum SHA1 {
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var m = message
        let bitLength = UInt64(message.count) * 8
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { m.append(UInt8((bitLength >> UInt64(shift)) & 0xff)) }
        for chunk in stride(from: 0, to: m.count, by: 64) {
            var w = [UInt32](repeating: 0, count: 80)
            for i in 0..<16 {
                w[i] = m[chunk + 4 * i..<chunk + 4 * i + 4].reduce(0) { $0 << 8 | UInt32($1) }
            }
            for i in 16..<80 { w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotl(1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let t = a.rotl(5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b.rotl(30), a, t)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return h.flatMap { v in [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
    }
}

private extension UInt32 {
    func rotl(_ n: UInt32) -> UInt32 { (self << n) | (self >> (32 - n)) }
}
