import Foundation

/// What a WebSocket run saw beyond the verdict: the handshake, the negotiated subprotocol, the held-open
/// connection's health. The handshake status and headers are kept when the upgrade is refused (a 403).
public struct WebSocketInfo: Sendable, Equatable {
    public var url: String
    public var handshakeStatus: Int?
    public var handshakeHeaders: [(name: String, value: String)]
    public var subprotocol: String?
    /// Connections that completed the handshake, of `attempted` (concurrency probes: "4/5").
    public var connected: Int
    public var attempted: Int
    public var slowestHandshakeMs: Double?
    /// Held-open probes: when the current connection came up (nil while disconnected).
    public var connectedSince: Date?
    public var lastPingRTTMs: Double?
    public var reconnects: Int

    public init(url: String = "", handshakeStatus: Int? = nil, handshakeHeaders: [(name: String, value: String)] = [], subprotocol: String? = nil,
                connected: Int = 0, attempted: Int = 1, slowestHandshakeMs: Double? = nil, connectedSince: Date? = nil,
                lastPingRTTMs: Double? = nil, reconnects: Int = 0) {
        self.url = url; self.handshakeStatus = handshakeStatus; self.handshakeHeaders = handshakeHeaders
        self.subprotocol = subprotocol; self.connected = connected; self.attempted = attempted
        self.slowestHandshakeMs = slowestHandshakeMs; self.connectedSince = connectedSince
        self.lastPingRTTMs = lastPingRTTMs; self.reconnects = reconnects
    }

    public static func == (a: WebSocketInfo, b: WebSocketInfo) -> Bool {
        a.url == b.url && a.handshakeStatus == b.handshakeStatus && a.subprotocol == b.subprotocol && a.connected == b.connected
            && a.attempted == b.attempted && a.slowestHandshakeMs == b.slowestHandshakeMs && a.connectedSince == b.connectedSince
            && a.lastPingRTTMs == b.lastPingRTTMs && a.reconnects == b.reconnects
            && a.handshakeHeaders.map { "\($0.name):\($0.value)" } == b.handshakeHeaders.map { "\($0.name):\($0.value)" }
    }
}
