import Foundation

/// A frame as the test client sees it.
enum WSFrame: Equatable, Sendable {
    case text(String)
    case binary(Data)
    case ping(Data)
    case pong(Data)
    /// `code` nil when the close frame carried no status.
    case close(code: Int?, reason: String)
}

/// A minimal RFC 6455 client for the tests, over raw sockets so nothing is hidden: the handshake's
/// HTTP status, headers and body (a refused upgrade), the echoed subprotocol, every frame including
/// pongs and the close code and reason. Client frames are masked as the RFC requires. It answers a
/// server's close frame with its own, as a well-behaved client does, so the server can finish.
/// `Sec-WebSocket-Accept` is checked for presence only: NIO computes it, and SHA-1 is not worth
/// hand-writing here.
final class RawWebSocket: Sendable {
    let connection: RawConnection
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    /// The body of a refused handshake (empty after a 101).
    let body: String
    private let sentClose = Claim()

    var subprotocol: String? { headers["sec-websocket-protocol"] }

    private init(connection: RawConnection, status: Int, headers: [String: String], body: String) {
        self.connection = connection
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Performs the handshake; returns whatever the server answered (check `status`).
    static func connect(
        port: Int, path: String = "/ws", protocols: [String] = [], headers: [String: String] = [:],
        timeout: Double = 5
    ) async throws -> RawWebSocket {
        let connection = try await RawConnection.open(port: port)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        if !protocols.isEmpty { request += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        try await connection.send(Data((request + "\r\n").utf8))

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
        var body = ""
        if status != 101, let length = fields["content-length"].flatMap({ Int($0) }), length > 0 {
            body = String(decoding: try await connection.read(count: length, timeout: timeout), as: UTF8.self)
        }
        return RawWebSocket(connection: connection, status: status, headers: fields, body: body)
    }

    /// Connects with the token in the subprotocol, as staging's clients did.
    static func connect(port: Int, token: String, extraProtocols: [String] = []) async throws -> RawWebSocket {
        try await connect(port: port, protocols: extraProtocols + [subprotocol(for: token)])
    }

    static func subprotocol(for token: String) -> String {
        "jwt." + Data(token.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    // MARK: - sending

    func send(text: String) async throws {
        try await send(opcode: 0x1, payload: Data(text.utf8))
    }

    func sendPing(_ payload: Data) async throws {
        try await send(opcode: 0x9, payload: payload)
    }

    func sendClose(code: Int = 1000, reason: String = "") async throws {
        guard sentClose.take() else { return }
        try await send(opcode: 0x8, payload: Self.closePayload(code: code, reason: reason))
    }

    func send(opcode: UInt8, payload: Data, fin: Bool = true) async throws {
        try await send(opcode: opcode, payload: payload, declaredLength: payload.count, fin: fin)
    }

    /// A frame whose header declares `declaredLength` bytes while only `payload` follows: enough for a server
    /// that refuses by the declared size, without the rest of a large payload still arriving after its
    /// close (which makes the kernel answer with a reset that can swallow the close frame).
    func send(opcode: UInt8, payload: Data, declaredLength: Int, fin: Bool = true) async throws {
        var frame = Data([(fin ? 0x80 : 0) | opcode])
        switch declaredLength {
        case ..<126: frame.append(0x80 | UInt8(declaredLength))
        case ..<65_536:
            frame.append(0x80 | 126)
            frame.append(contentsOf: [UInt8(declaredLength >> 8), UInt8(declaredLength & 0xff)])
        default:
            frame.append(0x80 | 127)
            frame.append(contentsOf: (0..<8).reversed().map { UInt8((declaredLength >> ($0 * 8)) & 0xff) })
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.append(contentsOf: mask)
        frame.append(contentsOf: payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
        try await connection.send(frame)
    }

    // MARK: - receiving

    /// The next frame within `timeout` seconds; throws `RawConnection.ReadError.timedOut` if none came,
    /// `.closed` if the server dropped the connection.
    func nextFrame(timeout: Double = 5) async throws -> WSFrame {
        let header = try await connection.read(count: 2, timeout: timeout)
        let opcode = header[0] & 0x0f
        let masked = header[1] & 0x80 != 0
        var length = Int(header[1] & 0x7f)
        if length == 126 {
            let extended = try await connection.read(count: 2, timeout: timeout)
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            let extended = try await connection.read(count: 8, timeout: timeout)
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        let mask = masked ? [UInt8](try await connection.read(count: 4, timeout: timeout)) : []
        var payload = length > 0 ? try await connection.read(count: length, timeout: timeout) : Data()
        if masked { payload = Data(payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }) }

        switch opcode {
        case 0x1: return .text(String(decoding: payload, as: UTF8.self))
        case 0x2: return .binary(payload)
        case 0x9: return .ping(payload)
        case 0xA: return .pong(payload)
        case 0x8:
            let code = payload.count >= 2 ? Int(payload[payload.startIndex]) << 8 | Int(payload[payload.startIndex + 1]) : nil
            let reason = payload.count > 2 ? String(decoding: payload.dropFirst(2), as: UTF8.self) : ""
            try? await sendClose(code: code ?? 1000)
            return .close(code: code, reason: reason)
        default:
            throw HTTPClientError(description: "unexpected opcode \(opcode)")
        }
    }

    /// The next text message; a close frame or anything else first is an error naming it.
    func nextText(timeout: Double = 5) async throws -> String {
        let frame = try await nextFrame(timeout: timeout)
        guard case .text(let text) = frame else { throw HTTPClientError(description: "expected text, got \(frame)") }
        return text
    }

    /// Text messages until the server's close frame, then its code and reason.
    func readUntilClose(timeout: Double = 5) async throws -> (texts: [String], code: Int?, reason: String) {
        var texts: [String] = []
        while true {
            switch try await nextFrame(timeout: timeout) {
            case .text(let text): texts.append(text)
            case .close(let code, let reason): return (texts, code, reason)
            default: continue
            }
        }
    }

    /// True if no frame arrives within `seconds` (the connection stays open).
    func isSilent(for seconds: Double) async throws -> Bool {
        do {
            _ = try await nextFrame(timeout: seconds)
            return false
        } catch RawConnection.ReadError.timedOut {
            return true
        }
    }

    func close() {
        connection.close()
    }

    private static func closePayload(code: Int, reason: String) -> Data {
        Data([UInt8(code >> 8), UInt8(code & 0xff)]) + Data(reason.utf8)
    }
}

/// A WebSocket JSON message as a dictionary (tests only read it in the task that parsed it).
func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
