import Foundation
import StageModel

/// A WebSocket run's connection in a recording: the `websocket` object of a result line, and the
/// `connection` line a held-open probe writes when its connection changes. Handshake headers are not
/// recorded (they may echo the token).
enum WebSocketRecording {
    struct DTO: Codable {
        var url: String
        var handshakeStatus: Int?
        var subprotocol: String?
        var connected: Int
        var attempted: Int
        var slowestHandshakeMs: Double?
        var connectedSince: Date?
        var lastPingRttMs: Double?
        var reconnects: Int
    }

    static func encode(_ r: ProbeResult, into d: inout RecordingCodec.ResultDTO) {
        d.websocket = r.websocket.map(dto)
    }

    static func decode(_ d: RecordingCodec.ResultDTO, into r: inout ProbeResult) {
        r.websocket = d.websocket.map(info)
    }

    static func dto(_ w: WebSocketInfo) -> DTO {
        DTO(url: w.url, handshakeStatus: w.handshakeStatus, subprotocol: w.subprotocol, connected: w.connected, attempted: w.attempted,
            slowestHandshakeMs: w.slowestHandshakeMs, connectedSince: w.connectedSince, lastPingRttMs: w.lastPingRTTMs, reconnects: w.reconnects)
    }

    static func info(_ w: DTO) -> WebSocketInfo {
        WebSocketInfo(url: w.url, handshakeStatus: w.handshakeStatus, subprotocol: w.subprotocol, connected: w.connected, attempted: w.attempted,
                      slowestHandshakeMs: w.slowestHandshakeMs, connectedSince: w.connectedSince, lastPingRTTMs: w.lastPingRttMs, reconnects: w.reconnects)
    }
}
