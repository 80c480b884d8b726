import Foundation
import StageModel

/// Recent WebSocket closes, newest first, under a per-code count strip:
///
///     ── closes  1000×3 1006×1 1008×2 1011×5 ──────────────────────────────
///     10:41:02 websocket_connection 1011 internal error  Internal error
///
/// 1008 (policy) and 1011 (internal) are the reports' failures and keep their own colours everywhere.
struct ClosePanel {
    let r: Renderer
    let snapshot: Snapshot
    let zone: TimeZone

    /// Lines a full pane wants beyond its title; more closes than this are in the counts only.
    static let maxLines = 8

    var hasContent: Bool { !snapshot.closes.isEmpty || !snapshot.closeCounts.isEmpty }

    /// Title plus one line per recent close (at most `maxLines`); 0 when nothing closed.
    var wantedHeight: Int { hasContent ? 1 + min(snapshot.closes.count, ClosePanel.maxLines) : 0 }

    /// Counts per code since start; from the recent closes when the store gave no counts.
    var counts: [Int: Int] {
        if !snapshot.closeCounts.isEmpty { return snapshot.closeCounts }
        return snapshot.closes.reduce(into: [:]) { $0[$1.code, default: 0] += 1 }
    }

    /// `1000×3 1006×1 1008×2 1011×5`, each code in its close-code colour.
    func countStrip() -> Line {
        var line = Line()
        for (k, code) in counts.keys.sorted().enumerated() {
            if k > 0 { line.append(" ", r.style(.text)) }
            line.append(String(code), r.style(CloseCodeStyle.role(code)))
            line.append("×\(counts[code]!)", r.style(.text))
        }
        return line
    }

    /// `10:41:02 websocket_connection 1011 internal error  Internal error`; a close we started is marked.
    func line(_ c: CloseRecord, nameWidth: Int) -> Line {
        var line = Line(TextFormat.clock(c.at, zone: zone) + " ", r.style(.logTime))
        line.append(TextWidth.fit(c.probe, width: nameWidth, ellipsis: r.glyphs.ellipsis) + " ", r.style(.text))
        line.append(String(c.code), r.style(CloseCodeStyle.role(c.code)))
        line.append(" " + c.codeName, r.style(CloseCodeStyle.role(c.code)))
        let reason = Masking.redactTokens(c.reason, mask: r.glyphs.mask)
        if !reason.isEmpty { line.append("  " + reason, r.style(.text)) }
        if !c.byServer { line.append(" (closed by us)", r.style(.textDim)) }
        return line
    }

    func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty, hasContent else { return }
        let newest = Array(snapshot.closes.reversed())
        var summary = countStrip()
        if area.height == 1, let last = newest.first {
            // Squeezed to its title: the counts and the latest close.
            summary.append("  last ", r.style(.textDim))
            summary.spans += line(last, nameWidth: TextWidth.of(last.probe)).spans
        }
        PanelTitle(r: r, title: "closes", summary: summary, borderStyle: r.style(.border)).render(into: &buffer, area: area)
        let body = area.inset(top: 1, left: 1, right: 1)
        let shown = newest.prefix(body.height)
        let nameWidth = min(28, shown.map { TextWidth.of($0.probe) }.max() ?? 0)
        for (k, c) in shown.enumerated() {
            buffer.set(x: body.x, y: body.y + k, line: line(c, nameWidth: nameWidth), clip: body.row(k), ellipsis: r.glyphs.ellipsis)
        }
    }
}
