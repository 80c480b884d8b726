import Foundation
import StageModel

/// The live dashboard: header, probe table (failing rows first), event log, key hints.
struct MainScreen {
    let r: Renderer
    let snapshot: Snapshot

    init(renderer: Renderer, snapshot: Snapshot) { r = renderer; self.snapshot = snapshot }

    func render(into buffer: inout Buffer, area: Rect, view: inout ViewState) {
        let chrome = Chrome(r: r, snapshot: snapshot)
        let outer = area.split(.vertical, [.fixed(chrome.headerHeight), .fill(1), .fixed(1)])
        chrome.renderHeader(into: &buffer, area: outer[0], view: view)
        let watchdogs = WatchdogPanel(r: r, snapshot: snapshot, zone: view.timeZone)
        let closes = ClosePanel(r: r, snapshot: snapshot, zone: view.timeZone)
        // Built once: the layout needs their number (header + rows), the table draws them.
        let rows = r.rowCache.rows(snapshot, sort: view.sort, filter: view.activeFilter)
        let plan = PanelLayout.plan(body: outer[1], log: min(12, max(4, area.height / 5)),
                                    watchdog: watchdogs.wantedHeight, closes: closes.wantedHeight, table: 1 + rows.entries.count)
        let position = renderTable(rows, into: &buffer, area: plan.table, view: &view)
        watchdogs.render(into: &buffer, area: plan.watchdog)
        closes.render(into: &buffer, area: plan.closes)
        renderLog(into: &buffer, area: plan.log, view: view, position: position, closesShown: !plan.closes.isEmpty)
        renderHints(chrome, into: &buffer, area: outer[2], view: view,
                    shown: rows.probeCount)
    }

    // MARK: Table

    /// Draws the table; returns "first–last of total" when not every row fits, for the log pane's border.
    @discardableResult
    func renderTable(_ rows: RowOrderCache.Rows, into buffer: inout Buffer, area: Rect, view: inout ViewState) -> String? {
        guard area.height >= 2 else { return nil }
        let entries = rows.entries
        let bodyHeight = area.height - 1
        view.pageSize = max(1, bodyHeight)

        // Selected row: the named probe, else the first probe row.
        // The selected probe found by name once (binary search when the store's keys are at hand), then its row
        // by index: comparing 10,000 names every frame showed in perf.
        let keys = snapshot.sortKeys.flatMap { $0.fits(snapshot.probes) ? $0 : nil }
        let selectedProbe = view.selected.flatMap { name in
            keys.map { $0.index(named: name, in: snapshot.probes) } ?? snapshot.probes.firstIndex { $0.name == name }
        }
        let selectedEntry = selectedProbe.flatMap { sp in rows.entryOf[sp] >= 0 ? Int(rows.entryOf[sp]) : nil }
            ?? entries.firstIndex { if case .probe = $0 { true } else { false } }
        var scroll = min(max(0, view.scroll), max(0, entries.count - bodyHeight))
        if let sel = selectedEntry {
            if sel < scroll { scroll = sel }
            if sel >= scroll + bodyHeight { scroll = sel - bodyHeight + 1 }
            // Keep the group header of the selected row in view when it is the first of its group.
            if sel == scroll, sel > 0, case .group = entries[sel - 1], bodyHeight > 1 { scroll = sel - 1 }
        }
        view.scroll = scroll

        let probeColumns = ProbeColumns(r: r, snapshot: snapshot, view: view)
        let columns = probeColumns.columns(nameMax: rows.nameMax)
        let visible = entries[min(scroll, entries.count)..<min(entries.count, scroll + bodyHeight)]
        let tableRows = visible.map { entry -> TableRow in
            switch entry {
            case .group(let g): return TableRow(group: Line(" \(r.glyphs.groupMarker) \(g)"))
            case .probe(let i): return columns.row(probeColumns.values(snapshot.probes[i]))
            }
        }
        let table = Table(columns: columns.specs(), rows: tableRows, selected: selectedEntry.map { $0 - scroll },
                          headerStyle: r.style(.tableHeader), selectedStyle: r.style(.tableSelected),
                          groupStyle: r.style(.tableGroup), ellipsis: r.glyphs.ellipsis)
        table.render(into: &buffer, area: area)
        if entries.isEmpty {
            let text = snapshot.probes.isEmpty ? "no probes configured" : "no probe matches \"\(view.activeFilter)\" (Esc clears the filter)"
            buffer.set(x: area.x + 1, y: area.y + 1, text, style: r.style(.textDim), clip: area)
        }
        return entries.count > bodyHeight ? "rows \(scroll + 1)-\(scroll + visible.count) of \(entries.count)" : nil
    }

    // MARK: Log and hints

    func renderLog(into buffer: inout Buffer, area: Rect, view: ViewState, position: String?, closesShown: Bool) {
        guard !area.isEmpty else { return }
        let block = Block(title: "events", border: r.glyphs.border, borderStyle: r.style(.border), titleStyle: r.style(.detailLabel), topOnly: true)
        block.render(into: &buffer, area: area)
        if let position, area.width > 30 {
            buffer.set(x: area.right - TextWidth.of(position) - 3, y: area.y, " \(position) ", style: r.style(.textDim), clip: area)
        }
        let inner = block.inner(area).inset(left: 1, right: 1)
        // Only the entries that fit are formatted: the log holds up to 500. Closes are left to the close
        // panel when it is on screen: five concurrent 1011s would otherwise push the flips out of the pane.
        var shown: [LogEntry] = []
        for entry in snapshot.log.reversed() {
            if shown.count == inner.height { break }
            if closesShown && entry.closeCode != nil { continue }
            shown.append(entry)
        }
        let lines = shown.reversed().map { LogFormat.line($0, renderer: r, zone: view.timeZone) }
        LogList(lines: lines, ellipsis: r.glyphs.ellipsis).render(into: &buffer, area: inner)
    }

    /// - Parameter shown: probes the filter leaves (the table's probe rows).
    func renderHints(_ chrome: Chrome, into buffer: inout Buffer, area: Rect, view: ViewState, shown: Int) {
        if let draft = view.filterDraft {
            let prefix = Line([Span("filter: ", r.style(.hintText)), Span(draft, r.style(.text).adding(.bold)),
                               Span(r.glyphs.cursor + "  ", r.style(.hintText))])
            chrome.renderHints(into: &buffer, area: area, actions: [.filterApply, .filterCancel, .filterDelete], prefix: prefix)
            return
        }
        var prefix = Line()
        if !view.filter.isEmpty {
            prefix = Line([Span("filter \"\(view.filter)\" \(shown)/\(snapshot.probes.count) ", r.style(.headerBadgeInfo)), Span(" ")])
        }
        chrome.renderHints(into: &buffer, area: area,
                           actions: [.quit, .toggleHelp, .openDetail, .toggleCycles, .startFilter, .cycleSort, .togglePause, .rerunSelected, .rerunAll, .nextTheme],
                           words: [.cycleSort: "sort:\(view.sort.rawValue)", .togglePause: snapshot.paused ? "resume" : "pause"],
                           prefix: prefix, replay: view.replay)
    }
}

/// Event-log lines: "12:04:05 backend_health pass → fail redirect 307 Temporary Redirect → /health/".
enum LogFormat {
    static func line(_ e: LogEntry, renderer r: Renderer, zone: TimeZone) -> Line {
        var line = Line(TextFormat.clock(e.at, zone: zone) + " ", r.style(.logTime))
        guard let to = e.to else {
            if let probe = e.probe { line.append(probe + " ", r.style(.text)) }
            line.append(e.message, r.style(.textDim))
            return line
        }
        let toStatus = DisplayStatus(to)
        let toStyle = toStatus.isProblem ? r.style(.logFail) : toStatus == .pass ? r.style(.logPass) : r.style(toStatus.role)
        line.append((e.probe ?? "") + " ", r.style(.text))
        // A first result has nothing to change from: "pending →" would only push the class and message out
        // of a pane that is often 50 columns wide.
        if let from = e.from {
            line.append(DisplayStatus(from).word, r.style(.textDim))
            line.append(" " + r.glyphs.arrow + " ", r.style(.textDim))
        }
        line.append(toStatus.word, toStyle)
        if let c = e.failureClass, to != .pass { line.append(" " + c.rawValue, toStyle) }
        if !e.message.isEmpty { line.append(" " + e.message, r.style(.text)) }
        return line
    }
}
