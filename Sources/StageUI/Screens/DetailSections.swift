import Foundation
import StageModel

/// The kind-specific parts of the detail view: a WebSocket's handshake, connection and close, the
/// event timeline, a stream's body timing and watchdog (live meters while it runs), a burst's statuses.
extension DetailScreen {
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

    /// A label inside a section, indented under the section title.
    func sub(_ s: String) -> Span { Span("  " + s + " ", r.style(.detailLabel)) }

    func websocketItems(view: ViewState) -> [Item] {
        guard let ws = probe.connection ?? probe.last?.websocket else { return [] }
        var out: [Item] = [.line(Line()), .line(Line([Span("WebSocket", r.style(.detailLabel)), dim(ws.url.isEmpty ? "" : "  " + ws.url)]))]
        func add(_ spans: [Span]) { out.append(.line(Line(spans))) }
        let mask = r.glyphs.mask
        var handshake = [sub("handshake")]
        if let status = ws.handshakeStatus {
            let refused = status != 101
            let phrase = status == 101 ? "Switching Protocols" : Format.reason(status)
            handshake.append(Span("\(status)" + (phrase.isEmpty ? "" : " " + phrase), refused ? r.style(.statusFail).adding(.bold) : r.style(.text)))
            if refused { handshake.append(Span("  upgrade refused", r.style(.statusFail))) }
        } else {
            handshake.append(dim("no response"))
        }
        if ws.handshakeStatus == 101 || ws.subprotocol != nil {
            handshake.append(dim("   subprotocol "))
            if let sp = ws.subprotocol {
                handshake.append(text(DetailScreen.displaySubprotocol(sp, mask: mask) + " negotiated"))
            } else {
                handshake.append(Span("missing (not echoed)", r.style(.statusFail)))
            }
        }
        add(handshake)
        if ws.handshakeStatus.map({ $0 != 101 }) ?? false {
            for h in ws.handshakeHeaders.prefix(8) {
                add([dim("  " + h.name + ": "), text(DetailScreen.displayHandshakeHeader(name: h.name, value: h.value, mask: mask))])
            }
        }
        var conn = [sub("connected"), Span("\(ws.connected)/\(ws.attempted)", ws.connected < ws.attempted ? r.style(.statusFail) : r.style(.text))]
        if let slow = ws.slowestHandshakeMs {
            conn.append(dim("   slowest handshake "))
            conn.append(text(TextFormat.latency(slow) + (ws.attempted > 1 ? " of \(ws.attempted)" : "")))
        }
        add(conn)
        if let since = ws.connectedSince {
            let now = snapshot.takenAt
            add([sub("held open"), text("since " + TextFormat.clock(since, zone: view.timeZone) + " (up " + TextFormat.uptime(now.timeIntervalSince(since)) + ")"),
                 dim("   rtt "), text(TextFormat.latency(ws.lastPingRTTMs)),
                 dim("   reconnects "), Span("\(ws.reconnects)", ws.reconnects > 0 ? r.style(.latencyWarn) : r.style(.text))])
        }
        return out
    }

    /// `close    1011 internal error  Internal error`, the code in its close-code colour.
    func closeItem(_ last: ProbeResult) -> Item? {
        guard let code = last.closeCode else { return nil }
        let style = r.style(CloseCodeStyle.role(code)).adding(.bold)
        var spans = [label("close"), Span(String(code), style), Span(" " + Format.closeCodeName(code), r.style(CloseCodeStyle.role(code)))]
        let reason = Masking.redactTokens(last.closeReason ?? "", mask: r.glyphs.mask)
        if !reason.isEmpty { spans.append(text("  " + reason)) }
        return .line(Line(spans))
    }

    func timelineItems(width: Int) -> [Item] {
        guard let last = probe.last, !last.events.isEmpty else { return [] }
        return [.line(Line()), .line(Line([Span("Timeline", r.style(.detailLabel)), dim("  ms from connect, (gap to the event before)")]))]
            + Timeline(events: last.events).lines(renderer: r, width: width).map(Item.line)
    }

    func streamItems(width: Int, view: ViewState) -> [Item] {
        let live = snapshot.activeStreams.first { $0.probe == probe.name }
        let info = probe.last?.stream
        guard live != nil || info != nil else { return [] }
        var out: [Item] = [.line(Line()), .line(Line("Stream", r.style(.detailLabel)))]
        func add(_ spans: [Span]) { out.append(.line(Line(spans))) }
        if let live {
            let now = snapshot.takenAt
            add([sub("running"), text(TextFormat.elapsed(now.timeIntervalSince(live.startedAt))),
                 dim("   \(live.events) events, " + TextFormat.bytes(live.bytes) + " so far")])
            for m in StreamWatch.meters(live, now: now) {
                let style = r.style(StreamWatch.role(m))
                let figures = TextWidth.fit(m.figures + (m.isOver ? " over" : ""), width: 16)
                out.append(.bar(Line([dim("    " + TextWidth.fit(m.kind.label, width: 11)), Span(figures + " ", m.isOver ? style.adding(.bold) : style)]),
                                Bar(length: m.limitMs.map { min(m.elapsedMs, $0) } ?? 0, scale: m.limitMs ?? 1, glyphs: r.glyphs, style: style,
                                    emptyStyle: r.style(.text))))
            }
        }
        if let info {
            add([sub("first body byte"), text(TextFormat.latency(info.firstByteMs)),
                 dim("   chunks "), text("\(info.chunks)"), dim("   bytes "), text(TextFormat.bytes(info.bytes)),
                 dim("   longest gap "), text(TextFormat.latency(info.longestGapMs))])
            let names = TextWidth.wrap(DetailScreen.eventRuns(info.events), width: max(1, width - 10))
            for (k, l) in names.prefix(3).enumerated() { add([k == 0 ? sub("events") : Span("         "), text(l)]) }
            if names.count > 3 { add([Span("         "), dim("… \(info.events.count) events in all")]) }
            if let fire = info.watchdog {
                var spans = [sub("watchdog"), Span(fire.limit.rawValue, r.style(.statusHang).adding(.bold)), text("  " + fire.message)]
                spans.append(dim("  at " + TextFormat.clock(fire.at, zone: view.timeZone)
                    + (fire.lateByMs >= 0.05 ? ", fired " + TextFormat.latency(fire.lateByMs) + " late" : "")))
                add(spans)
            }
        }
        return out
    }

    /// SSE event names with repeats collapsed: `agent_started · message×3 · agent_completed`.
    static func eventRuns(_ events: [String]) -> String {
        var runs: [(String, Int)] = []
        for e in events {
            if let last = runs.last, last.0 == e { runs[runs.count - 1].1 += 1 } else { runs.append((e, 1)) }
        }
        return runs.map { $0.1 > 1 ? "\($0.0)×\($0.1)" : $0.0 }.joined(separator: " · ")
    }
}
