import Foundation

#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let streamSocket = SOCK_STREAM
#endif

/// At file scope `close` is the C function; inside `RawConnection` it would be the method.
private func closeSocket(_ fd: Int32) {
    _ = close(fd)
}

/// One TCP connection to the simulator that stays open across several exchanges (a WebSocket, an
/// event stream), with a read buffer and every read bounded by a deadline (`poll`). Like `RawHTTP`,
/// each blocking call runs on its own thread, never on the cooperative pool the server needs.
/// Calls on one connection are made one at a time by the test that owns it.
final class RawConnection: @unchecked Sendable {
    enum ReadError: Error, Equatable {
        /// Nothing (or not enough) arrived before the deadline.
        case timedOut
        /// The server closed the connection.
        case closed
    }

    private let fd: Int32
    private let lock = NSLock()
    private var buffer = Data()
    private var isClosed = false

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close()
    }

    static func open(port: Int, host: String = "127.0.0.1") async throws -> RawConnection {
        try await onThread {
            let fd = socket(AF_INET, streamSocket, 0)
            guard fd >= 0 else { throw HTTPClientError(description: "socket() failed: errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                let error = errno
                closeSocket(fd)
                throw HTTPClientError(description: "connect failed: errno \(error)")
            }
            return RawConnection(fd: fd)
        }
    }

    func send(_ data: Data) async throws {
        try await Self.onThread { try self.sendNow(data) }
    }

    /// Bytes up to and including `separator`, waiting at most `timeout` seconds.
    func read(through separator: Data, timeout: Double) async throws -> Data {
        try await Self.onThread {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                // Data slices keep their indices: measure from startIndex, not from 0.
                if let count = self.locked({ self.buffer.range(of: separator).map { $0.upperBound - self.buffer.startIndex } }) {
                    return self.take(count)
                }
                try self.fill(until: deadline)
            }
        }
    }

    /// Exactly `count` bytes, waiting at most `timeout` seconds.
    func read(count: Int, timeout: Double) async throws -> Data {
        try await Self.onThread {
            let deadline = Date().addingTimeInterval(timeout)
            while self.locked({ self.buffer.count }) < count {
                try self.fill(until: deadline)
            }
            return self.take(count)
        }
    }

    /// True if the server closed the connection (no more bytes) within `timeout`; buffered bytes are
    /// kept. False if the connection is still open, or more bytes arrived.
    func closedByPeer(within timeout: Double) async -> Bool {
        (try? await Self.onThread {
            let deadline = Date().addingTimeInterval(timeout)
            let before = self.locked { self.buffer.count }
            while self.locked({ self.buffer.count }) == before {
                do {
                    try self.fill(until: deadline)
                } catch ReadError.closed {
                    return true
                }
            }
            return false
        }) ?? false
    }

    func close() {
        let fd = locked { () -> Int32? in
            guard !isClosed else { return nil }
            isClosed = true
            return self.fd
        }
        if let fd { closeSocket(fd) }
    }

    // MARK: - blocking internals

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private func take(_ count: Int) -> Data {
        locked {
            let head = Data(buffer.prefix(count))
            buffer.removeFirst(count)
            return head
        }
    }

    /// Appends whatever arrives next, or throws `timedOut` / `closed`.
    private func fill(until deadline: Date) throws {
        let remainingMs = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, remainingMs)
        if ready < 0 {
            if errno == EINTR { return }
            throw HTTPClientError(description: "poll failed: errno \(errno)")
        }
        guard ready > 0 else { throw ReadError.timedOut }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count == 0 { throw ReadError.closed }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            if errno == ECONNRESET { throw ReadError.closed }
            throw HTTPClientError(description: "recv failed: errno \(errno)")
        }
        locked { buffer.append(contentsOf: chunk[0..<count]) }
    }

    private func sendNow(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let sent = Darwin.send(fd, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
                guard sent > 0 else { throw HTTPClientError(description: "send failed: errno \(errno)") }
                offset += sent
            }
        }
    }

    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
