import Foundation
import StageModel

/// The detail view of one probe: what it is, why it is in its state (conditions with the values they
/// saw), what its kind adds (`Kinds/`: a WebSocket's handshake, a stream's watchdog, a burst's statuses,
/// the HTTP exchange), its latency figures, and a copy-ready curl command.
struct DetailScreen {
    let r: Renderer
    let snapshot: Snapshot
    let probe: ProbeState

    init(renderer: Renderer, snapshot: Snapshot, probe: ProbeState) { r = renderer; self.snapshot = snapshot; self.probe = probe }

    /// A row of the detail content: text, or a labelled bar (timing phases).
    enum Item {
        case line(Line)
        case bar(Line, Bar)
    }

    func render(into buffer: inout Buffer, area: Rect, view: inout ViewState) {
        let chrome = Chrome(r: r, snapshot: snapshot)
        let parts = area.split(.vertical, [.fixed(chrome.headerHeight), .fill(1), .fixed(1)])
        chrome.renderHeader(into: &buffer, area: parts[0], view: view)

        let block = Block(title: probe.name, border: r.glyphs.border, borderStyle: r.style(.borderFocus), titleStyle: r.style(.headerTitle))
        block.render(into: &buffer, area: parts[1])
        let inner = block.inner(parts[1]).inset(left: 1, right: 1)
        let items = self.items(width: inner.width, view: view)
        view.pageSize = max(1, inner.height)
        view.detailScroll = min(max(0, view.detailScroll), max(0, items.count - inner.height))
        for dy in 0..<inner.height {
            let i = view.detailScroll + dy
            guard i < items.count else { break }
            let row = inner.row(dy)
            switch items[i] {
            case .line(let line):
                buffer.set(x: row.x, y: row.y, line: line, clip: row, ellipsis: r.glyphs.ellipsis)
            case .bar(let label, let bar):
                let end = buffer.set(x: row.x, y: row.y, line: label, clip: row)
                bar.render(into: &buffer, area: Rect(x: end, y: row.y, width: row.right - end, height: 1).intersection(row))
            }
        }
        if items.count > inner.height {
            let more = "\(view.detailScroll + 1)-\(min(items.count, view.detailScroll + inner.height)) of \(items.count)"
            let b = parts[1]
            buffer.set(x: b.right - TextWidth.of(more) - 3, y: b.bottom - 1, " \(more) ", style: r.style(.textDim), clip: b)
        }
        chrome.renderHints(into: &buffer, area: parts[2], actions: [.back, .rerunSelected, .moveDown, .pageDown, .togglePause, .toggleHelp, .quit],
                           words: [.moveDown: "scroll", .pageDown: "page", .togglePause: snapshot.paused ? "resume" : "pause"], replay: view.replay)
    }

    // MARK: Content

    /// A label in the first column (padded so values line up).
    func label(_ s: String) -> Span { Span(TextWidth.fit(s, width: 9), r.style(.detailLabel)) }
    /// A label further along a line.
    func inlineLabel(_ s: String) -> Span { Span(s + " ", r.style(.detailLabel)) }
    func text(_ s: String) -> Span { Span(s, r.style(.text)) }
    func dim(_ s: String) -> Span { Span(s, r.style(.textDim)) }

    func items(width: Int, view: ViewState) -> [Item] {
        var out: [Item] = []
        func add(_ spans: [Span]) { out.append(.line(Line(spans))) }
        func blank() { out.append(.line(Line())) }
        let status = DisplayStatus(probe.verdict)
        let st = r.style(status.role)
        let last = probe.last
        let now = snapshot.takenAt

        add([label("group"), text(probe.group + "   "), inlineLabel("kind"), text(probe.kind.rawValue + "   "), inlineLabel("target"), text(probe.target)])
        var verdict = [label("verdict"), Span(r.glyphs.status(status) + " " + status.word, st.adding(.bold))]
        if let c = ProbeRows.failureClass(probe) { verdict.append(Span("  " + c.rawValue, st)) }
        if let since = probe.verdictSince {
            verdict.append(dim("   since " + TextFormat.clock(since, zone: view.timeZone) + " (" + Format.uptime(now.timeIntervalSince(since)) + " ago)"))
        }
        verdict.append(dim("   runs \(probe.runs)"))
        add(verdict)
        if let running = probe.runningSince { add([label(""), Span("running " + Format.elapsed(now.timeIntervalSince(running)), r.style(.statusPending))]) }
        let message = !probe.enabled ? "disabled" : last?.message ?? "no result yet"
        for (k, l) in TextWidth.wrap(message, width: max(1, width - 9)).prefix(3).enumerated() { add([label(k == 0 ? "message" : ""), text(l)]) }
        let kind = kindDetail(width: width, view: view)
        out += kind.lead
        out += kind.sections

        if let last, !last.conditions.isEmpty {
            blank(); add([Span("Conditions", r.style(.detailLabel))])
            let exprW = min(max(10, width / 2), last.conditions.map { TextWidth.of($0.expr) }.max() ?? 10)
            for c in last.conditions {
                let cs = r.style(c.ok ? .statusPass : .statusFail)
                add([Span("  " + TextWidth.fit(c.ok ? r.glyphs.pass : r.glyphs.fail, width: r.glyphs.statusWidth) + " ", cs),
                     text(TextWidth.fit(c.expr, width: exprW, ellipsis: r.glyphs.ellipsis)), dim("  actual "), Span(c.actual, c.ok ? r.style(.text) : cs)])
            }
        }

        out += kind.exchange

        blank()
        let s = probe.stats
        var stats = [label("latency")]
        let figures = [("last", Format.latency(s.last)), ("avg", Format.latency(s.avg)), ("p50", Format.latency(s.p50)),
                       ("p95", Format.latency(s.p95)), ("p99", Format.latency(s.p99)), ("samples", "\(s.samples)")]
        let wide = 9 + figures.reduce(0) { $0 + $1.0.count + 1 + TextWidth.of($1.1) + 2 } <= width
        for (k, (name, value)) in figures.enumerated() {
            stats.append(dim((k == 0 ? "" : wide ? "  " : " ") + name + " "))
            stats.append(text(value))
        }
        add(stats)
        if let queue = probe.last?.queueMs, queue >= 0.05 {
            // Only when the run waited: stagetop's own queue (max_in_flight), shown apart from the latency.
            add([label("queue"), text(Format.latency(queue)), dim(" waited for a slot before the request started (not in the latency)")])
        }
        var strip = [label("history")]
        let glyphW = r.glyphs.statusWidth
        let fits = max(0, (width - 10 - 2) / glyphW)
        for h in probe.history.suffix(fits) {
            let hs = DisplayStatus(h.verdict)
            strip.append(Span(TextWidth.fit(r.glyphs.status(hs), width: glyphW), r.style(hs.role)))
        }
        if probe.history.isEmpty { strip.append(dim("none yet")) }
        add(strip)

        if let req = r.requests[probe.name] {
            blank()
            add([Span("Request", r.style(.detailLabel)), text("  " + req.method + " " + req.url)])
            for (name, value) in req.headers {
                add([dim("  " + name + ": "), text(Masking.display(header: name, value: value, mask: r.glyphs.mask))])
            }
            add([Span("curl", r.style(.detailLabel)), dim("  (copy-ready; secrets are $VARIABLES from your environment)")])
            for l in DetailScreen.wrapCommand(Masking.maskCurl(req.curl, mask: r.glyphs.mask), width: max(10, width - 2)) { add([text("  " + l)]) }
        }
        return out
    }

    func latencyStyle(_ ms: Double, view: ViewState) -> Style {
        r.style(ms >= view.latencyBadMs ? .latencyBad : ms >= view.latencyWarnMs ? .latencyWarn : .latencyGood)
    }

    /// Splits a shell command at argument boundaries (outside quotes) into lines that end in ` \`,
    /// so the wrapped command still pastes into a shell as one command.
    static func wrapCommand(_ command: String, width: Int) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        for c in command {
            if escaped {
                current.append(c); escaped = false
            } else if let q = quote {
                current.append(c)
                if c == q { quote = nil }
            } else if c == "\\" {
                // `'it'\''s'`: a backslash outside quotes escapes the next character.
                current.append(c); escaped = true
            } else if c == "'" || c == "\"" {
                quote = c; current.append(c)
            } else if c == " " {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        // An option and its argument (-H 'x: y', -X POST) stay together on one line.
        var units: [String] = []
        var k = 0
        while k < words.count {
            let w = words[k]
            if w.hasPrefix("-"), k + 1 < words.count, !words[k + 1].hasPrefix("-"), !words[k + 1].contains("://") {
                units.append(w + " " + words[k + 1]); k += 2
            } else {
                units.append(w); k += 1
            }
        }
        var lines: [String] = []
        var line = ""
        for u in units {
            if line.isEmpty { line = u; continue }
            if TextWidth.of(line) + 1 + TextWidth.of(u) + 2 <= width {
                line += " " + u
            } else {
                lines.append(line + " \\")
                line = "  " + u
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
