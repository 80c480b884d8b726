import Foundation
import StageModel

/// The cycle view (`c`): one row per closed cycle, newest first, with the ratio and its change, the
/// problems by kind, the average latency and the probes that flipped. What the staging reports kept by
/// hand between sessions ("22/25 → 25/25"), counted the same way as the header (hangs and errors in the
/// denominator, percentages rounded down).
struct CycleScreen {
    let r: Renderer
    let snapshot: Snapshot

    static func columns() -> [TableColumn] {
        [
            TableColumn("CYCLE", .fixed(5), align: .right, priority: 1000),
            TableColumn("ENDED", .fixed(8), priority: 60),
            TableColumn("TOOK", .fixed(7), align: .right, priority: 40),
            TableColumn("RESULT", .fixed(9), align: .right, priority: 900),
            TableColumn("CHANGE", .fixed(6), priority: 800),
            TableColumn("PASS", .fixed(4), align: .right, priority: 700),
            TableColumn("FAIL", .fixed(4), align: .right, priority: 650),
            TableColumn("HANG", .fixed(4), align: .right, priority: 650),
            TableColumn("ERR", .fixed(4), align: .right, priority: 650),
            TableColumn("AVG", .fixed(8), align: .right, priority: 50),
            TableColumn("FLIPS", .flex(min: 16, max: nil), priority: 500),
        ]
    }

    func render(into buffer: inout Buffer, area: Rect, view: inout ViewState) {
        let chrome = Chrome(r: r, snapshot: snapshot)
        let parts = area.split(.vertical, [.fixed(chrome.headerHeight), .fill(1), .fixed(1)])
        chrome.renderHeader(into: &buffer, area: parts[0], view: view)
        let block = Block(title: "cycles", border: r.glyphs.border, borderStyle: r.style(.borderFocus), titleStyle: r.style(.headerTitle))
        block.render(into: &buffer, area: parts[1])
        let inner = block.inner(parts[1]).inset(left: 1, right: 1)
        let newest = Array(snapshot.cycles.reversed())
        var top = inner
        if !top.isEmpty {
            buffer.set(x: top.x, y: top.y, line: summary(), clip: top.row(0), ellipsis: r.glyphs.ellipsis)
            top = top.inset(top: 1)
        }
        let bodyHeight = max(0, top.height - 1)
        view.pageSize = max(1, bodyHeight)
        view.cycleScroll = min(max(0, view.cycleScroll), max(0, newest.count - bodyHeight))
        let visible = newest.dropFirst(view.cycleScroll).prefix(bodyHeight)
        let rows = visible.map { c -> TableRow in
            // The cycle before this one is the next entry in the newest-first list.
            let index = snapshot.cycles.firstIndex { $0.number == c.number }
            let previous = index.flatMap { $0 > 0 ? snapshot.cycles[$0 - 1] : nil }
            return row(c, previous: previous, view: view)
        }
        Table(columns: CycleScreen.columns(), rows: rows, headerStyle: r.style(.tableHeader), ellipsis: r.glyphs.ellipsis)
            .render(into: &buffer, area: top)
        if newest.isEmpty, top.height > 1 {
            buffer.set(x: top.x, y: top.y + 1, "no cycle has closed yet: a cycle closes when every enabled probe has reported",
                       style: r.style(.textDim), clip: top)
        }
        if newest.count > bodyHeight, bodyHeight > 0 {
            let more = "\(view.cycleScroll + 1)-\(view.cycleScroll + visible.count) of \(newest.count)"
            let b = parts[1]
            buffer.set(x: b.right - TextWidth.of(more) - 3, y: b.bottom - 1, " \(more) ", style: r.style(.textDim), clip: b)
        }
        chrome.renderHints(into: &buffer, area: parts[2], actions: [.back, .toggleCycles, .moveDown, .pageDown, .togglePause, .toggleHelp, .quit],
                           words: [.toggleCycles: "close", .moveDown: "scroll", .pageDown: "page", .togglePause: snapshot.paused ? "resume" : "pause"],
                           replay: view.replay)
    }

    /// `12 closed · best 25/25 · worst 21/25 · hangs in 4 · cycle 13 in progress 7/25`.
    func summary() -> Line {
        let cs = snapshot.cycles
        var line = Line("\(cs.count) closed", r.style(.text))
        func better(_ a: CycleSummary, _ b: CycleSummary) -> Bool { a.passed * b.counted > b.passed * a.counted }
        if let best = cs.max(by: { better($1, $0) }), let worst = cs.max(by: { better($0, $1) }), cs.count > 1 {
            line.append(" · best ", r.style(.textDim)); line.append(best.ratio, r.style(CycleFormat.ratioRole(best)))
            line.append(" · worst ", r.style(.textDim)); line.append(worst.ratio, r.style(CycleFormat.ratioRole(worst)))
        }
        let hung = cs.filter { $0.hung > 0 }.count
        if hung > 0 { line.append(" · hangs in \(hung)", r.style(.statusHang)) }
        if snapshot.cycleInProgress > 0 {
            line.append(" · cycle \(snapshot.completedCycles + 1) in progress \(snapshot.cycleInProgress)/\(snapshot.summary.counted)", r.style(.textDim))
        }
        return line
    }

    func row(_ c: CycleSummary, previous: CycleSummary?, view: ViewState) -> TableRow {
        func count(_ n: Int, _ status: DisplayStatus) -> TableCell {
            .text("\(n)", n == 0 ? r.style(.textDim) : r.style(status.role))
        }
        let change: TableCell
        if let previous {
            let d = CycleFormat.direction(c, from: previous)
            change = .text(CycleFormat.arrow(d, glyphs: r.glyphs) + " " + TextFormat.signed(c.passed - previous.passed), r.style(CycleFormat.role(d)))
        } else {
            change = .text("first", r.style(.textDim))
        }
        let avg = c.latencyAvgMs
        let avgRole: Role = avg.map { $0 >= view.latencyBadMs ? .latencyBad : $0 >= view.latencyWarnMs ? .latencyWarn : .latencyGood } ?? .textDim
        return TableRow([
            .text("\(c.number)", r.style(.text).adding(.bold)),
            .text(TextFormat.clock(c.finishedAt, zone: view.timeZone), r.style(.logTime)),
            .text(Format.uptime(c.finishedAt.timeIntervalSince(c.startedAt)), r.style(.textDim)),
            .text(c.ratio, r.style(CycleFormat.ratioRole(c)).adding(.bold)),
            change,
            .text(TextFormat.percentDown(passed: c.passed, counted: c.counted), r.style(CycleFormat.ratioRole(c))),
            count(c.failed, .fail), count(c.hung, .hang), count(c.errored, .error),
            .text(Format.latency(avg), r.style(avgRole)),
            CycleFormat.flipsLine(c.flips, renderer: r, limit: 6).map(TableCell.line) ?? .text("-", r.style(.textDim)),
        ])
    }
}
