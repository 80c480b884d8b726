import Foundation
import StageModel

/// A WebSocket probe's detail: the close that ended the run (under the message), then the handshake,
/// the negotiated subprotocol, connections made, a held-open connection's health, and the timeline of
/// messages. A refused upgrade is an HTTP answer, so the HTTP exchange follows the conditions.
struct WebSocketDetailSection {
    let screen: DetailScreen

    func detail(width: Int, view: ViewState) -> KindDetail {
        KindDetail(lead: screen.probe.last.flatMap(closeItem).map { [$0] } ?? [],
                   sections: connectionItems(view: view) + screen.timelineItems(width: width),
                   exchange: HTTPDetailSection(screen: screen).exchange(width: width, view: view))
    }

    /// The negotiated subprotocol as shown. Staging's `jwt.<base64url(token)>` subprotocol *is* the
    /// token, so only its scheme is ever displayed, whatever the probe layer passed in.
    static func displaySubprotocol(_ value: String, mask: String) -> String {
        if let dot = value.firstIndex(of: "."), value.lowercased().hasPrefix("jwt.") { return String(value[...dot]) + mask }
        return Masking.redactTokens(value, mask: mask)
    }

    /// A handshake header value as shown: sensitive names masked, subprotocol echoes reduced to their scheme.
    static func displayHandshakeHeader(name: String, value: String, mask: String) -> String {
        if name.caseInsensitiveCompare("Sec-WebSocket-Protocol") == .orderedSame { return displaySubprotocol(value, mask: mask) }
        return Masking.display(header: name, value: value, mask: mask)
    }

    /// `close    1011 internal error  Internal error`, the code in its close-code colour.
    func closeItem(_ last: ProbeResult) -> DetailScreen.Item? {
        guard let code = last.closeCode else { return nil }
        let r = screen.r
        let style = r.style(CloseCodeStyle.role(code)).adding(.bold)
        var spans = [screen.label("close"), Span(String(code), style), Span(" " + Format.closeCodeName(code), r.style(CloseCodeStyle.role(code)))]
        let reason = Masking.redactTokens(last.closeReason ?? "", mask: r.glyphs.mask)
        if !reason.isEmpty { spans.append(screen.text("  " + reason)) }
        return .line(Line(spans))
    }

    /// `WebSocket  wss://…`: handshake (status, subprotocol), connections made, the held-open connection.
    func connectionItems(view: ViewState) -> [DetailScreen.Item] {
        let probe = screen.probe, r = screen.r
        guard let ws = probe.connection ?? probe.last?.websocket else { return [] }
        var out: [DetailScreen.Item] = [.line(Line()), .line(Line([Span("WebSocket", r.style(.detailLabel)), screen.dim(ws.url.isEmpty ? "" : "  " + ws.url)]))]
        func add(_ spans: [Span]) { out.append(.line(Line(spans))) }
        let mask = r.glyphs.mask
        var handshake = [screen.sub("handshake")]
        if let status = ws.handshakeStatus {
            let refused = status != 101
            let phrase = status == 101 ? "Switching Protocols" : Format.reason(status)
            handshake.append(Span("\(status)" + (phrase.isEmpty ? "" : " " + phrase), refused ? r.style(.statusFail).adding(.bold) : r.style(.text)))
            if refused { handshake.append(Span("  upgrade refused", r.style(.statusFail))) }
        } else {
            handshake.append(screen.dim("no response"))
        }
        if ws.handshakeStatus == 101 || ws.subprotocol != nil {
            handshake.append(screen.dim("   subprotocol "))
            if let sp = ws.subprotocol {
                handshake.append(screen.text(Self.displaySubprotocol(sp, mask: mask) + " negotiated"))
            } else {
                handshake.append(Span("missing (not echoed)", r.style(.statusFail)))
            }
        }
        add(handshake)
        if ws.handshakeStatus.map({ $0 != 101 }) ?? false {
            for h in ws.handshakeHeaders.prefix(8) {
                add([screen.dim("  " + h.name + ": "), screen.text(Self.displayHandshakeHeader(name: h.name, value: h.value, mask: mask))])
            }
        }
        var conn = [screen.sub("connected"), Span("\(ws.connected)/\(ws.attempted)", ws.connected < ws.attempted ? r.style(.statusFail) : r.style(.text))]
        if let slow = ws.slowestHandshakeMs {
            conn.append(screen.dim("   slowest handshake "))
            conn.append(screen.text(Format.latency(slow) + (ws.attempted > 1 ? " of \(ws.attempted)" : "")))
        }
        add(conn)
        if let since = ws.connectedSince {
            let now = screen.snapshot.takenAt
            add([screen.sub("held open"), screen.text("since " + TextFormat.clock(since, zone: view.timeZone) + " (up " + Format.uptime(now.timeIntervalSince(since)) + ")"),
                 screen.dim("   rtt "), screen.text(Format.latency(ws.lastPingRTTMs)),
                 screen.dim("   reconnects "), Span("\(ws.reconnects)", ws.reconnects > 0 ? r.style(.latencyWarn) : r.style(.text))])
        }
        return out
    }
}
