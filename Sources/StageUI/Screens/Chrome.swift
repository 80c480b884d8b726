import StageModel

/// The parts every screen shares: the two header lines and the key-hint bar.
struct Chrome {
    let r: Renderer
    let snapshot: Snapshot

    /// Line 1: who and when (config, host, cycle, uptime, badges, clock).
    /// Line 2: the figures (pass rate with hangs and errors in the denominator, counts, average latency).
    func renderHeader(into buffer: inout Buffer, area: Rect, view: ViewState) {
        let rows = area.split(.vertical, [.fixed(1), .fixed(1)])
        let s = snapshot
        let dim = r.style(.textDim)
        var first: [HeaderBar.Piece] = [
            .init(Line(s.configName, r.style(.headerTitle)), priority: 100),
            .init(Line(s.targetHost, r.style(.text)), priority: 60),
            .init(Line("cycle \(s.completedCycles)", dim), priority: 50),
            .init(Line("up " + TextFormat.uptime(s.takenAt.timeIntervalSince(s.startedAt)), dim), priority: 40),
        ]
        if s.insecure { first.append(.init(Line(" INSECURE TLS ", r.style(.headerBadgeWarn)), priority: 98)) }
        if s.paused { first.append(.init(Line(" PAUSED ", r.style(.headerBadgeInfo)), priority: 97)) }
        first.append(.init(Line(TextFormat.clock(s.takenAt, zone: view.timeZone) + " " + TextFormat.zoneLabel(view.timeZone, at: s.takenAt), r.style(.text)),
                           priority: 70, alignRight: true))
        HeaderBar(pieces: first, style: r.style(.text)).render(into: &buffer, area: rows[0].inset(left: 1, right: 1))

        let sum = s.summary
        let anyProblem = sum.failed + sum.hung + sum.errored > 0
        let rateRole: Role = anyProblem ? .statusFail : (sum.pending > 0 ? .statusPending : .statusPass)
        var second: [HeaderBar.Piece] = [
            .init(Line(TextFormat.passRate(passed: sum.passed, counted: sum.counted), r.style(rateRole).adding(.bold)), priority: 100),
        ]
        let counts: [(Int, DisplayStatus)] = [(sum.passed, .pass), (sum.failed, .fail), (sum.hung, .hang),
                                              (sum.errored, .error), (sum.skipped, .skip), (sum.pending, .pending)]
        for (n, status) in counts {
            // Problems never drop before anything else; zero counts drop first on narrow terminals.
            let priority = n == 0 ? 20 : (status.isProblem ? 96 : 80)
            second.append(.init(Line("\(n) \(status.word)", n == 0 ? dim : r.style(status.role)), priority: priority))
        }
        second.append(.init(Line(TextFormat.averageLatency(sum.latencyAvgMs), r.style(.text)), priority: 85))
        HeaderBar(pieces: second, style: r.style(.text)).render(into: &buffer, area: rows[1].inset(left: 1, right: 1))
    }

    /// The hint bar for `actions`, labels and words from the key map; `words` overrides a hint word.
    func renderHints(into buffer: inout Buffer, area: Rect, actions: [Action], words: [Action: String] = [:], prefix: Line = Line()) {
        let hints = actions.compactMap { a -> HintBar.Hint? in
            let bs = r.keyMap.bindings(for: a)
            guard !bs.isEmpty else { return nil }
            return HintBar.Hint(keys: r.keyMap.label(for: a, ascii: r.glyphs.asciiOnly), text: words[a] ?? bs.first { $0.hint != nil }?.hint ?? a.rawValue)
        }
        HintBar(prefix: prefix, hints: hints, keyStyle: r.style(.hintKey), textStyle: r.style(.hintText))
            .render(into: &buffer, area: area)
    }
}
