import Foundation
import StageModel

/// Streams running now, each limit as a meter that fills between frames, then the watchdogs that
/// fired recently (newest first):
///
///     ── watchdogs 1 running · 2 fired ──────────────────────────────────────────
///     chat_stream   first byte ▕████▌     ▏ 4.2s/5.0s    total ▕▋         ▏ 4.2s/1m00s   0 ev 0 B
///     10:41:02 critical_event_delivery max_gap no data for 10.0 s after 3 events, 412 B (fired 12ms late)
///
/// A stream past a limit but not yet judged turns the hang colour before the verdict arrives.
struct WatchdogPanel {
    let r: Renderer
    let snapshot: Snapshot
    let zone: TimeZone

    /// Fired watchdogs a full pane lists.
    static let maxFired = 4

    var hasContent: Bool { !snapshot.activeStreams.isEmpty || !snapshot.watchdogs.isEmpty }

    var wantedHeight: Int {
        hasContent ? 1 + snapshot.activeStreams.count + min(snapshot.watchdogs.count, WatchdogPanel.maxFired) : 0
    }

    var now: Date { snapshot.takenAt }

    func summary() -> Line {
        var line = Line()
        let active = snapshot.activeStreams
        line.append("\(active.count) running", r.style(.textDim))
        let over = active.filter { $0.overLimit(now: now) != nil }.count
        if over > 0 { line.append(" · \(over) past a limit", r.style(.statusHang)) }
        if !snapshot.watchdogs.isEmpty { line.append(" · \(snapshot.watchdogs.count) fired", r.style(.statusHang)) }
        return line
    }

    /// One line for a squeezed pane: the most urgent stream and the latest fire.
    func compactSummary() -> Line {
        var line = Line()
        let urgent = snapshot.activeStreams.max { a, b in
            (a.meters(now: now).map(\.fraction).max() ?? 0) < (b.meters(now: now).map(\.fraction).max() ?? 0)
        }
        if let p = urgent, let m = p.meters(now: now).max(by: { $0.fraction < $1.fraction }) {
            line.append(p.probe + " ", r.style(.text))
            line.append(m.label + " " + m.figures, r.style(m.role))
        }
        if let fire = snapshot.watchdogs.last {
            if !line.spans.isEmpty { line.append(" · ", r.style(.textDim)) }
            line.append("fired ", r.style(.textDim))
            line.append(fire.probe + " ", r.style(.text))
            line.append(fire.message, r.style(.statusHang))
        }
        return line
    }

    /// `10:41:02 chat_stream max_gap no data for 10.0 s after 3 events, 412 B (fired 12ms late)`.
    func firedLine(_ f: WatchdogFire, nameWidth: Int) -> Line {
        var line = Line(TextFormat.clock(f.at, zone: zone) + " ", r.style(.logTime))
        line.append(TextWidth.fit(f.probe, width: nameWidth, ellipsis: r.glyphs.ellipsis) + " ", r.style(.text))
        line.append(f.limit.rawValue + " ", r.style(.statusHang))
        line.append(f.message, r.style(.text))
        if f.lateByMs >= 0.05 { line.append(" (fired " + Format.latency(f.lateByMs) + " late)", r.style(.textDim)) }
        return line
    }

    func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty, hasContent else { return }
        let anyOver = snapshot.activeStreams.contains { $0.overLimit(now: now) != nil }
        PanelTitle(r: r, title: "watchdogs", summary: area.height == 1 ? compactSummary() : summary(),
                   borderStyle: r.style(anyOver ? .statusHang : .border)).render(into: &buffer, area: area)
        let body = area.inset(top: 1, left: 1, right: 1)
        guard !body.isEmpty else { return }
        let fired = Array(snapshot.watchdogs.reversed())
        let names = snapshot.activeStreams.map(\.probe) + fired.prefix(body.height).map(\.probe)
        let nameWidth = min(body.width >= 110 ? 28 : 20, names.map(TextWidth.of).max() ?? 0)
        var y = body.y
        for p in snapshot.activeStreams where y < body.bottom {
            streamLine(p, into: &buffer, row: Rect(x: body.x, y: y, width: body.width, height: 1), nameWidth: nameWidth)
            y += 1
        }
        for f in fired where y < body.bottom {
            buffer.set(x: body.x, y: y, line: firedLine(f, nameWidth: nameWidth), clip: Rect(x: body.x, y: y, width: body.width, height: 1),
                       ellipsis: r.glyphs.ellipsis)
            y += 1
        }
    }

    /// Name, the phase meter, the total meter (as a bar when there is room, else figures) and progress.
    func streamLine(_ p: StreamProgress, into buffer: inout Buffer, row: Rect, nameWidth: Int) {
        let meters = p.meters(now: now)
        let over = meters.contains { $0.isOver }
        var x = buffer.set(x: row.x, y: row.y, TextWidth.fit(p.probe, width: nameWidth, ellipsis: r.glyphs.ellipsis) + " ",
                           style: over ? r.style(.statusHang) : r.style(.text), clip: row)
        let tail = "\(p.events) ev " + TextFormat.bytes(p.bytes)
        let avail = row.right - x
        // label(10) + space + bar ends(2) + space + figures(16, room for "12.3s/10.0s over") for the phase
        // meter; the total as text takes 2 + 5 + 1 + 11; a second bar adds its ends, a space and its width.
        let phaseFixed = 10 + 1 + 2 + 1 + 16, totalText = 2 + 5 + 1 + 11
        var bar = (avail - phaseFixed - totalText - 3 - TextWidth.of(tail) - 2) / 2
        var totalBar = true
        var showTail = true
        if bar < 4 { totalBar = false; bar = avail - phaseFixed - totalText - TextWidth.of(tail) - 2 }
        if bar < 4 { showTail = false; bar = avail - phaseFixed - totalText }
        bar = max(0, min(16, bar))
        for (k, m) in meters.enumerated() {
            let style = r.style(m.role)
            let label = k == 0 ? TextWidth.fit(m.label, width: 10) : (x == row.x ? "" : "  ") + m.label
            x = buffer.set(x: x, y: row.y, label + " ", style: r.style(.textDim), clip: row)
            if k == 0 || totalBar, bar > 0 {
                x = meter(m, width: bar, style: style, into: &buffer, x: x, row: row) + 1
            }
            let figures = m.figures + (m.isOver ? " over" : "")
            x = buffer.set(x: x, y: row.y, k == 0 ? TextWidth.fit(figures, width: 16) : figures, style: m.isOver ? style.adding(.bold) : style, clip: row)
        }
        if showTail { buffer.set(x: x + 2, y: row.y, tail, style: r.style(.textDim), clip: row) }
    }

    /// `▕████▌     ▏`: the meter's ends show its length even while it is empty.
    func meter(_ m: WatchdogMeter, width: Int, style: Style, into buffer: inout Buffer, x: Int, row: Rect) -> Int {
        let track = r.style(.border)
        var cx = buffer.set(x: x, y: row.y, r.glyphs.meterLeft, style: track, clip: row)
        // Without a configured limit there is nothing to fill towards: the meter stays empty.
        let scale = m.limitMs ?? 1
        Bar(length: m.limitMs == nil ? 0 : min(m.elapsedMs, scale), scale: scale, glyphs: r.glyphs, style: style, emptyStyle: r.style(.text))
            .render(into: &buffer, area: Rect(x: cx, y: row.y, width: width, height: 1).intersection(row))
        cx += width
        return buffer.set(x: cx, y: row.y, r.glyphs.meterRight, style: track, clip: row)
    }
}
