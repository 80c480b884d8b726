import Foundation
import StageModel

/// The MESSAGE column of a probe row: the last result's message, led by what the kind of probe adds —
/// a held-open WebSocket's health (`up 3m ⟳2 rtt 1.2ms`), a concurrency probe's `4/5 connected`, a
/// burst's status multiset (`38×200 12×429`). The MESSAGE column survives at 80 columns, so these do too.
enum RowText {
    static func message(_ p: ProbeState, now: Date, glyphs: GlyphSet) -> String {
        guard p.enabled else { return "disabled" }
        var parts: [String] = []
        if let ws = p.connection ?? p.last?.websocket {
            if ws.attempted > 1 { parts.append("\(ws.connected)/\(ws.attempted) connected") }
            if let held = heldOpen(ws, now: now, glyphs: glyphs) { parts.append(held) }
        }
        if let last = p.last, !last.statuses.isEmpty {
            let multiset = Format.statusCounts(last.statuses)
            if !last.message.contains(multiset) { parts.append(multiset) }
        }
        if let last = p.last {
            if !last.message.isEmpty { parts.append(last.message) }
        } else {
            parts.append(p.runningSince == nil ? "waiting for the first run" : "first run in progress")
        }
        return parts.joined(separator: " · ")
    }

    /// `up 3m ⟳2 rtt 1.2ms` for a connection held open now; nil when not connected.
    static func heldOpen(_ ws: WebSocketInfo, now: Date, glyphs: GlyphSet) -> String? {
        guard let since = ws.connectedSince else { return nil }
        var s = "up " + Format.age(now.timeIntervalSince(since))
        if ws.reconnects > 0 { s += " " + glyphs.reconnect + "\(ws.reconnects)" }
        if let rtt = ws.lastPingRTTMs { s += " rtt " + Format.latency(rtt) }
        return s
    }
}
